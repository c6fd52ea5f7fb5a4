package oauth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Authorization codes are rows of the store's one-time codes (they are the
// user's: deleted with the user, collected by the janitor when expired),
// purpose "oauth_code:{id}". The code handed out seals (pool, user key, id),
// so the token endpoint finds the row without an index of its own; the row
// keeps the code's SHA-256 and the grant. Redeeming deletes the row first
// (exactly one redeemer wins), then leaves a tombstone naming the token
// family it issued, so a second use revokes that family.

const codePurposePrefix = "oauth_code:"

// codeHandle is what a code string seals.
type codeHandle struct {
	PoolID  string `json:"p"`
	UserKey string `json:"k"`
	ID      string `json:"i"`
}

// grant is an authorization code's row data.
type grant struct {
	ClientID            string    `json:"c"`
	RedirectURI         string    `json:"r"`
	Scopes              []string  `json:"s"`
	Nonce               string    `json:"n,omitempty"`
	CodeChallenge       string    `json:"cc,omitempty"`
	CodeChallengeMethod string    `json:"ccm,omitempty"`
	AuthTime            time.Time `json:"a"`
	EventID             string    `json:"e,omitempty"`
	DeviceKey           string    `json:"d,omitempty"`
	// ACR, FirstFactor and MFAFactor give the tokens acr and amr
	// (auth.OAuthGrant).
	ACR         string `json:"acr,omitempty"`
	FirstFactor string `json:"ff,omitempty"`
	MFAFactor   string `json:"mf,omitempty"`
	// IdPLevel and IdPAMR: a federated sign-in's (SignIn).
	IdPLevel string   `json:"il,omitempty"`
	IdPAMR   []string `json:"ia,omitempty"`
	// Redeemed marks a tombstone: the code was used and issued OriginJTI.
	Redeemed  bool   `json:"x,omitempty"`
	OriginJTI string `json:"o,omitempty"`
}

func codeAAD(poolID string) []byte { return []byte("cogito/oauth-code/v1/" + poolID) }

// newCode stores an authorization code for user from txn and returns it.
func (s *Service) newCode(ctx context.Context, txn *Txn, user *storage.User, in SignIn) (string, error) {
	var id [16]byte
	_, _ = rand.Read(id[:])
	h := codeHandle{PoolID: user.PoolID, UserKey: user.Key, ID: b64.EncodeToString(id[:])}
	hb, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	code := b64.EncodeToString(s.codeAEAD.Seal(nil, nil, hb, codeAAD(user.PoolID)))
	// The pool id travels in the clear in front, so the AAD can bind it.
	code = user.PoolID + "." + code
	data, err := json.Marshal(grant{
		ClientID: txn.ClientID, RedirectURI: txn.RedirectURI, Scopes: txn.Scopes, Nonce: txn.Nonce,
		CodeChallenge: txn.CodeChallenge, CodeChallengeMethod: txn.CodeChallengeMethod,
		AuthTime: in.AuthTime.UTC(), EventID: in.EventID, DeviceKey: in.DeviceKey,
		ACR: txn.ACR, FirstFactor: in.FirstFactor, MFAFactor: in.MFAFactor, IdPLevel: in.IdPLevel, IdPAMR: in.IdPAMR,
	})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(code))
	now := s.clock.Now()
	err = s.store.PutCode(ctx, &storage.Code{
		PoolID: user.PoolID, UserKey: user.Key, Purpose: codePurposePrefix + h.ID,
		Hash: sum[:], Data: data, CreatedAt: now, ExpiresAt: now.Add(CodeLifetime),
	})
	if err != nil {
		return "", fmt.Errorf("oauth: storing an authorization code: %w", err)
	}
	return code, nil
}

