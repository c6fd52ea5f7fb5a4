package webauthn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// errChallengeGone aborts the consumption of a pending registration that
// another request consumed or replaced meanwhile.
var errChallengeGone = errors.New("webauthn: the pending registration is gone")

// CompleteWebAuthnRegistration verifies the browser's answer to the options
// of StartWebAuthnRegistration (a RegistrationResponseJSON: client data,
// attestation) and registers the passkey it carries for the signed-in user.
func (s *Service) CompleteWebAuthnRegistration(ctx context.Context, in *cognitoidp.CompleteWebAuthnRegistrationRequest) (*cognitoidp.CompleteWebAuthnRegistrationResponse, error) {
	c, err := s.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	poolID, userKey := c.User.PoolID, c.User.Key
	wc, err := s.webAuthnConfig(ctx, c.Pool)
	if err != nil {
		return nil, err
	}
	if !enabled(c.Pool, wc) {
		return nil, cognitoidp.NewWebAuthnNotEnabledException(msgNotEnabled)
	}
	p, err := s.getPending(ctx, poolID, userKey)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, cognitoidp.NewWebAuthnChallengeNotFoundException(msgChallengeNotFound)
	}
	if p.ClientID != c.Claims.ClientID {
		return nil, cognitoidp.NewWebAuthnClientMismatchException(msgClientMismatch)
	}
	raw, ok := documentBytes(in.Credential)
	if !ok {
		return nil, cognitoidp.NewInvalidParameterException(msgBadCredential)
	}
	pcc, err := protocol.ParseCredentialCreationResponseBytes(raw)
	if err != nil {
		s.log.DebugContext(ctx, "webauthn: unparsable registration response", "pool", poolID, "reason", libraryReason(err))
		return nil, cognitoidp.NewInvalidParameterException(msgBadCredential)
	}
	if err := s.checkRegistration(pcc, p); err != nil {
		return nil, err
	}
	uvRequired := p.UserVerification == string(cognitoidp.UserVerificationTypeRequired)
	_, err = pcc.Verify(p.Challenge, p.RelyingPartyID, []string{pcc.Response.CollectedClientData.Origin}, nil, nil,
		protocol.TopOriginImplicitVerificationMode, false, uvRequired, true, nil, supportedAlgorithms,
		protocol.AttestationPolicy{}, protocol.SignaturePolicy{})
	if err != nil {
		s.log.DebugContext(ctx, "webauthn: registration response refused", "pool", poolID, "reason", libraryReason(err))
		return nil, cognitoidp.NewInvalidParameterException(msgBadAttestation)
	}
	if err := s.consumePending(ctx, poolID, userKey, p.Challenge); err != nil {
		return nil, err
	}
	doc, err := s.newCredentialDoc(pcc, p)
	if err != nil {
		return nil, err
	}
	if err := s.addCredential(ctx, poolID, userKey, pcc.ID, doc); err != nil {
		return nil, err
	}
	return &cognitoidp.CompleteWebAuthnRegistrationResponse{}, nil
}

// webAuthnConfig reads the pool's WebAuthnConfiguration (nil: none).
func (s *Service) webAuthnConfig(ctx context.Context, pool *cognitoidp.UserPoolType) (*cognitoidp.WebAuthnConfigurationType, error) {
	if s.poolConfig == nil {
		return nil, nil
	}
	wc, err := s.poolConfig(ctx, api.Deref(pool.Id))
	if err != nil {
		return nil, fmt.Errorf("webauthn: reading the WebAuthn configuration of pool %s: %w", api.Deref(pool.Id), err)
	}
	return wc, nil
}

// consumePending marks the pending registration with challenge used, once:
// a second request with the same challenge (a replay, or a race with a new
// Start) finds it gone.
func (s *Service) consumePending(ctx context.Context, poolID, userKey, challenge string) error {
	now := s.clk.Now()
	_, err := s.store.UpdateResource(ctx, poolID, kindPending, userKey, func(r *storage.Resource) error {
		var cur pendingDoc
		if err := json.Unmarshal(r.Settings, &cur); err != nil {
			return err
		}
		if !sameChallenge(cur.Challenge, challenge) || !now.Before(cur.ExpiresAt) {
			return errChallengeGone
		}
		cur.Challenge, cur.ExpiresAt = "", now
		doc, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		r.Settings, r.UpdatedAt = doc, now
		return nil
	})
	if errors.Is(err, errChallengeGone) || errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewWebAuthnChallengeNotFoundException(msgChallengeNotFound)
	}
	if err != nil {
		return fmt.Errorf("webauthn: consuming a pending registration in pool %s: %w", poolID, err)
	}
	// The used record has no further purpose; a failure to delete it leaves
	// an inert row that the next Start replaces.
	if err := s.store.DeleteResource(ctx, poolID, kindPending, userKey); err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.log.WarnContext(ctx, "webauthn: deleting a used pending registration", "pool", poolID, "err", err)
	}
	return nil
}

