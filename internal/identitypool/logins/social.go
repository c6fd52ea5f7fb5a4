package logins

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Default endpoints of the public providers (each overridable in
// config.SocialConfig).
const (
	DefaultGoogleJWKSURL      = "https://www.googleapis.com/oauth2/v3/certs"
	DefaultAppleJWKSURL       = "https://appleid.apple.com/auth/keys"
	DefaultFacebookGraphURL   = "https://graph.facebook.com"
	DefaultAmazonTokenInfoURL = "https://api.amazon.com/auth/o2/tokeninfo"
)

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// checkOIDC verifies a token of an IAM OIDC provider.
func (v *Validator) checkOIDC(ctx context.Context, arn, name, tok string) (*Login, error) {
	p := v.oidc[arn]
	issuer := p.Issuer
	if issuer == "" {
		issuer = "https://" + name
	}
	claims, err := v.verifyJWT(ctx, tok, jwtCheck{
		provider: name, issuers: []string{issuer}, audiences: p.ClientIDs, jwksURL: p.JWKSURL,
	})
	if err != nil {
		return nil, err
	}
	return jwtLogin(KindOIDC, name, claims), nil
}

// checkGoogle verifies a Google id_token whose aud (or azp) is one of the
// pool's Google client ids.
func (v *Validator) checkGoogle(ctx context.Context, clientIDs, tok string) (*Login, error) {
	const provider = "accounts.google.com"
	claims, err := v.verifyJWT(ctx, tok, jwtCheck{
		provider: provider, issuers: []string{"https://accounts.google.com", "accounts.google.com"},
		audiences: splitIDs(clientIDs), jwksURL: orDefault(v.social.GoogleJWKSURL, DefaultGoogleJWKSURL),
	})
	if err != nil {
		return nil, err
	}
	return jwtLogin(KindGoogle, provider, claims), nil
}

// checkApple verifies a Sign in with Apple id_token whose aud is one of the
// pool's service ids.
func (v *Validator) checkApple(ctx context.Context, clientIDs, tok string) (*Login, error) {
	const provider = "appleid.apple.com"
	claims, err := v.verifyJWT(ctx, tok, jwtCheck{
		provider: provider, issuers: []string{"https://appleid.apple.com"},
		audiences: splitIDs(clientIDs), jwksURL: orDefault(v.social.AppleJWKSURL, DefaultAppleJWKSURL),
	})
	if err != nil {
		return nil, err
	}
	return jwtLogin(KindApple, provider, claims), nil
}

func jwtLogin(kind Kind, provider string, claims map[string]any) *Login {
	sub, _ := claims["sub"].(string)
	return &Login{Kind: kind, Provider: provider, Subject: sub, RoleMappingKey: provider, Claims: claims,
		AMR: []string{provider, provider + ":" + claimString(claims["aud"]) + ":" + sub}}
}

// claimString renders a claim value as a string (lists joined with commas).
func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, claimString(e))
		}
		return strings.Join(parts, ",")
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// checkFacebook checks a Facebook access token with the Graph API: /me names
// the user, /app the app the token was issued to, which must be one of the
// pool's app ids.
func (v *Validator) checkFacebook(ctx context.Context, appIDs, tok string) (*Login, error) {
	const provider = "graph.facebook.com"
	if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
		return nil, notAuthorized(fmt.Sprintf(msgSocialRejected, provider))
	}
	base := strings.TrimRight(orDefault(v.social.FacebookGraphURL, DefaultFacebookGraphURL), "/")
	var me struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	ok, err := v.tokenInfo(ctx, base+"/me?fields=id,name&access_token="+url.QueryEscape(tok), &me)
	if err != nil {
		return nil, v.external(ctx, provider, err)
	}
	if !ok || me.ID == "" {
		return nil, notAuthorized(fmt.Sprintf(msgSocialRejected, provider))
	}
	var app struct {
		ID string `json:"id"`
	}
	ok, err = v.tokenInfo(ctx, base+"/app?access_token="+url.QueryEscape(tok), &app)
	if err != nil {
		return nil, v.external(ctx, provider, err)
	}
	if !ok || !slices.Contains(splitIDs(appIDs), app.ID) {
		return nil, notAuthorized(msgUnsupportedProvider)
	}
	claims := map[string]any{"sub": me.ID, "id": me.ID, "aud": app.ID}
	if me.Name != "" {
		claims["name"] = me.Name
	}
	return &Login{Kind: KindFacebook, Provider: provider, Subject: me.ID, RoleMappingKey: provider, Claims: claims,
		AMR: []string{provider, provider + ":" + app.ID + ":" + me.ID}}, nil
}

// checkAmazon checks a Login with Amazon access token at the token-info
// endpoint: aud (the client id) or app_id must be one of the pool's ids.
func (v *Validator) checkAmazon(ctx context.Context, appIDs, tok string) (*Login, error) {
	const provider = "www.amazon.com"
	if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
		return nil, notAuthorized(fmt.Sprintf(msgSocialRejected, provider))
	}
	var info struct {
		Aud    string      `json:"aud"`
		AppID  string      `json:"app_id"`
		UserID string      `json:"user_id"`
		Exp    json.Number `json:"exp"`
	}
	base := orDefault(v.social.AmazonTokenInfoURL, DefaultAmazonTokenInfoURL)
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	ok, err := v.tokenInfo(ctx, base+sep+"access_token="+url.QueryEscape(tok), &info)
	if err != nil {
		return nil, v.external(ctx, provider, err)
	}
	if !ok || info.UserID == "" {
		return nil, notAuthorized(fmt.Sprintf(msgSocialRejected, provider))
	}
	if n, err := info.Exp.Int64(); err == nil && n <= 0 {
		now := v.clock.Now()
		return nil, expired(now, now.Add(time.Duration(n)*time.Second))
	}
	ids := splitIDs(appIDs)
	if !slices.Contains(ids, info.Aud) && !slices.Contains(ids, info.AppID) {
		return nil, notAuthorized(msgUnsupportedProvider)
	}
	claims := map[string]any{"sub": info.UserID, "user_id": info.UserID, "aud": info.Aud, "app_id": info.AppID}
	return &Login{Kind: KindAmazon, Provider: provider, Subject: info.UserID, RoleMappingKey: provider, Claims: claims,
		AMR: []string{provider, provider + ":" + info.Aud + ":" + info.UserID}}, nil
}

// tokenInfo GETs a provider's token endpoint: ok is false when the provider
// refused the token (a 4xx), err when it could not be asked.
func (v *Validator) tokenInfo(ctx context.Context, u string, dst any) (ok bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := v.client.Do(req)
	if err != nil {
		// The URL holds the token: report only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			return false, fmt.Errorf("%s %s: %w", ue.Op, req.URL.Host, ue.Err)
		}
		return false, errors.New("request failed")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes))
	if err != nil {
		return false, err
	}
	switch {
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		return false, nil
	case resp.StatusCode != http.StatusOK:
		return false, fmt.Errorf("answered %d", resp.StatusCode)
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return false, nil
	}
	return true, nil
}
