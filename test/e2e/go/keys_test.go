package e2e

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func testSigningCertificate(t *testing.T, c *cogito) {
	needs(t, "GetSigningCertificate")
	pool := aws.ToString(createPool(t, c, "cert", nil).Id)
	out, err := c.IDP.GetSigningCertificate(ctx(t), &idp.GetSigningCertificateInput{UserPoolId: &pool})
	if err != nil {
		t.Fatalf("GetSigningCertificate: %v", err)
	}
	cert := parseCertificate(t, aws.ToString(out.Certificate))
	if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
		t.Errorf("certificate key is %T, want RSA", cert.PublicKey)
	}
	if now := time.Now(); now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		t.Errorf("certificate not valid now: %v .. %v", cert.NotBefore, cert.NotAfter)
	}
	// Cognito documents a validity of ten years.
	if life := cert.NotAfter.Sub(cert.NotBefore); life < 9*365*24*time.Hour {
		t.Errorf("certificate lifetime %v, want about ten years", life)
	}
	again, err := c.IDP.GetSigningCertificate(ctx(t), &idp.GetSigningCertificateInput{UserPoolId: &pool})
	if err != nil {
		t.Fatalf("GetSigningCertificate again: %v", err)
	}
	if aws.ToString(again.Certificate) != aws.ToString(out.Certificate) {
		t.Errorf("a second GetSigningCertificate returned another certificate")
	}
	// Another pool has another certificate.
	other := aws.ToString(createPool(t, c, "cert-other", nil).Id)
	o2, err := c.IDP.GetSigningCertificate(ctx(t), &idp.GetSigningCertificateInput{UserPoolId: &other})
	if err != nil {
		t.Fatalf("GetSigningCertificate(other): %v", err)
	}
	if aws.ToString(o2.Certificate) == aws.ToString(out.Certificate) {
		t.Errorf("two pools share a signing certificate")
	}
	_, err = c.IDP.GetSigningCertificate(ctx(t), &idp.GetSigningCertificateInput{UserPoolId: aws.String("us-east-1_NoSuchPool4")})
	wantClientError(t, err, "ResourceNotFoundException")
}

// parseCertificate reads GetSigningCertificate's Certificate: the base64 of
// an X.509 DER certificate, without PEM armour.
func parseCertificate(t *testing.T, s string) *x509.Certificate {
	t.Helper()
	if strings.Contains(s, "-----BEGIN") {
		t.Fatalf("Certificate is PEM; Cognito returns bare base64 DER: %.60q", s)
	}
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("Certificate is not standard base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("Certificate is not X.509 DER: %v", err)
	}
	return cert
}

