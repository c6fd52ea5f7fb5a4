package authenticatortest

import (
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

// The responses verify with an independent WebAuthn implementation.
func TestResponsesVerify(t *testing.T) {
	params := []protocol.CredentialParameter{{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgES256}}
	for _, format := range []string{AttestationNone, AttestationPacked} {
		a := New()
		a.Attestation = format
		const origin = "https://example.com"
		creation := `{"challenge":"Y2hhbGxlbmdl","rp":{"id":"example.com","name":"example.com"},"user":{"id":"dXNlcg","name":"u","displayName":"u"},"pubKeyCredParams":[{"type":"public-key","alg":-7}]}`
		resp, cred, err := a.Register([]byte(creation), Options{Origin: origin})
		if err != nil {
			t.Fatal(err)
		}
		pcc, err := protocol.ParseCredentialCreationResponseBytes(resp)
		if err != nil {
			t.Fatalf("%s: parse: %v", format, err)
		}
		if _, err := pcc.Verify("Y2hhbGxlbmdl", "example.com", []string{origin}, nil, nil, protocol.TopOriginImplicitVerificationMode,
			false, true, true, nil, params, protocol.AttestationPolicy{}, protocol.SignaturePolicy{}); err != nil {
			t.Fatalf("%s: verify: %v", format, err)
		}
		if pcc.Response.AttestationObject.Format != format || pcc.ID != cred.IDString() {
			t.Errorf("%s: fmt %q id %q", format, pcc.Response.AttestationObject.Format, pcc.ID)
		}

		request := `{"challenge":"bG9naW4","rpId":"example.com","allowCredentials":[],"userVerification":"preferred"}`
		aresp, err := a.Assert([]byte(request), Options{Origin: origin})
		if err != nil {
			t.Fatal(err)
		}
		par, err := protocol.ParseCredentialRequestResponseBytes(aresp)
		if err != nil {
			t.Fatal(err)
		}
		if err := par.Verify("bG9naW4", "example.com", "", []string{origin}, nil, nil, protocol.TopOriginImplicitVerificationMode,
			false, true, true, pcc.Response.AttestationObject.AuthData.AttData.CredentialPublicKey, protocol.SignaturePolicy{}); err != nil {
			t.Fatalf("%s: assertion: %v", format, err)
		}
		if par.Response.AuthenticatorData.Counter != 1 || string(par.Response.UserHandle) != "user" {
			t.Errorf("counter %d handle %q", par.Response.AuthenticatorData.Counter, par.Response.UserHandle)
		}
	}
}
