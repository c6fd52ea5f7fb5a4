package token

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
)

// AccessClaims is what a verified access token says.
type AccessClaims struct {
	PoolID, ClientID, Username, Sub, OriginJTI, JTI, DeviceKey string
	Scopes                                                     []string
	Groups                                                     []string
	AuthTime, IssuedAt, ExpiresAt                              time.Time
	EventID                                                    string
}

// HasScope reports whether the token grants scope.
func (c *AccessClaims) HasScope(scope string) bool { return slices.Contains(c.Scopes, scope) }

// IDClaims is what a verified ID token says; VerifyID also returns every
// claim as decoded JSON (numbers as json.Number).
type IDClaims struct {
	Issuer, PoolID string
	// ClientID is aud.
	ClientID, Username, Sub, OriginJTI, JTI, EventID, Nonce string
	Groups, Roles                                           []string
	PreferredRole                                           string
	AuthTime, IssuedAt, ExpiresAt                           time.Time
}

// accessPayload and idPayload read only claims an Override cannot touch, so
// any token we minted decodes.
type accessPayload struct {
	Sub       string   `json:"sub"`
	Iss       string   `json:"iss"`
	ClientID  string   `json:"client_id"`
	OriginJTI string   `json:"origin_jti"`
	EventID   string   `json:"event_id"`
	TokenUse  string   `json:"token_use"`
	Scope     string   `json:"scope"`
	AuthTime  int64    `json:"auth_time"`
	Exp       int64    `json:"exp"`
	Iat       int64    `json:"iat"`
	JTI       string   `json:"jti"`
	Username  string   `json:"username"`
	Groups    []string `json:"cognito:groups"`
	DeviceKey string   `json:"device_key"`
}

type idPayload struct {
	Sub           string   `json:"sub"`
	Iss           string   `json:"iss"`
	Aud           string   `json:"aud"`
	OriginJTI     string   `json:"origin_jti"`
	EventID       string   `json:"event_id"`
	TokenUse      string   `json:"token_use"`
	AuthTime      int64    `json:"auth_time"`
	Exp           int64    `json:"exp"`
	Iat           int64    `json:"iat"`
	JTI           string   `json:"jti"`
	Username      string   `json:"cognito:username"`
	Nonce         string   `json:"nonce"`
	Groups        []string `json:"cognito:groups"`
	Roles         []string `json:"cognito:roles"`
	PreferredRole string   `json:"cognito:preferred_role"`
}

// payload is what check needs of a token's claims.
type payload interface {
	issuer() string
	use() string
	expiry() int64
}

func (p *accessPayload) issuer() string { return p.Iss }
func (p *accessPayload) use() string    { return p.TokenUse }
func (p *accessPayload) expiry() int64  { return p.Exp }
func (p *idPayload) issuer() string     { return p.Iss }
func (p *idPayload) use() string        { return p.TokenUse }
func (p *idPayload) expiry() int64      { return p.Exp }

// Verification outcomes, before they become the caller's errors.
type verdict int

const (
	verdictOK verdict = iota
	verdictInvalid
	verdictExpired
)

// verified is a token whose signature, issuer and use checked out.
type verified struct {
	poolID  string
	payload []byte
	exp     time.Time
}

// check verifies tok's shape, issuer, key and signature, then that its
// token_use is use and that it has not expired (the expiry reported as
// verdictExpired with the token still returned). dst receives the payload.
func (s *Service) check(ctx context.Context, tok, use string, dst payload) (*verified, verdict, error) {
	j, err := parseJWS(tok)
	if err != nil {
		return nil, verdictInvalid, nil
	}
	if err := json.Unmarshal(j.payload, dst); err != nil {
		return nil, verdictInvalid, nil
	}
	poolID, ok := s.poolOf(dst.issuer())
	if !ok {
		return nil, verdictInvalid, nil
	}
	pub, err := s.keys.PublicKey(ctx, poolID, j.kid)
	if errors.Is(err, keys.ErrUnknownKey) || errors.Is(err, keys.ErrNoKey) {
		return nil, verdictInvalid, nil
	}
	if err != nil {
		return nil, verdictInvalid, fmt.Errorf("token: reading the keys of pool %s: %w", poolID, err)
	}
	if !j.verify(pub) || dst.use() != use {
		return nil, verdictInvalid, nil
	}
	v := &verified{poolID: poolID, payload: j.payload, exp: time.Unix(dst.expiry(), 0).UTC()}
	if s.clock.Now().Unix() >= dst.expiry() {
		return v, verdictExpired, nil
	}
	return v, verdictOK, nil
}