type jwk struct {
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Kty string `json:"kty"`
	E   string `json:"e"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// getJSON fetches url and decodes a JSON body, checking status 200 and a
// JSON content type.
func getJSON(t *testing.T, c *cogito, url string, v any) {
	t.Helper()
	resp, err := c.HTTP.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", url, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q, want application/json", url, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v\n%s", url, err, body)
	}
}

// awsJwtVerifyPoolID is the pool id form aws-jwt-verify insists on.
var awsJwtVerifyPoolID = regexp.MustCompile(`^(?P<region>[a-z]{2}-(gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$`)

// fetchJWKS fetches and checks a pool's JWKS the way aws-jwt-verify reads
// one, returning the keys by kid.
func fetchJWKS(t *testing.T, c *cogito, url string) map[string]*rsa.PublicKey {
	t.Helper()
	var set struct {
		Keys []jwk `json:"keys"`
	}
	getJSON(t, c, url, &set)
	// Access and ID tokens are signed with different keys.
	if len(set.Keys) < 2 {
		t.Fatalf("JWKS has %d keys, want at least 2 (one for ID tokens, one for access tokens)", len(set.Keys))
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kid == "" || keys[k.Kid] != nil {
			t.Errorf("JWK kid %q empty or repeated", k.Kid)
		}
		if k.Kty != "RSA" || k.Alg != "RS256" || k.Use != "sig" || k.E != "AQAB" {
			t.Errorf("JWK %s: kty %q alg %q use %q e %q, want RSA RS256 sig AQAB", k.Kid, k.Kty, k.Alg, k.Use, k.E)
		}
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		if err != nil {
			t.Errorf("JWK %s: n is not unpadded base64url: %v", k.Kid, err)
			continue
		}
		e, err := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil {
			t.Errorf("JWK %s: e is not unpadded base64url: %v", k.Kid, err)
			continue
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if pub.N.BitLen() < 2048 {
			t.Errorf("JWK %s: %d-bit modulus, want at least 2048", k.Kid, pub.N.BitLen())
		}
		if pub.E != 65537 {
			t.Errorf("JWK %s: exponent %d", k.Kid, pub.E)
		}
		keys[k.Kid] = pub
	}
	return keys
}

func testJWKSAndDiscovery(t *testing.T, c *cogito) {
	pool := aws.ToString(createPool(t, c, "jwks", nil).Id)
	if !awsJwtVerifyPoolID.MatchString(pool) {
		t.Errorf("pool id %q is not of the form aws-jwt-verify accepts (%s)", pool, awsJwtVerifyPoolID)
	}
	keys := fetchJWKS(t, c, c.URL+"/"+pool+"/.well-known/jwks.json")

	var disc map[string]any
	getJSON(t, c, c.URL+"/"+pool+"/.well-known/openid-configuration", &disc)
	issuer, _ := disc["issuer"].(string)
	if want := c.URL + "/" + pool; issuer != want {
		t.Errorf("issuer = %q, want %q", issuer, want)
	}
	if jwksURI, _ := disc["jwks_uri"].(string); jwksURI != issuer+"/.well-known/jwks.json" {
		t.Errorf("jwks_uri = %q, want %q", jwksURI, issuer+"/.well-known/jwks.json")
	} else {
		// A relying party follows jwks_uri and finds the same keys.
		again := fetchJWKS(t, c, jwksURI)
		if len(again) != len(keys) {
			t.Errorf("jwks_uri serves %d keys, the well-known path %d", len(again), len(keys))
		}
		for kid, k := range keys {
			if a := again[kid]; a == nil || !a.Equal(k) {
				t.Errorf("key %s differs between fetches", kid)
			}
		}
	}
	strs := func(name string) []string {
		v, _ := disc[name].([]any)
		var out []string
		for _, s := range v {
			str, _ := s.(string)
			out = append(out, str)
		}
		return out
	}
	if got := strs("id_token_signing_alg_values_supported"); !slices.Equal(got, []string{"RS256"}) {
		t.Errorf("id_token_signing_alg_values_supported = %v", got)
	}
	if got := strs("subject_types_supported"); !slices.Equal(got, []string{"public"}) {
		t.Errorf("subject_types_supported = %v", got)
	}
	if got := strs("response_types_supported"); !slices.Contains(got, "code") {
		t.Errorf("response_types_supported = %v", got)
	}
	if got := strs("scopes_supported"); !slices.Contains(got, "openid") {
		t.Errorf("scopes_supported = %v", got)
	}

	// Another pool has its own keys.
	other := aws.ToString(createPool(t, c, "jwks-other", nil).Id)
	for kid := range fetchJWKS(t, c, c.URL+"/"+other+"/.well-known/jwks.json") {
		if keys[kid] != nil {
			t.Errorf("pools share key %s", kid)
		}
	}

	// Unknown and deleted pools have no keys.
	for _, p := range []string{"us-east-1_NoSuchPool5", "not-a-pool-id"} {
		for _, path := range []string{"/.well-known/jwks.json", "/.well-known/openid-configuration"} {
			resp, err := c.HTTP.Get(c.URL + "/" + p + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET /%s%s: status %d, want 404", p, path, resp.StatusCode)
			}
		}
	}
	if _, err := c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &pool}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	resp, err := c.HTTP.Get(c.URL + "/" + pool + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("JWKS of a deleted pool: status %d, want 404", resp.StatusCode)
	}
}
