package token

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Refresh-token strings have the shape of Cognito's: a JWE compact
// serialization, header.encryptedKey.iv.ciphertext.tag, with the header
// {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}. Ours hold, AES-256-GCM
// sealed under a key derived from the master key, only the record's handle;
// the encrypted-key part is random bytes of an RSA-2048 ciphertext's length,
// authenticated with the header (the JWE AAD), so a token has one spelling.
const (
	refreshKeyPurpose = "refresh-token"
	// refreshHeader is base64url({"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}).
	refreshHeader      = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ"
	refreshKeyBytes    = 256
	refreshNonceBytes  = 12
	refreshTagBytes    = 16
	maxRefreshTokenLen = 4096
)

// sealRefresh makes the refresh-token string for a record handle.
func (s *Service) sealRefresh(id string) string {
	var ek [refreshKeyBytes]byte
	var iv [refreshNonceBytes]byte
	_, _ = rand.Read(ek[:]) // crypto/rand.Read never fails
	_, _ = rand.Read(iv[:])
	b := make([]byte, 0, len(refreshHeader)+4+b64.EncodedLen(len(ek))+b64.EncodedLen(len(iv))+b64.EncodedLen(len(id))+b64.EncodedLen(refreshTagBytes))
	b = append(b, refreshHeader...)
	b = append(b, '.')
	b = b64.AppendEncode(b, ek[:])
	aad := len(b)
	sealed := s.refresh.Seal(nil, iv[:], []byte(id), b[:aad])
	ct, tag := sealed[:len(sealed)-refreshTagBytes], sealed[len(sealed)-refreshTagBytes:]
	b = append(b, '.')
	b = b64.AppendEncode(b, iv[:])
	b = append(b, '.')
	b = b64.AppendEncode(b, ct)
	b = append(b, '.')
	b = b64.AppendEncode(b, tag)
	return string(b)
}

// openRefresh returns the handle a refresh-token string seals, or false for
// anything that is not one of our refresh tokens.
func (s *Service) openRefresh(tok string) (string, bool) {
	if len(tok) == 0 || len(tok) > maxRefreshTokenLen || !tokenChars(tok) {
		return "", false
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 5 || parts[0] != refreshHeader {
		return "", false
	}
	if _, err := b64.DecodeString(parts[1]); err != nil {
		return "", false
	}
	iv, err := b64.DecodeString(parts[2])
	if err != nil || len(iv) != refreshNonceBytes {
		return "", false
	}
	ct, err := b64.DecodeString(parts[3])
	if err != nil || len(ct) == 0 {
		return "", false
	}
	tag, err := b64.DecodeString(parts[4])
	if err != nil || len(tag) != refreshTagBytes {
		return "", false
	}
	aad := tok[:len(parts[0])+1+len(parts[1])] // header.encryptedKey
	id, err := s.refresh.Open(nil, iv, append(ct, tag...), []byte(aad))
	if err != nil || len(id) == 0 {
		return "", false
	}
	return string(id), true
}

// tokenChars reports whether s has only the characters the API model allows
// in token strings: [A-Za-z0-9-_=.].
func tokenChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '=' || c == '.') {
			return false
		}
	}
	return true
}

// LooksLikeJWT reports whether tok has the shape of an ID or access token
// (three dot-separated parts), e.g. to tell a caller who sent one where a
// refresh token belongs.
func LooksLikeJWT(tok string) bool { return strings.Count(tok, ".") == 2 }

// newRefresh stores rec and returns its token string.
func (s *Service) newRefresh(ctx context.Context, rec *storage.RefreshToken) (string, error) {
	if err := s.store.CreateRefreshToken(ctx, rec); err != nil {
		return "", fmt.Errorf("token: storing a refresh token of pool %s: %w", rec.PoolID, err)
	}
	return s.sealRefresh(rec.ID), nil
}

func invalidRefresh() error { return cognitoidp.NewNotAuthorizedException(msgRefreshInvalid) }
func revokedRefresh() error { return cognitoidp.NewNotAuthorizedException(msgRefreshRevoked) }
func expiredRefresh() error { return cognitoidp.NewNotAuthorizedException(msgRefreshExpired) }
func reusedRefresh() error  { return cognitoidp.NewRefreshTokenReuseException(msgRefreshReused) }