// openCode returns the handle a code string seals, or false.
func (s *Service) openCode(code string) (codeHandle, bool) {
	var h codeHandle
	if len(code) > 1024 {
		return h, false
	}
	poolID, sealed, ok := cut(code, '.')
	if !ok {
		return h, false
	}
	raw, err := b64.DecodeString(sealed)
	if err != nil {
		return h, false
	}
	b, err := s.codeAEAD.Open(nil, nil, raw, codeAAD(poolID))
	if err != nil || json.Unmarshal(b, &h) != nil || h.PoolID != poolID {
		return h, false
	}
	return h, true
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// errCodeInvalid is every refusal of a code (invalid_grant).
var errCodeInvalid = errors.New("oauth: authorization code is invalid, expired or used")

// redeemCode consumes an authorization code: it must be ours, stored,
// unexpired and unused. A used code (a tombstone) revokes the family it
// issued. It returns the handle and the grant; the caller checks the client,
// redirect_uri and PKCE verifier (the code is spent either way).
func (s *Service) redeemCode(ctx context.Context, code string) (codeHandle, *grant, error) {
	h, ok := s.openCode(code)
	if !ok {
		return h, nil, errCodeInvalid
	}
	purpose := codePurposePrefix + h.ID
	row, err := s.store.GetCode(ctx, h.PoolID, h.UserKey, purpose)
	if errors.Is(err, storage.ErrNotFound) {
		return h, nil, errCodeInvalid
	}
	if err != nil {
		return h, nil, fmt.Errorf("oauth: reading an authorization code: %w", err)
	}
	sum := sha256.Sum256([]byte(code))
	if subtle.ConstantTimeCompare(sum[:], row.Hash) != 1 {
		return h, nil, errCodeInvalid
	}
	var g grant
	if err := json.Unmarshal(row.Data, &g); err != nil {
		return h, nil, fmt.Errorf("oauth: decoding an authorization code: %w", err)
	}
	now := s.clock.Now()
	if g.Redeemed {
		if g.OriginJTI != "" {
			s.revokeReused(ctx, h, &g, row.Hash, now)
		}
		return h, nil, errCodeInvalid
	}
	if err := s.store.DeleteCode(ctx, h.PoolID, h.UserKey, purpose); errors.Is(err, storage.ErrNotFound) {
		return h, nil, errCodeInvalid // another request redeemed it first
	} else if err != nil {
		return h, nil, fmt.Errorf("oauth: consuming an authorization code: %w", err)
	}
	if !now.Before(row.ExpiresAt) {
		return h, nil, errCodeInvalid
	}
	return h, &g, nil
}

// markRedeemed leaves the tombstone of a redeemed code until it would have
// expired, naming the token family it issued.
func (s *Service) markRedeemed(ctx context.Context, code string, h codeHandle, g *grant, originJTI string) {
	g.Redeemed, g.OriginJTI = true, originJTI
	data, err := json.Marshal(g)
	if err == nil {
		now := s.clock.Now()
		sum := sha256.Sum256([]byte(code))
		err = s.store.PutCode(ctx, &storage.Code{
			PoolID: h.PoolID, UserKey: h.UserKey, Purpose: codePurposePrefix + h.ID,
			Hash: sum[:], Data: data, CreatedAt: now, ExpiresAt: now.Add(CodeLifetime),
		})
	}
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.log.Warn("oauth: recording a redeemed authorization code", "pool", h.PoolID, "err", err)
	}
}

// revokeReused revokes the token family a reused code issued (RFC 6749
// §4.1.2), and keeps the tombstone so it is done once.
func (s *Service) revokeReused(ctx context.Context, h codeHandle, g *grant, hash []byte, now time.Time) {
	// The family's records outlive any token it can have minted.
	until := now.Add(revokedFamilyRecord)
	if err := s.store.RevokeFamily(ctx, h.PoolID, g.OriginJTI, now, until); err != nil {
		s.log.Warn("oauth: revoking the tokens of a reused authorization code", "pool", h.PoolID, "err", err)
		return
	}
	s.log.Info("authorization code used twice: the tokens it issued are revoked", "pool", h.PoolID, "client", g.ClientID)
	g.OriginJTI = ""
	if data, err := json.Marshal(g); err == nil {
		_ = s.store.PutCode(ctx, &storage.Code{
			PoolID: h.PoolID, UserKey: h.UserKey, Purpose: codePurposePrefix + h.ID,
			Hash: hash, Data: data, CreatedAt: now, ExpiresAt: now.Add(CodeLifetime),
		})
	}
}

// revokedFamilyRecord is how long the revocation of a reused code's family
// is kept: past the longest refresh token (10 years would be silly; the
// family's refresh token is revoked in its row, and access tokens live at
// most a day).
const revokedFamilyRecord = 25 * time.Hour
