package webauthn

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// credentialDoc is the Settings of a passkey record (Kind "webauthn", ID the
// credential id as base64url).
type credentialDoc struct {
	// PublicKey is the credential public key as the authenticator gave it
	// (a COSE_Key in CBOR).
	PublicKey []byte `json:"publicKey"`
	// Algorithm is the key's COSE algorithm.
	Algorithm int64 `json:"alg"`
	// SignCount is the highest signature counter seen.
	SignCount uint32 `json:"signCount"`
	// AAGUID is the authenticator model (a UUID; all zeros when hidden).
	AAGUID string `json:"aaguid,omitempty"`
	// Transports, as the client reported them at registration.
	Transports []string `json:"transports"`
	// FriendlyName is FriendlyCredentialName.
	FriendlyName string `json:"friendlyName"`
	// RelyingPartyID is the relying party the credential was registered for.
	RelyingPartyID string `json:"rpId"`
	// Attachment is "platform", "cross-platform" or "" (not reported).
	Attachment string `json:"attachment,omitempty"`
	// AttestationFormat is the attestation statement's fmt.
	AttestationFormat string `json:"fmt"`
	// UserVerified: the registration carried UV.
	UserVerified bool `json:"uv"`
	// BackupEligible and BackupState are the BE and BS flags (BS as of the
	// last use).
	BackupEligible bool `json:"be"`
	BackupState    bool `json:"bs"`
	// CreatedAt and LastUsedAt (zero: never used to sign in).
	CreatedAt  time.Time `json:"createdAt"`
	LastUsedAt time.Time `json:"lastUsedAt,omitzero"`
}

// pendingDoc is the Settings of a registration in progress (Kind
// "webauthn-pending", ID the user's key).
type pendingDoc struct {
	// Challenge is the base64url challenge of the options.
	Challenge string `json:"challenge"`
	// ClientID is the app client of the access token that started it.
	ClientID string `json:"clientId"`
	// RelyingPartyID and UserVerification are the pool's at Start.
	RelyingPartyID   string `json:"rpId"`
	UserVerification string `json:"userVerification"`
	// ExpiresAt ends the registration.
	ExpiresAt time.Time `json:"expiresAt"`
}

func decodeCredential(r *storage.Resource) (*credentialDoc, error) {
	var d credentialDoc
	if err := json.Unmarshal(r.Settings, &d); err != nil {
		return nil, fmt.Errorf("webauthn: decoding passkey %s of pool %s: %w", r.ID, r.PoolID, err)
	}
	return &d, nil
}

// description renders a passkey as ListWebAuthnCredentials shows it.
func description(r *storage.Resource, d *credentialDoc) cognitoidp.WebAuthnCredentialDescription {
	transports := d.Transports
	if transports == nil {
		transports = []string{}
	}
	out := cognitoidp.WebAuthnCredentialDescription{
		CredentialId:            api.Ptr(r.ID),
		FriendlyCredentialName:  api.Ptr(d.FriendlyName),
		RelyingPartyId:          api.Ptr(d.RelyingPartyID),
		AuthenticatorTransports: transports,
		CreatedAt:               api.NewTime(d.CreatedAt),
	}
	if d.Attachment != "" {
		out.AuthenticatorAttachment = api.Ptr(d.Attachment)
	}
	return out
}

// newChallenge returns a fresh random challenge as base64url.
func newChallenge() (string, error) {
	b := make([]byte, challengeBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webauthn: making a challenge: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// userHandle is the WebAuthn user.id of a user: the base64url of their sub,
// as Cognito sends it.
func userHandle(sub string) string { return base64.RawURLEncoding.EncodeToString([]byte(sub)) }

// putPending records (or replaces) the user's registration in progress.
func (s *Service) putPending(ctx context.Context, poolID, userKey string, p *pendingDoc) error {
	doc, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("webauthn: encoding a pending registration: %w", err)
	}
	now := s.clk.Now()
	for range 3 {
		err = s.store.CreateResource(ctx, &storage.Resource{
			PoolID: poolID, Kind: kindPending, ID: userKey, Owner: userKey,
			Settings: doc, CreatedAt: now, UpdatedAt: now,
		})
		if !errors.Is(err, storage.ErrAlreadyExists) {
			break
		}
		_, err = s.store.UpdateResource(ctx, poolID, kindPending, userKey, func(r *storage.Resource) error {
			r.Settings, r.UpdatedAt = doc, now
			return nil
		})
		if !errors.Is(err, storage.ErrNotFound) { // deleted meanwhile: create again
			break
		}
	}
	if errors.Is(err, storage.ErrNotFound) { // the user is gone
		return cognitoidp.NewUserNotFoundException(msgUserGone)
	}
	if err != nil {
		return fmt.Errorf("webauthn: recording a pending registration in pool %s: %w", poolID, err)
	}
	return nil
}

// getPending returns the user's registration in progress, or nil when there
// is none or it expired.
func (s *Service) getPending(ctx context.Context, poolID, userKey string) (*pendingDoc, error) {
	r, err := s.store.GetResource(ctx, poolID, kindPending, userKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("webauthn: reading a pending registration in pool %s: %w", poolID, err)
	}
	var p pendingDoc
	if err := json.Unmarshal(r.Settings, &p); err != nil {
		return nil, fmt.Errorf("webauthn: decoding a pending registration in pool %s: %w", poolID, err)
	}
	if !s.clk.Now().Before(p.ExpiresAt) {
		return nil, nil
	}
	return &p, nil
}

// countCredentials is how many passkeys the user has.
func (s *Service) countCredentials(ctx context.Context, poolID, userKey string) (int, error) {
	n, err := s.store.CountResources(ctx, poolID, kindCredential, userKey)
	if err != nil {
		return 0, fmt.Errorf("webauthn: counting passkeys in pool %s: %w", poolID, err)
	}
	return n, nil
}

// userCredentials lists every passkey of the user (at most a few dozen).
func (s *Service) userCredentials(ctx context.Context, poolID, userKey string) ([]*storage.Resource, error) {
	var out []*storage.Resource
	page := storage.Page{Limit: 100}
	for {
		rs, next, err := s.store.ListResources(ctx, poolID, kindCredential, userKey, page)
		if err != nil {
			return nil, fmt.Errorf("webauthn: listing passkeys in pool %s: %w", poolID, err)
		}
		out = append(out, rs...)
		if next == "" {
			return out, nil
		}
		page.Token = next
	}
}