// newCredentialDoc is the record of a verified registration.
func (s *Service) newCredentialDoc(pcc *protocol.ParsedCredentialCreationData, p *pendingDoc) (*credentialDoc, error) {
	ad := &pcc.Response.AttestationObject.AuthData
	// A key the library cannot parse could never verify an assertion.
	if key, err := webauthncose.ParsePublicKey(ad.AttData.CredentialPublicKey); err != nil || key == nil {
		return nil, cognitoidp.NewInvalidParameterException(msgBadCredential)
	}
	aaguid := ""
	if id, err := uuid.FromBytes(ad.AttData.AAGUID); err == nil {
		aaguid = id.String()
	}
	attachment := ""
	switch pcc.Raw.AuthenticatorAttachment {
	case "platform", "cross-platform":
		attachment = pcc.Raw.AuthenticatorAttachment
	}
	transports := make([]string, 0, len(pcc.Raw.AttestationResponse.Transports))
	for _, t := range pcc.Raw.AttestationResponse.Transports {
		if t != "" && len(transports) < 8 {
			transports = append(transports, t)
		}
	}
	return &credentialDoc{
		PublicKey:         ad.AttData.CredentialPublicKey,
		Algorithm:         algorithmOf(ad.AttData.CredentialPublicKey),
		SignCount:         ad.Counter,
		AAGUID:            aaguid,
		Transports:        transports,
		FriendlyName:      friendlyName(aaguid, attachment),
		RelyingPartyID:    p.RelyingPartyID,
		Attachment:        attachment,
		AttestationFormat: pcc.Response.AttestationObject.Format,
		UserVerified:      ad.Flags.UserVerified(),
		BackupEligible:    ad.Flags.HasBackupEligible(),
		BackupState:       ad.Flags.HasBackupState(),
		CreatedAt:         s.clk.Now(),
	}, nil
}

// addCredential records a new passkey, within the user's quota.
func (s *Service) addCredential(ctx context.Context, poolID, userKey, id string, doc *credentialDoc) error {
	n, err := s.countCredentials(ctx, poolID, userKey)
	if err != nil {
		return err
	}
	if n >= s.maxCredentials {
		return cognitoidp.NewLimitExceededException(msgLimitExceeded)
	}
	settings, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("webauthn: encoding a passkey: %w", err)
	}
	err = s.store.CreateResource(ctx, &storage.Resource{
		PoolID: poolID, Kind: kindCredential, ID: id, Owner: userKey,
		Settings: settings, CreatedAt: doc.CreatedAt, UpdatedAt: doc.CreatedAt,
	})
	switch {
	case errors.Is(err, storage.ErrAlreadyExists):
		return cognitoidp.NewInvalidParameterException(msgAlreadyRegistered)
	case errors.Is(err, storage.ErrNotFound): // the user was deleted meanwhile
		return cognitoidp.NewUserNotFoundException(msgUserGone)
	case err != nil:
		return fmt.Errorf("webauthn: recording a passkey in pool %s: %w", poolID, err)
	}
	// Registrations racing past the count above: those beyond the quota in
	// (creation time, id) order back out, so exactly the quota remains.
	all, err := s.userCredentials(ctx, poolID, userKey)
	if err != nil || len(all) <= s.maxCredentials {
		return nil
	}
	slices.SortFunc(all, func(a, b *storage.Resource) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, r := range all[s.maxCredentials:] {
		if r.ID == id {
			if err := s.store.DeleteResource(ctx, poolID, kindCredential, id); err == nil {
				return cognitoidp.NewLimitExceededException(msgLimitExceeded)
			}
		}
	}
	return nil
}