// poolOf returns the pool whose issuer iss is, or false if iss is not one of
// our issuers.
func (s *Service) poolOf(iss string) (string, bool) {
	i := strings.LastIndexByte(iss, '/')
	if i < 0 {
		return "", false
	}
	poolID := iss[i+1:]
	if !validPoolID(poolID) || s.issuer(poolID) != iss {
		return "", false
	}
	return poolID, true
}

// validPoolID checks the model's UserPoolIdType: at most 55 characters of
// [\w-]+_[0-9a-zA-Z]+.
func validPoolID(id string) bool {
	if len(id) == 0 || len(id) > 55 {
		return false
	}
	us := strings.LastIndexByte(id, '_')
	if us <= 0 || us == len(id)-1 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if i > us && !alnum || i < us && !alnum && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// VerifyAccess verifies an access token: signature by a key (by kid) of the
// pool its iss names, alg RS256, iss one of our issuers, token_use "access",
// not expired, family not revoked. Refusals are NotAuthorizedException with
// Cognito's messages: "Invalid Access Token", "Access Token has expired",
// "Access Token has been revoked".
func (s *Service) VerifyAccess(ctx context.Context, tok string) (*AccessClaims, error) {
	var p accessPayload
	v, verdict, err := s.check(ctx, tok, "access", &p)
	if err != nil {
		return nil, err
	}
	switch verdict {
	case verdictInvalid:
		return nil, cognitoidp.NewNotAuthorizedException(msgAccessInvalid)
	case verdictExpired:
		return nil, cognitoidp.NewNotAuthorizedException(msgAccessExpired)
	}
	if p.OriginJTI != "" {
		revoked, err := s.store.FamilyRevoked(ctx, v.poolID, p.OriginJTI)
		if err != nil {
			return nil, fmt.Errorf("token: checking a token family: %w", err)
		}
		if revoked {
			return nil, cognitoidp.NewNotAuthorizedException(msgAccessRevoked)
		}
	}
	return &AccessClaims{
		PoolID:    v.poolID,
		ClientID:  p.ClientID,
		Username:  p.Username,
		Sub:       p.Sub,
		OriginJTI: p.OriginJTI,
		JTI:       p.JTI,
		DeviceKey: p.DeviceKey,
		Scopes:    strings.Fields(p.Scope),
		Groups:    p.Groups,
		AuthTime:  time.Unix(p.AuthTime, 0).UTC(),
		IssuedAt:  time.Unix(p.Iat, 0).UTC(),
		ExpiresAt: v.exp,
		EventID:   p.EventID,
	}, nil
}

// Authorize is VerifyAccess for the user self-service operations: the token
// must also carry the aws.cognito.signin.user.admin scope, else
// NotAuthorizedException "Access Token does not have required scopes".
func (s *Service) Authorize(ctx context.Context, tok string) (*AccessClaims, error) {
	c, err := s.VerifyAccess(ctx, tok)
	if err != nil {
		return nil, err
	}
	if !c.HasScope(AdminScope) {
		return nil, cognitoidp.NewNotAuthorizedException(msgAccessScopes)
	}
	return c, nil
}

// VerifyID verifies an ID token (for identity pools and the OAuth
// endpoints): signature by a key of the pool its iss names, alg RS256, iss
// one of ours, token_use "id", not expired. It does not check revocation
// (ID tokens stay valid after sign-out except to a ServerSideTokenCheck; see
// FamilyRevoked). Errors wrap ErrInvalid, or are an *ExpiredError (ErrExpired).
func (s *Service) VerifyID(ctx context.Context, tok string) (*IDClaims, map[string]any, error) {
	var p idPayload
	v, verdict, err := s.check(ctx, tok, "id", &p)
	if err != nil {
		return nil, nil, err
	}
	switch verdict {
	case verdictInvalid:
		return nil, nil, ErrInvalid
	case verdictExpired:
		return nil, nil, &ExpiredError{Now: s.clock.Now(), ExpiresAt: v.exp}
	}
	all := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(v.payload))
	dec.UseNumber()
	if err := dec.Decode(&all); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return &IDClaims{
		Issuer:        p.Iss,
		PoolID:        v.poolID,
		ClientID:      p.Aud,
		Username:      p.Username,
		Sub:           p.Sub,
		OriginJTI:     p.OriginJTI,
		JTI:           p.JTI,
		EventID:       p.EventID,
		Nonce:         p.Nonce,
		Groups:        p.Groups,
		Roles:         p.Roles,
		PreferredRole: p.PreferredRole,
		AuthTime:      time.Unix(p.AuthTime, 0).UTC(),
		IssuedAt:      time.Unix(p.Iat, 0).UTC(),
		ExpiresAt:     v.exp,
	}, all, nil
}
