package idps

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

const samlMetadata = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso/post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`

func TestSocialProviders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g := e.create(t, google("gmail.com"))
	want := &cognitoidp.IdentityProviderType{
		UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Google"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeGoogle),
		ProviderDetails: map[string]string{
			"client_id": "g-client", "client_secret": "g-secret", "authorize_scopes": "email profile openid",
			"attributes_url":                "https://people.googleapis.com/v1/people/me?personFields=",
			"attributes_url_add_attributes": "true",
			"authorize_url":                 "https://accounts.google.com/o/oauth2/v2/auth",
			"oidc_issuer":                   "https://accounts.google.com",
			"token_request_method":          "POST",
			"token_url":                     "https://www.googleapis.com/oauth2/v4/token",
		},
		AttributeMapping: map[string]string{"email": "email", "username": "sub"},
		IdpIdentifiers:   []string{"gmail.com"},
		CreationDate:     api.NewTime(t0), LastModifiedDate: api.NewTime(t0),
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("create Google (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, e.describe(t, e.pool, "Google")); diff != "" {
		t.Errorf("describe Google (-want +got):\n%s", diff)
	}

	fb := e.create(t, &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("Facebook"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeFacebook),
		ProviderDetails: map[string]string{"client_id": "f", "client_secret": "s", "authorize_scopes": "public_profile, email", "api_version": "v17.0"}})
	if d := fb.ProviderDetails; d["authorize_url"] != "https://www.facebook.com/v17.0/dialog/oauth" || d["token_request_method"] != "GET" ||
		d["attributes_url"] != "https://graph.facebook.com/v17.0/me?fields=" || d["token_url"] != "https://graph.facebook.com/v17.0/oauth/access_token" ||
		fb.AttributeMapping["username"] != "id" || fb.IdpIdentifiers == nil {
		t.Errorf("Facebook = %+v", fb)
	}
	amz := e.create(t, &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("LoginWithAmazon"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeLoginwithamazon),
		ProviderDetails: map[string]string{"client_id": "a", "client_secret": "s", "authorize_scopes": "profile postal_code"}})
	if amz.ProviderDetails["token_url"] != "https://api.amazon.com/auth/o2/token" || amz.AttributeMapping["username"] != "user_id" {
		t.Errorf("LoginWithAmazon = %+v", amz)
	}

	// Apple's private key is stored but never shown, and survives an update
	// that omits it.
	apple := e.create(t, &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("SignInWithApple"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeSigninwithapple),
		ProviderDetails: map[string]string{"client_id": "com.example", "team_id": "T", "key_id": "K", "private_key": "-----BEGIN PRIVATE KEY-----x", "authorize_scopes": "email name"}})
	if _, ok := apple.ProviderDetails["private_key"]; ok || apple.ProviderDetails["oidc_issuer"] != "https://appleid.apple.com" {
		t.Errorf("Apple = %+v", apple.ProviderDetails)
	}
	if _, err := e.svc.UpdateIdentityProvider(ctx, &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("SignInWithApple"),
		ProviderDetails: map[string]string{"client_id": "com.example.new", "team_id": "T", "key_id": "K2", "authorize_scopes": "email"}}); err != nil {
		t.Fatal(err)
	}
	full, err := Load(ctx, e.store, e.pool, "SignInWithApple")
	if err != nil || full.ProviderDetails["private_key"] != "-----BEGIN PRIVATE KEY-----x" || full.ProviderDetails["key_id"] != "K2" {
		t.Errorf("Load(Apple) = %+v, %v", full, err)
	}
	if _, ok := e.describe(t, e.pool, "SignInWithApple").ProviderDetails["private_key"]; ok {
		t.Error("describe shows private_key")
	}

	// The pool's schema gained the identities attribute with its first provider.
	up, err := pools.Load(ctx, e.store, e.pool)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range up.SchemaAttributes {
		if *a.Name == "identities" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("identities attribute appears %d times in the schema", n)
	}
}

func TestOIDCDiscovery(t *testing.T) {
	e := newEnv(t)
	var hits atomic.Int32
	var issuer string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/tenant/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": issuer, "authorization_endpoint": issuer + "/authorize",
			"token_endpoint": issuer + "/token", "userinfo_endpoint": issuer + "/userinfo", "jwks_uri": issuer + "/jwks", "scopes_supported": []string{"openid"}})
	}))
	defer srv.Close()
	issuer = srv.URL + "/tenant"
	p := e.create(t, oidc("Corp", issuer+"/", "corp.example.com"))
	d := p.ProviderDetails
	if d["authorize_url"] != issuer+"/authorize" || d["token_url"] != issuer+"/token" || d["attributes_url"] != issuer+"/userinfo" ||
		d["jwks_uri"] != issuer+"/jwks" || d["attributes_url_add_attributes"] != "false" || hits.Load() != 1 {
		t.Errorf("discovered details = %+v (%d fetches)", d, hits.Load())
	}
	if p.AttributeMapping["username"] != "sub" || p.AttributeMapping["custom:tier"] != "tier" {
		t.Errorf("mapping = %v", p.AttributeMapping)
	}

	// Explicit endpoints are kept and need no discovery.
	in := oidc("Explicit", "https://login.example.net")
	for k, v := range map[string]string{"authorize_url": "https://login.example.net/a", "token_url": "https://login.example.net/t",
		"attributes_url": "https://login.example.net/u", "jwks_uri": "https://login.example.net/k"} {
		in.ProviderDetails[k] = v
	}
	if got := e.create(t, in).ProviderDetails; got["authorize_url"] != "https://login.example.net/a" || got["jwks_uri"] != "https://login.example.net/k" {
		t.Errorf("explicit endpoints = %v", got)
	}

	// An issuer that can't be reached stores the provider without endpoints.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	got := e.create(t, oidc("Offline", dead.URL)).ProviderDetails
	if _, ok := got["authorize_url"]; ok || got["oidc_issuer"] != dead.URL {
		t.Errorf("offline provider details = %v", got)
	}
	disc, err := Discover(context.Background(), http.DefaultClient, issuer)
	if err != nil || disc["jwks_uri"] != issuer+"/jwks" {
		t.Errorf("Discover = %v, %v", disc, err)
	}
}

func TestSAMLProvider(t *testing.T) {
	e := newEnv(t)
	p := e.create(t, &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("Okta"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeSaml),
		ProviderDetails:  map[string]string{"MetadataFile": samlMetadata, "IDPSignout": "true", "RequestSigningAlgorithm": "rsa-sha256"},
		AttributeMapping: map[string]string{"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}})
	if p.ProviderDetails["SSORedirectBindingURI"] != "https://idp.example.com/sso" || p.ProviderDetails["SLORedirectBindingURI"] != "https://idp.example.com/slo" ||
		p.ProviderDetails["MetadataFile"] != samlMetadata {
		t.Errorf("SAML details = %v", p.ProviderDetails)
	}
	if _, ok := p.AttributeMapping["username"]; ok {
		t.Errorf("SAML mapping got a username: %v", p.AttributeMapping)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(samlMetadata)) }))
	defer srv.Close()
	p = e.create(t, &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("ByURL"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeSaml),
		ProviderDetails: map[string]string{"MetadataURL": srv.URL + "/metadata"}})
	if p.ProviderDetails["SSORedirectBindingURI"] != "https://idp.example.com/sso" || p.ProviderDetails["MetadataURL"] != srv.URL+"/metadata" {
		t.Errorf("SAML by URL = %v", p.ProviderDetails)
	}
	m, err := ParseSAMLMetadata([]byte(`<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` + samlMetadata[strings.Index(samlMetadata, "<md:EntityDescriptor"):] + `</EntitiesDescriptor>`))
	if err != nil || m.EntityID != "https://idp.example.com/saml" || m.SSOPost != "https://idp.example.com/sso/post" {
		t.Errorf("ParseSAMLMetadata(EntitiesDescriptor) = %+v, %v", m, err)
	}
}

func TestCreateErrors(t *testing.T) {
	e := newEnv(t)
	e.svc.maxProviders = 3
	ctx := context.Background()
	e.create(t, google("gmail.com"))
	create := func(in *cognitoidp.CreateIdentityProviderRequest) error {
		if in.UserPoolId == nil {
			in.UserPoolId = api.Ptr(e.pool)
		}
		_, err := e.svc.CreateIdentityProvider(ctx, in)
		return err
	}
	with := func(in *cognitoidp.CreateIdentityProviderRequest, f func(*cognitoidp.CreateIdentityProviderRequest)) *cognitoidp.CreateIdentityProviderRequest {
		f(in)
		return in
	}
	saml := func(details map[string]string) *cognitoidp.CreateIdentityProviderRequest {
		return &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("Saml"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeTypeSaml), ProviderDetails: details}
	}
	for _, tc := range []struct {
		name      string
		in        *cognitoidp.CreateIdentityProviderRequest
		code, msg string
	}{
		{"duplicate", google(), "DuplicateProviderException", "Google already exists in user pool " + e.pool},
		{"social name", with(google(), func(r *cognitoidp.CreateIdentityProviderRequest) { r.ProviderName = api.Ptr("NameOfGP") }),
			"InvalidParameterException", "Provider NameOfGP cannot be of type Google."},
		{"OIDC named Google", oidc("Google", "https://x.example.com"), "InvalidParameterException", "Provider Google cannot be of type OIDC."},
		{"reserved", oidc("COGNITO", "https://x.example.com"), "InvalidParameterException", "Provider name COGNITO is reserved."},
		{"missing client secret", with(google(), func(r *cognitoidp.CreateIdentityProviderRequest) {
			r.ProviderName = api.Ptr("LoginWithAmazon")
			r.ProviderType = api.Ptr(cognitoidp.IdentityProviderTypeTypeLoginwithamazon)
			delete(r.ProviderDetails, "client_secret")
		}), "InvalidParameterException", "client_secret is required for provider type LoginWithAmazon."},
		{"missing issuer", with(oidc("Corp", ""), func(r *cognitoidp.CreateIdentityProviderRequest) { delete(r.ProviderDetails, "oidc_issuer") }),
			"InvalidParameterException", "oidc_issuer is required for provider type OIDC."},
		{"bad request method", with(oidc("Corp", "https://x.example.com"), func(r *cognitoidp.CreateIdentityProviderRequest) {
			r.ProviderDetails["attributes_request_method"] = "PUT"
		}),
			"InvalidParameterException", "Invalid value for attributes_request_method: PUT."},
		{"bad issuer", oidc("Corp", "not a url"), "InvalidParameterException", "Invalid value for oidc_issuer: not a url."},
		{"unknown attribute", with(oidc("Corp", "https://x.example.com"), func(r *cognitoidp.CreateIdentityProviderRequest) { r.AttributeMapping["custom:nope"] = "x" }),
			"InvalidParameterException", "Invalid attribute mapping: custom:nope is not an attribute of the user pool."},
		{"sub mapped", with(oidc("Corp", "https://x.example.com"), func(r *cognitoidp.CreateIdentityProviderRequest) { r.AttributeMapping["sub"] = "sub" }),
			"InvalidParameterException", "Invalid attribute mapping: sub is not an attribute of the user pool."},
		{"identifier twice", oidc("Corp", "https://x.example.com", "a", "a"), "InvalidParameterException", "Duplicate IdP identifier: a."},
		{"identifier taken", oidc("Corp", "https://x.example.com", "b", "gmail.com"), "InvalidParameterException", "Duplicate IdP identifier: gmail.com."},
		{"SAML without metadata", saml(map[string]string{"IDPSignout": "true"}), "InvalidParameterException", msgSAMLMetadata},
		{"SAML with both", saml(map[string]string{"MetadataFile": samlMetadata, "MetadataURL": "https://x.example.com/md"}), "InvalidParameterException", msgSAMLMetadata},
		{"SAML bad metadata", saml(map[string]string{"MetadataFile": "<html/>"}), "InvalidParameterException", "Invalid SAML metadata: not a SAML 2.0 EntityDescriptor"},
		{"SAML bad flag", saml(map[string]string{"MetadataFile": samlMetadata, "IDPInit": "yes"}), "InvalidParameterException", "Invalid value for IDPInit: yes."},
		{"bad type", &cognitoidp.CreateIdentityProviderRequest{ProviderName: api.Ptr("X1"), ProviderType: api.Ptr(cognitoidp.IdentityProviderTypeType("Twitter")), ProviderDetails: map[string]string{}},
			"InvalidParameterException", ""},
		{"name with underscore", oidc("_Corp", "https://x.example.com"), "InvalidParameterException", ""},
		{"unknown pool", with(google(), func(r *cognitoidp.CreateIdentityProviderRequest) { r.UserPoolId = api.Ptr("us-east-1_Missing00") }),
			"ResourceNotFoundException", "User pool us-east-1_Missing00 does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, create(tc.in), tc.code, tc.msg) })
	}
	// The refused requests claimed no identifier.
	if _, err := ByIdentifier(ctx, e.store, e.pool, "a"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("identifier a claimed by a refused request: %v", err)
	}
	if _, err := ByIdentifier(ctx, e.store, e.pool, "b"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("identifier b claimed by a refused request: %v", err)
	}
	e.create(t, oidc("Two", "https://x.example.com"))
	e.create(t, oidc("Three", "https://x.example.com"))
	wantErr(t, create(oidc("Four", "https://x.example.com")), "LimitExceededException", "The user pool has reached the maximum of 3 identity providers.")
	// Names and identifiers are per pool.
	e.create(t, &cognitoidp.CreateIdentityProviderRequest{UserPoolId: api.Ptr(e.other), ProviderName: google().ProviderName, ProviderType: google().ProviderType,
		ProviderDetails: google().ProviderDetails, IdpIdentifiers: []string{"gmail.com"}})
}

func TestUpdateDeleteListAndIdentifiers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.create(t, oidc("Corp", "https://x.example.com", "corp.com", "corp.net"))
	e.create(t, google())
	e.clock.Advance(time.Minute)
	out, err := e.svc.UpdateIdentityProvider(ctx, &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Corp"),
		IdpIdentifiers: []string{"corp.net", "corp.org"}, AttributeMapping: map[string]string{"name": "name"}})
	if err != nil {
		t.Fatal(err)
	}
	p := out.IdentityProvider
	if !cmp.Equal(p.IdpIdentifiers, []string{"corp.net", "corp.org"}) || !cmp.Equal(p.AttributeMapping, map[string]string{"name": "name", "username": "sub"}) ||
		p.ProviderDetails["client_id"] != "o-client" || !p.LastModifiedDate.Equal(t0.Add(time.Minute)) || !p.CreationDate.Equal(t0) {
		t.Errorf("update = %+v", p)
	}
	for id, want := range map[string]string{"corp.com": "", "corp.net": "Corp", "corp.org": "Corp"} {
		got, err := e.svc.GetIdentityProviderByIdentifier(ctx, &cognitoidp.GetIdentityProviderByIdentifierRequest{UserPoolId: api.Ptr(e.pool), IdpIdentifier: api.Ptr(id)})
		if want == "" {
			wantErr(t, err, "ResourceNotFoundException", "Identity provider with identifier "+id+" does not exist.")
			continue
		}
		if err != nil || *got.IdentityProvider.ProviderName != want {
			t.Errorf("GetIdentityProviderByIdentifier(%s) = %+v, %v", id, got, err)
		}
	}
	// The freed identifier can be taken by another provider.
	if _, err := e.svc.UpdateIdentityProvider(ctx, &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Google"), IdpIdentifiers: []string{"corp.com"}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.UpdateIdentityProvider(ctx, &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Google"), IdpIdentifiers: []string{"corp.org"}})
	wantErr(t, err, "InvalidParameterException", "Duplicate IdP identifier: corp.org.")
	if p, _ := ByIdentifier(ctx, e.store, e.pool, "corp.com"); p == nil || *p.ProviderName != "Google" {
		t.Errorf("a refused update released corp.com: %+v", p)
	}
	_, err = e.svc.UpdateIdentityProvider(ctx, &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Nope")})
	wantErr(t, err, "ResourceNotFoundException", "Identity provider Nope does not exist.")
	_, err = e.svc.UpdateIdentityProvider(ctx, &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("COGNITO")})
	wantErr(t, err, "UnsupportedIdentityProviderException", "The provider COGNITO is not supported by this operation.")
	_, err = e.svc.UpdateIdentityProvider(ctx, &cognitoidp.UpdateIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Google"),
		ProviderDetails: map[string]string{"client_id": "only"}})
	wantErr(t, err, "InvalidParameterException", "client_secret is required for provider type Google.")

	// Listing pages by name.
	var names []string
	var tok *string
	for {
		out, err := e.svc.ListIdentityProviders(ctx, &cognitoidp.ListIdentityProvidersRequest{UserPoolId: api.Ptr(e.pool), MaxResults: api.Ptr(int32(1)), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range out.Providers {
			names = append(names, *p.ProviderName)
			if p.CreationDate == nil || p.ProviderType == nil {
				t.Errorf("description %+v", p)
			}
		}
		if tok = out.NextToken; tok == nil {
			break
		}
	}
	if !cmp.Equal(names, []string{"Corp", "Google"}) {
		t.Errorf("listed %v", names)
	}
	_, err = e.svc.ListIdentityProviders(ctx, &cognitoidp.ListIdentityProvidersRequest{UserPoolId: api.Ptr(e.other), NextToken: api.Ptr("bad")})
	wantErr(t, err, "InvalidParameterException", "Invalid NextToken.")
	if ok, err := Exists(ctx, e.store, e.pool, "Corp"); !ok || err != nil {
		t.Errorf("Exists(Corp) = %v, %v", ok, err)
	}
	all, err := List(ctx, e.store, e.pool)
	if err != nil || len(all) != 2 {
		t.Errorf("List = %v, %v", all, err)
	}

	if _, err := e.svc.DeleteIdentityProvider(ctx, &cognitoidp.DeleteIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Corp")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ByIdentifier(ctx, e.store, e.pool, "corp.net"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("identifier survived its provider: %v", err)
	}
	_, err = e.svc.DescribeIdentityProvider(ctx, &cognitoidp.DescribeIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Corp")})
	wantErr(t, err, "ResourceNotFoundException", "Identity provider Corp does not exist.")
	_, err = e.svc.DeleteIdentityProvider(ctx, &cognitoidp.DeleteIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("Corp")})
	wantErr(t, err, "ResourceNotFoundException", "Identity provider Corp does not exist.")
	_, err = e.svc.DeleteIdentityProvider(ctx, &cognitoidp.DeleteIdentityProviderRequest{UserPoolId: api.Ptr(e.pool), ProviderName: api.Ptr("COGNITO")})
	wantErr(t, err, "UnsupportedIdentityProviderException", "")
	e.create(t, oidc("Corp", "https://x.example.com", "corp.net"))
}

func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, op := range []string{"CreateIdentityProvider", "DescribeIdentityProvider", "UpdateIdentityProvider", "DeleteIdentityProvider",
		"ListIdentityProviders", "GetIdentityProviderByIdentifier", "AdminLinkProviderForUser", "AdminDisableProviderForUser"} {
		if !ops[op].Implemented {
			t.Errorf("%s not registered", op)
		}
	}
	call := func(op, body string) string {
		t.Helper()
		out, err := ops[op].Call(context.Background(), []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b, _ := json.Marshal(out)
		return string(b)
	}
	pool := `"UserPoolId":"` + e.pool + `"`
	got := call("CreateIdentityProvider", `{`+pool+`,"ProviderName":"Okta","ProviderType":"SAML","ProviderDetails":{"MetadataFile":`+mustJSON(samlMetadata)+`}}`)
	want := `{"IdentityProvider":{` + pool + `,"ProviderName":"Okta","ProviderType":"SAML","ProviderDetails":{"MetadataFile":` + mustJSON(samlMetadata) +
		`,"SLORedirectBindingURI":"https://idp.example.com/slo","SSORedirectBindingURI":"https://idp.example.com/sso"},"IdpIdentifiers":[],"LastModifiedDate":1740830400,"CreationDate":1740830400}}`
	if got != want {
		t.Errorf("create:\n got %s\nwant %s", got, want)
	}
	if got := call("ListIdentityProviders", `{`+pool+`,"MaxResults":0}`); got != `{"Providers":[{"ProviderName":"Okta","ProviderType":"SAML","LastModifiedDate":1740830400,"CreationDate":1740830400}]}` {
		t.Errorf("list = %s", got)
	}
	if got := call("DeleteIdentityProvider", `{`+pool+`,"ProviderName":"Okta"}`); got != `{}` {
		t.Errorf("delete = %s", got)
	}
	if got := call("ListIdentityProviders", `{`+pool+`}`); got != `{"Providers":[]}` {
		t.Errorf("empty list = %s", got)
	}
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
