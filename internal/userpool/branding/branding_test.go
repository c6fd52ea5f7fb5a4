package branding

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
	"github.com/cogito-dev/cogito/internal/userpool/domains"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	png  = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 64)...)
	jpeg = append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{2}, 64)...)
)

type env struct {
	svc                   *Service
	store                 *sqlstore.Store
	clock                 *clock.Fake
	pool, bare, cli, cli2 string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	e := &env{store: st, clock: clk, svc: New(Config{Store: st, Clock: clk, BaseURL: "http://127.0.0.1:9229/"})}
	ps := pools.New(pools.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	for _, p := range []*string{&e.pool, &e.bare} {
		out, err := ps.CreateUserPool(ctx, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("p")})
		if err != nil {
			t.Fatal(err)
		}
		*p = *out.UserPool.Id
	}
	ds := domains.New(domains.Config{Store: st, Clock: clk, Region: "us-east-1", AccountID: "123456789012"})
	if _, err := ds.CreateUserPoolDomain(ctx, &cognitoidp.CreateUserPoolDomainRequest{UserPoolId: api.Ptr(e.pool), Domain: api.Ptr("branded")}); err != nil {
		t.Fatal(err)
	}
	for i, c := range []*string{&e.cli, &e.cli2} {
		*c = []string{"client1aaaaaaaaaaaaaaaaaaa", "client2aaaaaaaaaaaaaaaaaaa"}[i]
		if err := st.CreateClient(ctx, &storage.Client{PoolID: e.pool, ID: *c, Name: "c", Settings: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error = %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
}

func (e *env) set(t *testing.T, clientID, css string, img []byte) *cognitoidp.UICustomizationType {
	t.Helper()
	in := &cognitoidp.SetUICustomizationRequest{UserPoolId: api.Ptr(e.pool), ImageFile: img}
	if clientID != "" {
		in.ClientId = api.Ptr(clientID)
	}
	if css != "" {
		in.CSS = api.Ptr(css)
	}
	out, err := e.svc.SetUICustomization(context.Background(), in)
	if err != nil {
		t.Fatalf("SetUICustomization: %v", err)
	}
	return out.UICustomization
}

func (e *env) get(t *testing.T, clientID string) *cognitoidp.UICustomizationType {
	t.Helper()
	in := &cognitoidp.GetUICustomizationRequest{UserPoolId: api.Ptr(e.pool)}
	if clientID != "" {
		in.ClientId = api.Ptr(clientID)
	}
	out, err := e.svc.GetUICustomization(context.Background(), in)
	if err != nil {
		t.Fatalf("GetUICustomization: %v", err)
	}
	return out.UICustomization
}

const css = `.submitButton-customizable { background-color: #123456; color: white; transform: rotate(3deg); }
/* a comment */ .label-customizable, .logo-customizable { font-weight: 700; max-width: 50% }`

func TestUICustomization(t *testing.T) {
	e := newEnv(t)
	if got := e.get(t, e.cli); !cmp.Equal(got, &cognitoidp.UICustomizationType{}) {
		t.Errorf("nothing set: %+v", got)
	}
	all := e.set(t, "", css, png)
	want := &cognitoidp.UICustomizationType{UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr("ALL"),
		ImageUrl: api.Ptr("http://127.0.0.1:9229/_cogito/ui/" + e.pool + "/ALL/logo"), CSS: api.Ptr(css), CSSVersion: api.Ptr("20250301120000"),
		LastModifiedDate: api.NewTime(t0), CreationDate: api.NewTime(t0)}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("set ALL (-want +got):\n%s", diff)
	}
	// A client without its own falls back to ALL.
	if diff := cmp.Diff(want, e.get(t, e.cli)); diff != "" {
		t.Errorf("get client falls back (-want +got):\n%s", diff)
	}
	// A client's own replaces it, CSS and logo together.
	e.clock.Advance(time.Hour)
	own := e.set(t, e.cli, ".background-customizable { background-color: black; }", nil)
	if own.ImageUrl != nil || *own.ClientId != e.cli || *own.CSSVersion != "20250301130000" {
		t.Errorf("client's own = %+v", own)
	}
	if got := e.get(t, e.cli); *got.ClientId != e.cli || got.ImageUrl != nil {
		t.Errorf("get client = %+v", got)
	}
	if got := e.get(t, e.cli2); *got.ClientId != "ALL" {
		t.Errorf("another client = %+v", got)
	}
	// Setting again keeps the creation date.
	e.clock.Advance(time.Minute)
	again := e.set(t, e.cli, "", jpeg)
	if !again.CreationDate.Equal(t0.Add(time.Hour)) || !again.LastModifiedDate.Equal(t0.Add(time.Hour+time.Minute)) || again.CSS != nil || again.ImageUrl == nil {
		t.Errorf("set again = %+v", again)
	}

	ui, err := Effective(context.Background(), e.store, e.pool, e.cli2)
	if err != nil || ui.ClientID != "ALL" || ui.LogoType != "image/png" || !bytes.Equal(ui.Logo, png) || ui.LogoPath != "/_cogito/ui/"+e.pool+"/ALL/logo" {
		t.Fatalf("Effective = %+v, %v", ui, err)
	}
	wantCSS := ".submitButton-customizable { background-color: #123456; color: white; }\n.label-customizable { font-weight: 700; }\n.logo-customizable { max-width: 50%; }\n"
	if ui.HostedCSS != wantCSS {
		t.Errorf("HostedCSS =\n%s\nwant\n%s", ui.HostedCSS, wantCSS)
	}

	// The logos are served.
	h := LogoHandler(e.store, nil)
	mux := http.NewServeMux()
	mux.Handle(LogoPattern, h)
	for path, want := range map[string][]byte{"/_cogito/ui/" + e.pool + "/ALL/logo": png, "/_cogito/ui/" + e.pool + "/" + e.cli + "/logo": jpeg,
		"/_cogito/ui/" + e.pool + "/" + e.cli2 + "/logo": nil, "/_cogito/ui/us-east-1_Nope/ALL/logo": nil} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if want == nil {
			if rec.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d", path, rec.Code)
			}
			continue
		}
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) || rec.Header().Get("Content-Type") == "" {
			t.Errorf("GET %s = %d %q", path, rec.Code, rec.Header().Get("Content-Type"))
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
		rec2 := httptest.NewRecorder()
		mux.ServeHTTP(rec2, req)
		if rec2.Code != http.StatusNotModified {
			t.Errorf("conditional GET %s = %d", path, rec2.Code)
		}
	}
}

func TestUICustomizationErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	set := func(pool, client, css string, img []byte) error {
		in := &cognitoidp.SetUICustomizationRequest{UserPoolId: api.Ptr(pool), ImageFile: img}
		if client != "" {
			in.ClientId = api.Ptr(client)
		}
		if css != "" {
			in.CSS = api.Ptr(css)
		}
		_, err := e.svc.SetUICustomization(ctx, in)
		return err
	}
	big := append(bytes.Clone(png), bytes.Repeat([]byte{0}, maxLogoBytes)...)
	for _, tc := range []struct {
		name      string
		err       error
		code, msg string
	}{
		{"no domain", set(e.bare, "", ".label-customizable{font-weight:400}", nil), "InvalidParameterException", msgNoDomain},
		{"unknown client", set(e.pool, "nosuchclientaaaaaaaaaaaaaa", "", nil), "ResourceNotFoundException", "User pool client nosuchclientaaaaaaaaaaaaaa does not exist."},
		{"unknown pool", set("us-east-1_Missing00", "", "", nil), "ResourceNotFoundException", "User pool us-east-1_Missing00 does not exist."},
		{"other class", set(e.pool, "", "body { color: red }", nil), "InvalidParameterException", `css is not valid: selector "body" is not one of the customizable classes`},
		{"media query", set(e.pool, "", "@media print { .label-customizable { font-weight: 400 } }", nil), "InvalidParameterException", "css is not valid: @media is not allowed"},
		{"import", set(e.pool, "", "@import url(x.css);", nil), "InvalidParameterException", "css is not valid: @import is not allowed"},
		{"script", set(e.pool, "", ".label-customizable { background: url(javascript:alert(1)) }", nil), "InvalidParameterException", "css is not valid: javascript: is not allowed"},
		{"unterminated", set(e.pool, "", ".label-customizable { font-weight: 400", nil), "InvalidParameterException", "css is not valid: unterminated rule"},
		{"stray text", set(e.pool, "", "hello", nil), "InvalidParameterException", "css is not valid: text outside a rule"},
		{"bad declaration", set(e.pool, "", ".label-customizable { bold }", nil), "InvalidParameterException", `css is not valid: declaration "bold" has no property`},
		{"gif", set(e.pool, "", "", []byte("GIF89a.......")), "InvalidParameterException", msgImageType},
		{"too large", set(e.pool, "", "", big), "InvalidParameterException", msgImageTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, tc.code, tc.msg) })
	}
	_, err := e.svc.GetUICustomization(ctx, &cognitoidp.GetUICustomizationRequest{UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr("nosuchclientaaaaaaaaaaaaaa")})
	wantErr(t, err, "ResourceNotFoundException", "")
	if ui, err := Effective(ctx, e.store, e.pool, ALL); ui != nil || err != nil {
		t.Errorf("a refused Set stored %+v, %v", ui, err)
	}
}