// UseRefresh validates a refresh token for clientID (REFRESH_TOKEN_AUTH,
// GetTokensFromRefreshToken, the refresh_token grant): it must be ours, of
// that client, neither revoked nor expired. It returns the token's record,
// from which the caller reads the user (UserKey), the family (OriginJTI,
// AuthTime), the scopes and the device key for Reissue.
//
// With rotate (the client's RefreshTokenRotation enabled) the token is marked
// rotated and a new refresh token of the same family, valid for
// refreshValidity (0: 30 days), is returned. A rotated token is accepted for
// grace after its rotation (each use yields another new token); afterwards it
// is RefreshTokenReuseException and, per RevokeFamilyOnReuse, the family is
// revoked. Without rotate, newRefresh is "".
//
// Errors are NotAuthorizedException "Invalid Refresh Token." (not ours, or
// unknown), "Refresh Token has different Client.", "Refresh Token has been
// revoked", "Refresh Token has expired", or RefreshTokenReuseException.
func (s *Service) UseRefresh(ctx context.Context, refreshToken, clientID string, rotate bool, grace, refreshValidity time.Duration) (rec *storage.RefreshToken, newRefresh string, err error) {
	id, ok := s.openRefresh(refreshToken)
	if !ok {
		return nil, "", invalidRefresh()
	}
	rec, err = s.store.GetRefreshToken(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, "", invalidRefresh()
	}
	if err != nil {
		return nil, "", fmt.Errorf("token: reading a refresh token: %w", err)
	}
	now := s.clock.Now()
	if err := usable(rec, clientID, grace, now); err != nil {
		return nil, "", s.refused(ctx, rec, err, now)
	}
	if !rotate {
		return rec, "", nil
	}

	if rec.RotatedAt == nil {
		var refusedBy *storage.RefreshToken
		rotated, err := s.store.UpdateRefreshToken(ctx, id, func(t *storage.RefreshToken) error {
			if err := usable(t, clientID, grace, now); err != nil {
				refusedBy = t
				return err
			}
			if t.RotatedAt != nil {
				return storage.ErrSkip // a concurrent use rotated it; still within grace
			}
			t.RotatedAt = &now
			return nil
		})
		switch {
		case err == nil:
			if rotated != nil {
				rec = rotated
			}
		case refusedBy != nil:
			return nil, "", s.refused(ctx, refusedBy, err, now)
		case errors.Is(err, storage.ErrNotFound):
			return nil, "", invalidRefresh()
		default:
			return nil, "", fmt.Errorf("token: rotating a refresh token: %w", err)
		}
	}

	if refreshValidity <= 0 {
		refreshValidity = DefaultRefreshValidity
	}
	next := &storage.RefreshToken{
		ID:        uuid.NewString(),
		PoolID:    rec.PoolID,
		ClientID:  rec.ClientID,
		UserKey:   rec.UserKey,
		OriginJTI: rec.OriginJTI,
		DeviceKey: rec.DeviceKey,
		Scopes:    rec.Scopes,
		AuthTime:  rec.AuthTime,
		CreatedAt: now,
		ExpiresAt: now.Add(refreshValidity),
	}
	tok, err := s.newRefresh(ctx, next)
	if err != nil {
		return nil, "", err
	}
	// A revocation that raced the rotation may have missed the new token:
	// hand it out only if the family is still live.
	revoked, err := s.store.FamilyRevoked(ctx, rec.PoolID, rec.OriginJTI)
	if err != nil {
		return nil, "", fmt.Errorf("token: checking a token family: %w", err)
	}
	if revoked {
		return nil, "", revokedRefresh()
	}
	return rec, tok, nil
}

