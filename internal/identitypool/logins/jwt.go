package logins

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// jwtAlgorithms are the signature algorithms accepted from external
// providers (never "none" or HMAC).
var jwtAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512, jose.ES256, jose.ES384, jose.ES512,
}

// looksLikeJWT reports whether tok has the shape of a compact JWS with a JSON
// payload.
func looksLikeJWT(tok string) bool {
	_, ok := unverifiedClaims(tok)
	return ok
}

// unverifiedClaims decodes a compact JWS's payload without verifying it (to
// choose the right refusal before verification).
func unverifiedClaims(tok string) (map[string]any, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(tok) > 50000 {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, false
	}
	return decodeClaims(b)
}

func decodeClaims(b []byte) (map[string]any, bool) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

// jwtCheck says how to verify an external provider's JWT.
type jwtCheck struct {
	provider string   // for messages and logs
	issuers  []string // accepted iss values
	// audiences accepted in aud or azp; empty accepts any.
	audiences []string
	// jwksURL is where the keys are; "" discovers them from issuers[0].
	jwksURL string
}

// verifyJWT verifies tok against chk and returns its claims.
func (v *Validator) verifyJWT(ctx context.Context, tok string, chk jwtCheck) (map[string]any, error) {
	claims, ok := unverifiedClaims(tok)
	if !ok {
		return nil, notAuthorized(msgNotOIDC)
	}
	jws, err := jose.ParseSignedCompact(tok, jwtAlgorithms)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, notAuthorized(msgNotOIDC)
	}
	iss, _ := claims["iss"].(string)
	if !slices.Contains(chk.issuers, iss) {
		return nil, notAuthorized(msgIssuerMismatch)
	}
	if _, ok := claims["aud"]; !ok {
		return nil, notAuthorized(msgMissingAud)
	}
	url := chk.jwksURL
	if url == "" {
		if url, err = v.keys.discover(ctx, chk.issuers[0]); err != nil {
			return nil, v.external(ctx, chk.provider, err)
		}
	}
	candidates, err := v.keys.keys(ctx, url, jws.Signatures[0].Header.KeyID)
	if err != nil {
		return nil, v.external(ctx, chk.provider, err)
	}
	verified := false
	for _, k := range candidates {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		if _, err := jws.Verify(k.Key); err == nil {
			verified = true
			break
		}
	}
	if !verified {
		return nil, notAuthorized(msgCouldntVerify)
	}
	if len(chk.audiences) > 0 && !audienceMatches(claims, chk.audiences) {
		return nil, notAuthorized(msgUnsupportedProvider)
	}
	exp, err := numericClaim(claims, "exp")
	if err != nil {
		return nil, notAuthorized(msgNotOIDC)
	}
	if now := v.clock.Now(); now.Unix() >= exp {
		return nil, expired(now, time.Unix(exp, 0))
	}
	if sub, _ := claims["sub"].(string); sub == "" {
		return nil, notAuthorized(msgNotOIDC)
	}
	return claims, nil
}

// audienceMatches reports whether aud (a string or a list) or azp names one
// of want.
func audienceMatches(claims map[string]any, want []string) bool {
	var got []string
	switch a := claims["aud"].(type) {
	case string:
		got = append(got, a)
	case []any:
		for _, x := range a {
			if s, ok := x.(string); ok {
				got = append(got, s)
			}
		}
	}
	if azp, ok := claims["azp"].(string); ok {
		got = append(got, azp)
	}
	for _, g := range got {
		if slices.Contains(want, g) {
			return true
		}
	}
	return false
}

func numericClaim(claims map[string]any, name string) (int64, error) {
	n, ok := claims[name].(json.Number)
	if !ok {
		return 0, errors.New("logins: claim " + name + " is not a number")
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil {
		return 0, fmt.Errorf("logins: claim %s: %w", name, err)
	}
	return int64(f), nil
}

// splitIDs reads a SupportedLoginProviders value: one app or client id, or
// several separated by commas.
func splitIDs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
