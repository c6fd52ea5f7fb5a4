package token

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Issue mints an ID token and an access token for sub and, withRefresh, a
// new refresh token recorded in the store. With sub.OriginJTI empty it starts
// a new token family (a sign-in); otherwise the tokens join that family.
//
// A new family without a refresh token (the OAuth implicit grant) is still
// recorded, as a refresh-token record that is never handed out and expires
// with the tokens, so RevokeUser (GlobalSignOut) finds and revokes it.
func (s *Service) Issue(ctx context.Context, sub Subject, v Validity, withRefresh bool) (*Issued, error) {
	if err := checkSubject(&sub); err != nil {
		return nil, err
	}
	if s.preToken != nil {
		src := sub.TriggerSource
		if src == "" {
			src = TriggerAuthentication
		}
		if err := s.preToken(ctx, &sub, src); err != nil {
			return nil, err
		}
	}
	v = v.withDefaults()
	now := s.clock.Now()
	if sub.AuthTime.IsZero() {
		sub.AuthTime = now
	}
	newFamily := sub.OriginJTI == ""
	if newFamily {
		sub.OriginJTI = uuid.NewString()
	}
	out, err := s.mint(ctx, &sub, v, now)
	if err != nil {
		return nil, err
	}
	if withRefresh || newFamily {
		rec := &storage.RefreshToken{
			ID:        uuid.NewString(),
			PoolID:    sub.PoolID,
			ClientID:  sub.ClientID,
			UserKey:   sub.UserKey,
			OriginJTI: sub.OriginJTI,
			DeviceKey: sub.DeviceKey,
			Scopes:    scopesOf(&sub),
			AuthTime:  sub.AuthTime.UTC().Truncate(time.Second),
			CreatedAt: now,
			ExpiresAt: now.Add(v.Refresh),
		}
		if !withRefresh {
			rec.ExpiresAt = now.Add(max(v.ID, v.Access))
		}
		tok, err := s.newRefresh(ctx, rec)
		if err != nil {
			return nil, err
		}
		if withRefresh {
			out.RefreshToken = tok
		}
	}
	return out, nil
}

// Reissue mints ID and access tokens for an existing family (the refresh
// flows), keeping its origin_jti and auth_time: sub.OriginJTI and
// sub.AuthTime are required (take them from the storage.RefreshToken that
// UseRefresh returned). No refresh token is made; UseRefresh rotates them.
func (s *Service) Reissue(ctx context.Context, sub Subject, v Validity) (*Issued, error) {
	if sub.OriginJTI == "" || sub.AuthTime.IsZero() {
		return nil, errors.New("token: Reissue needs the family's OriginJTI and AuthTime")
	}
	if sub.TriggerSource == "" {
		sub.TriggerSource = TriggerRefreshTokens
	}
	return s.Issue(ctx, sub, v, false)
}

// checkSubject rejects a Subject no caller should build.
func checkSubject(sub *Subject) error {
	if sub.PoolID == "" || sub.ClientID == "" || sub.Username == "" || sub.Sub == "" {
		return errors.New("token: Subject needs PoolID, ClientID, Username and Sub")
	}
	if sub.UserKey == "" {
		sub.UserKey = sub.Username
	}
	return nil
}

// scopesOf is the access token's scopes.
func scopesOf(sub *Subject) []string {
	if sub.Scopes == nil {
		return []string{AdminScope}
	}
	return slices.Clone(sub.Scopes)
}

// mint signs the access token, then the ID token (which may hash the access
// token in at_hash).
func (s *Service) mint(ctx context.Context, sub *Subject, v Validity, now time.Time) (*Issued, error) {
	iat := now.Unix()
	m := &minted{
		iss:       s.issuer(sub.PoolID),
		originJTI: sub.OriginJTI,
		eventID:   sub.EventID,
		authTime:  sub.AuthTime.Unix(),
		iat:       iat,
		idExp:     iat + int64(v.ID/time.Second),
		accessExp: iat + int64(v.Access/time.Second),
		scopes:    scopesOf(sub),
		idJTI:     uuid.NewString(),
		accessJTI: uuid.NewString(),
		attrNames: attributeNames(sub.Attributes),
	}
	if m.eventID == "" {
		m.eventID = uuid.NewString()
	}
	m.identities = sub.Identities
	if m.identities == "" {
		m.identities = sub.Attributes["identities"]
	}

	payload, err := accessClaims(sub, m)
	if err != nil {
		return nil, err
	}
	if m.accessToken, err = s.sign(ctx, sub.PoolID, keys.UseAccess, payload); err != nil {
		return nil, err
	}
	if payload, err = idClaims(sub, m); err != nil {
		return nil, err
	}
	idToken, err := s.sign(ctx, sub.PoolID, keys.UseID, payload)
	if err != nil {
		return nil, err
	}
	return &Issued{
		IDToken:     idToken,
		AccessToken: m.accessToken,
		ExpiresIn:   int32(v.Access / time.Second),
		OriginJTI:   m.originJTI,
		EventID:     m.eventID,
		IssuedAt:    time.Unix(iat, 0).UTC(),
	}, nil
}

// sign signs payload with the pool's active key for use.
func (s *Service) sign(ctx context.Context, poolID, use string, payload []byte) (string, error) {
	kid, key, err := s.keys.Signer(ctx, poolID, use)
	if err != nil {
		return "", fmt.Errorf("token: %s signing key of pool %s: %w", use, poolID, err)
	}
	return signJWS(kid, key, payload)
}

// IssueClientCredentials mints the access token of the OAuth
// client_credentials grant: no user, sub is the app client id (claim set
// unverified: sub, token_use, scope, auth_time, iss, exp, iat, version, jti,
// client_id).
func (s *Service) IssueClientCredentials(ctx context.Context, poolID, clientID string, scopes []string, validity time.Duration) (accessToken string, expiresIn int32, err error) {
	if poolID == "" || clientID == "" {
		return "", 0, errors.New("token: IssueClientCredentials needs a pool and a client")
	}
	if validity <= 0 {
		validity = DefaultAccessValidity
	}
	// The pre token generation trigger (V3_0 functions only) sees the
	// client as the subject and may change the scopes and claims.
	var override Override
	if s.preToken != nil {
		sub := Subject{PoolID: poolID, ClientID: clientID, Scopes: slices.Clone(scopes), TriggerSource: TriggerClientCredentials}
		if err := s.preToken(ctx, &sub, TriggerClientCredentials); err != nil {
			return "", 0, err
		}
		scopes, override = sub.Scopes, sub.AccessOverride
	}
	iat := s.clock.Now().Unix()
	c := newClaimSet(10)
	c.str("sub", clientID)
	c.str("token_use", "access")
	c.str("scope", strings.Join(scopes, " "))
	c.num("auth_time", iat)
	c.str("iss", s.issuer(poolID))
	c.num("exp", iat+int64(validity/time.Second))
	c.num("iat", iat)
	c.num("version", 2)
	c.str("jti", uuid.NewString())
	c.str("client_id", clientID)
	if err := c.apply(override, true); err != nil {
		return "", 0, err
	}
	tok, err := s.sign(ctx, poolID, keys.UseAccess, c.marshal())
	if err != nil {
		return "", 0, err
	}
	return tok, int32(validity / time.Second), nil
}