func TestManagedLoginBranding(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	logo := cognitoidp.AssetType{Category: api.Ptr(cognitoidp.AssetCategoryTypeFormLogo), ColorMode: api.Ptr(cognitoidp.ColorSchemeModeTypeLight),
		Extension: api.Ptr(cognitoidp.AssetExtensionTypePng), Bytes: png}
	out, err := e.svc.CreateManagedLoginBranding(ctx, &cognitoidp.CreateManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr(e.cli),
		Settings: api.Document(`{"components":{"primaryButton":{"lightMode":{"defaults":{"backgroundColor":"ff0000ff"}}}}}`), Assets: []cognitoidp.AssetType{logo}})
	if err != nil {
		t.Fatal(err)
	}
	b := out.ManagedLoginBranding
	id := *b.ManagedLoginBrandingId
	if len(id) != 36 || *b.UserPoolId != e.pool || b.UseCognitoProvidedValues || len(b.Assets) != 1 || !b.CreationDate.Equal(t0) ||
		string(b.Settings) != `{"components":{"primaryButton":{"lightMode":{"defaults":{"backgroundColor":"ff0000ff"}}}}}` {
		t.Errorf("create = %+v", b)
	}
	// One style per client.
	_, err = e.svc.CreateManagedLoginBranding(ctx, &cognitoidp.CreateManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr(e.cli), UseCognitoProvidedValues: true})
	wantErr(t, err, "ManagedLoginBrandingExistsException", "A managed login branding style already exists for app client "+e.cli+".")

	// Merged resources put the style over the defaults.
	d, err := e.svc.DescribeManagedLoginBranding(ctx, &cognitoidp.DescribeManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ManagedLoginBrandingId: api.Ptr(id), ReturnMergedResources: true})
	if err != nil {
		t.Fatal(err)
	}
	var merged map[string]any
	if err := json.Unmarshal(d.ManagedLoginBranding.Settings, &merged); err != nil {
		t.Fatal(err)
	}
	pb := merged["components"].(map[string]any)["primaryButton"].(map[string]any)["lightMode"].(map[string]any)["defaults"].(map[string]any)
	if pb["backgroundColor"] != "ff0000ff" || pb["textColor"] != "ffffffff" || merged["categories"] == nil {
		t.Errorf("merged settings = %s", d.ManagedLoginBranding.Settings)
	}

	// Update merges settings and assets.
	e.clock.Advance(time.Minute)
	dark := logo
	dark.ColorMode = api.Ptr(cognitoidp.ColorSchemeModeTypeDark)
	newLight := logo
	newLight.Bytes = jpeg
	newLight.Extension = api.Ptr(cognitoidp.AssetExtensionTypeJpeg)
	u, err := e.svc.UpdateManagedLoginBranding(ctx, &cognitoidp.UpdateManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ManagedLoginBrandingId: api.Ptr(id),
		Settings: api.Document(`{"components":{"form":{"borderRadius":2}}}`), Assets: []cognitoidp.AssetType{dark, newLight}})
	if err != nil {
		t.Fatal(err)
	}
	ub := u.ManagedLoginBranding
	if string(ub.Settings) != `{"components":{"form":{"borderRadius":2},"primaryButton":{"lightMode":{"defaults":{"backgroundColor":"ff0000ff"}}}}}` ||
		len(ub.Assets) != 2 || !ub.LastModifiedDate.Equal(t0.Add(time.Minute)) {
		t.Errorf("update = %s %+v", ub.Settings, ub)
	}
	byClient, err := StyleForClient(ctx, e.store, e.pool, e.cli, false)
	if err != nil || *byClient.ManagedLoginBrandingId != id || len(byClient.Assets) != 2 {
		t.Errorf("StyleForClient = %+v, %v", byClient, err)
	}
	for _, a := range byClient.Assets {
		if *a.ColorMode == cognitoidp.ColorSchemeModeTypeLight && !bytes.Equal(a.Bytes, jpeg) {
			t.Error("the light logo was not replaced")
		}
	}
	// Back to the defaults.
	u, err = e.svc.UpdateManagedLoginBranding(ctx, &cognitoidp.UpdateManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ManagedLoginBrandingId: api.Ptr(id), UseCognitoProvidedValues: true})
	if err != nil || !u.ManagedLoginBranding.UseCognitoProvidedValues || u.ManagedLoginBranding.Settings != nil || u.ManagedLoginBranding.Assets != nil {
		t.Errorf("revert = %+v, %v", u, err)
	}
	bc, err := e.svc.DescribeManagedLoginBrandingByClient(ctx, &cognitoidp.DescribeManagedLoginBrandingByClientRequest{UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr(e.cli), ReturnMergedResources: true})
	if err != nil || !strings.Contains(string(bc.ManagedLoginBranding.Settings), `"componentClasses"`) {
		t.Errorf("by client merged = %+v, %v", bc, err)
	}

	if _, err := e.svc.DeleteManagedLoginBranding(ctx, &cognitoidp.DeleteManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ManagedLoginBrandingId: api.Ptr(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.DescribeManagedLoginBrandingByClient(ctx, &cognitoidp.DescribeManagedLoginBrandingByClientRequest{UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr(e.cli)})
	wantErr(t, err, "ResourceNotFoundException", "No managed login branding style is associated with app client "+e.cli+".")
	_, err = e.svc.DeleteManagedLoginBranding(ctx, &cognitoidp.DeleteManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ManagedLoginBrandingId: api.Ptr(id)})
	wantErr(t, err, "ResourceNotFoundException", "Managed login branding "+id+" does not exist.")
	// The client can have a new style.
	if _, err := e.svc.CreateManagedLoginBranding(ctx, &cognitoidp.CreateManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ClientId: api.Ptr(e.cli), UseCognitoProvidedValues: true}); err != nil {
		t.Fatal(err)
	}
}

func TestManagedLoginBrandingErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	create := func(in cognitoidp.CreateManagedLoginBrandingRequest) error {
		if in.UserPoolId == nil {
			in.UserPoolId = api.Ptr(e.pool)
		}
		if in.ClientId == nil {
			in.ClientId = api.Ptr(e.cli)
		}
		_, err := e.svc.CreateManagedLoginBranding(ctx, &in)
		return err
	}
	asset := cognitoidp.AssetType{Category: api.Ptr(cognitoidp.AssetCategoryTypeFaviconIco), ColorMode: api.Ptr(cognitoidp.ColorSchemeModeTypeDynamic), Extension: api.Ptr(cognitoidp.AssetExtensionTypeIco), Bytes: []byte{0, 0, 1, 0}}
	wantErr(t, create(cognitoidp.CreateManagedLoginBrandingRequest{UseCognitoProvidedValues: true, Settings: api.Document(`{}`)}), "InvalidParameterException", msgDefaultsWithValues)
	wantErr(t, create(cognitoidp.CreateManagedLoginBrandingRequest{UseCognitoProvidedValues: true, Assets: []cognitoidp.AssetType{asset}}), "InvalidParameterException", msgDefaultsWithValues)
	wantErr(t, create(cognitoidp.CreateManagedLoginBrandingRequest{Settings: api.Document(`[1,2]`)}), "InvalidParameterException", msgSettingsNotObject)
	wantErr(t, create(cognitoidp.CreateManagedLoginBrandingRequest{Assets: []cognitoidp.AssetType{asset, asset}}), "InvalidParameterException", "Duplicate asset for category FAVICON_ICO and color mode DYNAMIC.")
	wantErr(t, create(cognitoidp.CreateManagedLoginBrandingRequest{ClientId: api.Ptr("nosuchclientaaaaaaaaaaaaaa")}), "ResourceNotFoundException", "User pool client nosuchclientaaaaaaaaaaaaaa does not exist.")
	wantErr(t, create(cognitoidp.CreateManagedLoginBrandingRequest{UserPoolId: api.Ptr("us-east-1_Missing00")}), "ResourceNotFoundException", "User pool us-east-1_Missing00 does not exist.")
	_, err := e.svc.UpdateManagedLoginBranding(ctx, &cognitoidp.UpdateManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool)})
	wantErr(t, err, "InvalidParameterException", "ManagedLoginBrandingId is required.")
	_, err = e.svc.UpdateManagedLoginBranding(ctx, &cognitoidp.UpdateManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ManagedLoginBrandingId: api.Ptr("11111111-2222-4333-8444-555555555555")})
	wantErr(t, err, "ResourceNotFoundException", "Managed login branding 11111111-2222-4333-8444-555555555555 does not exist.")
	_, err = e.svc.DescribeManagedLoginBranding(ctx, &cognitoidp.DescribeManagedLoginBrandingRequest{UserPoolId: api.Ptr(e.pool), ManagedLoginBrandingId: api.Ptr("11111111-2222-4333-8444-555555555555")})
	wantErr(t, err, "ResourceNotFoundException", "")
	if _, err := StyleForClient(ctx, e.store, e.pool, e.cli, true); err != storage.ErrNotFound {
		t.Errorf("refused creates stored a style: %v", err)
	}
}

func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
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
	if got := call("GetUICustomization", `{`+pool+`}`); got != `{"UICustomization":{}}` {
		t.Errorf("get nothing = %s", got)
	}
	got := call("SetUICustomization", `{`+pool+`,"ClientId":"ALL","CSS":".label-customizable{font-weight:400}","ImageFile":"`+encode(png)+`"}`)
	want := `{"UICustomization":{` + pool + `,"ClientId":"ALL","ImageUrl":"http://127.0.0.1:9229/_cogito/ui/` + e.pool + `/ALL/logo","CSS":".label-customizable{font-weight:400}","CSSVersion":"20250301120000","LastModifiedDate":1740830400,"CreationDate":1740830400}}`
	if got != want {
		t.Errorf("set:\n got %s\nwant %s", got, want)
	}
	got = call("CreateManagedLoginBranding", `{`+pool+`,"ClientId":"`+e.cli+`","UseCognitoProvidedValues":true}`)
	if !strings.Contains(got, `"UseCognitoProvidedValues":true`) || strings.Contains(got, `"Settings"`) {
		t.Errorf("create style = %s", got)
	}
}

func encode(b []byte) string {
	s, _ := json.Marshal(b)
	return strings.Trim(string(s), `"`)
}
