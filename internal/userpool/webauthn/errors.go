package webauthn

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"slices"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// The checks of a ceremony that Cognito answers with an exception of its
// own run here, before the library verifies the rest (signatures,
// attestation statements), so each failure is named as Cognito names it.
// Which check maps to which exception is in defaults.go.

// supportedAlgorithms are the COSE algorithms a passkey may use (the
// pubKeyCredParams of the creation options).
var supportedAlgorithms = []protocol.CredentialParameter{
	{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgES256},
	{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgRS256},
}

// supportedFormats are the attestation formats the library verifies.
var supportedFormats = []protocol.AttestationFormat{
	protocol.AttestationFormatNone,
	protocol.AttestationFormatPacked,
	protocol.AttestationFormatTPM,
	protocol.AttestationFormatAndroidKey,
	protocol.AttestationFormatAndroidSafetyNet,
	protocol.AttestationFormatFIDOUniversalSecondFactor,
	protocol.AttestationFormatApple,
	protocol.AttestationFormatCompound,
}

// documentBytes is the JSON of a Credential document: the object itself, or
// the object serialized in a JSON string (as some callers send it).
func documentBytes(doc api.Document) ([]byte, bool) {
	raw := bytes.TrimSpace(doc)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, false
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, false
		}
		raw = bytes.TrimSpace([]byte(s))
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	return raw, true
}

// sameChallenge compares a clientDataJSON challenge with the one issued, in
// constant time.
func sameChallenge(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// rpIDHashMatches reports whether authenticator data was made for rpID.
func rpIDHashMatches(authData *protocol.AuthenticatorData, rpID string) bool {
	h := sha256.Sum256([]byte(rpID))
	return subtle.ConstantTimeCompare(authData.RPIDHash, h[:]) == 1
}

// checkRegistration runs the named checks of a registration response
// against the pending registration p.
func (s *Service) checkRegistration(pcc *protocol.ParsedCredentialCreationData, p *pendingDoc) error {
	cd := &pcc.Response.CollectedClientData
	if cd.Type != protocol.CreateCeremony {
		return cognitoidp.NewInvalidParameterException(msgBadCredential)
	}
	if !sameChallenge(cd.Challenge, p.Challenge) {
		return cognitoidp.NewWebAuthnChallengeNotFoundException(msgChallengeNotFound)
	}
	if cd.CrossOrigin || cd.TopOrigin != "" || !s.originAllowed(cd.Origin, p.RelyingPartyID) {
		return cognitoidp.NewWebAuthnOriginNotAllowedException(msgOriginNotAllowed)
	}
	att := &pcc.Response.AttestationObject
	if !rpIDHashMatches(&att.AuthData, p.RelyingPartyID) {
		return cognitoidp.NewWebAuthnRelyingPartyMismatchException(msgRelyingPartyMismatch)
	}
	if !att.AuthData.Flags.UserPresent() {
		return cognitoidp.NewInvalidParameterException(msgNoUserPresence)
	}
	if p.UserVerification == string(cognitoidp.UserVerificationTypeRequired) && !att.AuthData.Flags.UserVerified() {
		return cognitoidp.NewWebAuthnCredentialNotSupportedException(msgUserVerification)
	}
	var pk webauthncose.PublicKeyData
	if err := webauthncbor.Unmarshal(att.AuthData.AttData.CredentialPublicKey, &pk); err != nil {
		return cognitoidp.NewInvalidParameterException(msgBadCredential)
	}
	if !slices.ContainsFunc(supportedAlgorithms, func(p protocol.CredentialParameter) bool { return int64(p.Algorithm) == pk.Algorithm }) {
		return cognitoidp.NewWebAuthnCredentialNotSupportedException(msgUnsupportedAlgorithm)
	}
	if !slices.Contains(supportedFormats, protocol.AttestationFormat(att.Format)) {
		return cognitoidp.NewWebAuthnCredentialNotSupportedException(msgUnsupportedFormat)
	}
	return nil
}

// libraryReason is the library's explanation of a failed verification, for
// the debug log.
func libraryReason(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe.Type + ": " + pe.Details + " " + pe.DevInfo
	}
	return err.Error()
}

// algorithmOf is the COSE algorithm of a credential public key (0 when it
// does not decode).
func algorithmOf(coseKey []byte) int64 {
	var pk webauthncose.PublicKeyData
	if err := webauthncbor.Unmarshal(coseKey, &pk); err != nil {
		return 0
	}
	return pk.Algorithm
}
