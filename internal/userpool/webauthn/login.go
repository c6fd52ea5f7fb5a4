package webauthn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// requestOptions is PublicKeyCredentialRequestOptionsJSON as Cognito sends
// it in CREDENTIAL_REQUEST_OPTIONS (members in Cognito's order).
type requestOptions struct {
	Challenge        string              `json:"challenge"`
	Timeout          int                 `json:"timeout"`
	RPID             string              `json:"rpId"`
	AllowCredentials []allowedCredential `json:"allowCredentials"`
	UserVerification string              `json:"userVerification"`
}

type allowedCredential struct {
	Type       string   `json:"type"`
	ID         string   `json:"id"`
	Transports []string `json:"transports"`
}

// loginState is what FinishLogin needs of BeginLogin; it travels (sealed)
// in the sign-in Session.
type loginState struct {
	Challenge        string `json:"c"`
	RelyingPartyID   string `json:"r"`
	UserVerification string `json:"u"`
}

// errCounter aborts the recording of a use whose signature counter did not
// grow.
var errCounter = errors.New("webauthn: signature counter did not increase")

// HasCredentials reports whether u has registered a passkey.
func (s *Service) HasCredentials(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (bool, error) {
	n, err := s.countCredentials(ctx, u.PoolID, u.Key)
	return n > 0, err
}

// BeginLogin returns the CREDENTIAL_REQUEST_OPTIONS of a WEB_AUTHN challenge
// for u (every passkey of theirs allowed) and the state FinishLogin checks
// the answer against. User verification is the pool's, or required for a
// user whose passkey sign-in counts as MFA (Config.RequireUserVerification).
func (s *Service) BeginLogin(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (string, []byte, error) {
	rp, err := s.relyingPartyOf(ctx, pool)
	if err != nil {
		return "", nil, err
	}
	if s.requireUV != nil {
		required, err := s.requireUV(ctx, pool, u)
		if err != nil {
			return "", nil, fmt.Errorf("webauthn: whether a user of pool %s must verify: %w", u.PoolID, err)
		}
		if required {
			rp.UserVerification = string(cognitoidp.UserVerificationTypeRequired)
		}
	}
	creds, err := s.userCredentials(ctx, u.PoolID, u.Key)
	if err != nil {
		return "", nil, err
	}
	challenge, err := newChallenge()
	if err != nil {
		return "", nil, err
	}
	opts := requestOptions{
		Challenge:        challenge,
		Timeout:          LoginTimeoutMillis,
		RPID:             rp.ID,
		AllowCredentials: make([]allowedCredential, 0, len(creds)),
		UserVerification: rp.UserVerification,
	}
	for _, r := range creds {
		d, err := decodeCredential(r)
		if err != nil {
			return "", nil, err
		}
		transports := d.Transports
		if transports == nil {
			transports = []string{}
		}
		opts.AllowCredentials = append(opts.AllowCredentials, allowedCredential{Type: "public-key", ID: r.ID, Transports: transports})
	}
	optionsJSON, err := json.Marshal(opts)
	if err != nil {
		return "", nil, fmt.Errorf("webauthn: encoding request options: %w", err)
	}
	state, err := json.Marshal(loginState{Challenge: challenge, RelyingPartyID: rp.ID, UserVerification: rp.UserVerification})
	if err != nil {
		return "", nil, fmt.Errorf("webauthn: encoding login state: %w", err)
	}
	return string(optionsJSON), state, nil
}

// FinishLogin verifies the CREDENTIAL answer to BeginLogin's options: the
// credential is one of u's passkeys, the client data names the challenge
// and an allowed origin, the authenticator data the relying party, user
// presence (and verification when the pool requires it), the signature
// verifies with the passkey's key and the signature counter grew (unless it
// stays 0). Then the passkey's counter and last use are recorded. Any
// failed check is NotAuthorizedException.
func (s *Service) FinishLogin(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, state []byte, credentialJSON string) error {
	var st loginState
	if err := json.Unmarshal(state, &st); err != nil || st.Challenge == "" || st.RelyingPartyID == "" {
		return fmt.Errorf("webauthn: a sign-in state that does not decode (pool %s)", api.Deref(pool.Id))
	}
	fail := func(reason string) error {
		s.log.DebugContext(ctx, "webauthn: passkey sign-in refused", "pool", u.PoolID, "reason", reason)
		return cognitoidp.NewNotAuthorizedException(msgSignInFailed)
	}
	raw, ok := documentBytes(api.Document(credentialJSON))
	if !ok {
		return fail("CREDENTIAL is not a JSON object")
	}
	par, err := protocol.ParseCredentialRequestResponseBytes(raw)
	if err != nil {
		return fail("unparsable assertion: " + libraryReason(err))
	}
	r, err := s.store.GetResource(ctx, u.PoolID, kindCredential, par.ID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && r.Owner != u.Key) {
		return fail("not a passkey of the user")
	}
	if err != nil {
		return fmt.Errorf("webauthn: reading a passkey in pool %s: %w", u.PoolID, err)
	}
	d, err := decodeCredential(r)
	if err != nil {
		return err
	}
	cd := &par.Response.CollectedClientData
	ad := &par.Response.AuthenticatorData
	uvRequired := st.UserVerification == string(cognitoidp.UserVerificationTypeRequired)
	switch {
	case cd.Type != protocol.AssertCeremony:
		return fail("client data type " + string(cd.Type))
	case !sameChallenge(cd.Challenge, st.Challenge):
		return fail("challenge mismatch")
	case cd.CrossOrigin || cd.TopOrigin != "" || !s.originAllowed(cd.Origin, st.RelyingPartyID):
		return fail("origin not allowed: " + cd.Origin)
	case !rpIDHashMatches(ad, st.RelyingPartyID):
		return fail("relying party id hash mismatch")
	case !ad.Flags.UserPresent():
		return fail("no user presence")
	case uvRequired && !ad.Flags.UserVerified():
		return fail("no user verification")
	case len(par.Response.UserHandle) > 0 && !bytes.Equal(par.Response.UserHandle, []byte(u.Sub)):
		return fail("user handle of another user")
	}
	err = par.Verify(st.Challenge, st.RelyingPartyID, "", []string{cd.Origin}, nil, nil,
		protocol.TopOriginImplicitVerificationMode, false, uvRequired, true, d.PublicKey, protocol.SignaturePolicy{})
	if err != nil {
		return fail("assertion: " + libraryReason(err))
	}
	now := s.clk.Now()
	count := ad.Counter
	_, err = s.store.UpdateResource(ctx, u.PoolID, kindCredential, r.ID, func(rec *storage.Resource) error {
		cur, err := decodeCredential(rec)
		if err != nil {
			return err
		}
		if (count != 0 || cur.SignCount != 0) && count <= cur.SignCount {
			return errCounter
		}
		cur.SignCount = count
		cur.LastUsedAt = now
		cur.BackupState = ad.Flags.HasBackupState()
		doc, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		rec.Settings, rec.UpdatedAt = doc, now
		return nil
	})
	switch {
	case errors.Is(err, errCounter):
		return fail(fmt.Sprintf("signature counter %d not above %d", count, d.SignCount))
	case errors.Is(err, storage.ErrNotFound):
		return fail("passkey deleted meanwhile")
	case err != nil:
		return fmt.Errorf("webauthn: recording a passkey use in pool %s: %w", u.PoolID, err)
	}
	return nil
}