// usable applies UseRefresh's checks to a record, in order: client,
// revocation, expiry, reuse after rotation.
func usable(t *storage.RefreshToken, clientID string, grace time.Duration, now time.Time) error {
	switch {
	case t.ClientID != clientID:
		return cognitoidp.NewNotAuthorizedException(msgRefreshOtherClient)
	case t.RevokedAt != nil:
		return revokedRefresh()
	case !now.Before(t.ExpiresAt):
		return expiredRefresh()
	case t.RotatedAt != nil && !now.Before(t.RotatedAt.Add(grace)):
		return reusedRefresh()
	}
	return nil
}

// refused passes on usable's verdict on t, first revoking the family when
// the verdict is reuse after the grace period (RevokeFamilyOnReuse).
func (s *Service) refused(ctx context.Context, t *storage.RefreshToken, verdict error, now time.Time) error {
	if e, ok := awserr.As(verdict); !ok || e.Code != cognitoidp.CodeRefreshTokenReuseException || !RevokeFamilyOnReuse {
		return verdict
	}
	if err := s.revokeFamily(ctx, t, now); err != nil {
		return err
	}
	s.log.Info("rotated refresh token reused after its grace period; family revoked",
		"pool", t.PoolID, "client", t.ClientID, "origin_jti", t.OriginJTI)
	return verdict
}

// revokeFamily revokes the family of t, keeping the record until the last
// access token the family can have minted has expired: a rotated family's
// newest refresh token was made at most now, with t's lifetime.
func (s *Service) revokeFamily(ctx context.Context, t *storage.RefreshToken, now time.Time) error {
	until := t.ExpiresAt
	if latest := now.Add(t.ExpiresAt.Sub(t.CreatedAt)); latest.After(until) {
		until = latest
	}
	until = until.Add(familyRecordSlack)
	if err := s.store.RevokeFamily(ctx, t.PoolID, t.OriginJTI, now, until); err != nil {
		return fmt.Errorf("token: revoking a token family of pool %s: %w", t.PoolID, err)
	}
	return nil
}

// RevokeRefresh implements RevokeToken (and /oauth2/revoke): it revokes the
// refresh token's family, so the token, every refresh token rotated from it
// and every ID and access token of the family stop working. The caller
// checks the app client (secret, EnableTokenRevocation) first.
//
// A string that is not one of our refresh tokens is
// UnsupportedTokenTypeException; another client's token is
// UnauthorizedException; a token already revoked, or unknown (collected
// after it expired), succeeds and changes nothing.
func (s *Service) RevokeRefresh(ctx context.Context, refreshToken, clientID string) error {
	id, ok := s.openRefresh(refreshToken)
	if !ok {
		return cognitoidp.NewUnsupportedTokenTypeException(msgRevokeUnsupported)
	}
	rec, err := s.store.GetRefreshToken(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("token: reading a refresh token: %w", err)
	}
	if rec.ClientID != clientID {
		return cognitoidp.NewUnauthorizedException(msgRevokeOtherClient)
	}
	if rec.RevokedAt != nil {
		return nil
	}
	if err := s.revokeFamily(ctx, rec, s.clock.Now()); err != nil {
		return err
	}
	s.log.Debug("token family revoked", "pool", rec.PoolID, "client", rec.ClientID, "origin_jti", rec.OriginJTI)
	return nil
}

// RevokeUser revokes every token family of a user (GlobalSignOut,
// AdminUserGlobalSignOut, and whatever else ends all of a user's sessions:
// disabling, deleting, password resets). userKey is storage.User.Key.
func (s *Service) RevokeUser(ctx context.Context, poolID, userKey string) error {
	n, err := s.store.RevokeUserTokens(ctx, poolID, userKey, s.clock.Now())
	if err != nil {
		return fmt.Errorf("token: revoking the tokens of a user of pool %s: %w", poolID, err)
	}
	s.log.Debug("user's token families revoked", "pool", poolID, "families", n)
	return nil
}

// FamilyRevoked reports whether the family origin_jti names was revoked
// (identity pools' ServerSideTokenCheck of ID tokens).
func (s *Service) FamilyRevoked(ctx context.Context, poolID, originJTI string) (bool, error) {
	revoked, err := s.store.FamilyRevoked(ctx, poolID, originJTI)
	if err != nil {
		return false, fmt.Errorf("token: checking a token family: %w", err)
	}
	return revoked, nil
}
