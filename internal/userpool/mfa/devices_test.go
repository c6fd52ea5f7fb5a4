package mfa

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// deviceSRP answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the
// fake's proof and returns the final answer.
func (e *env) deviceSRP(clientID, username, key string, session *string) *cognitoidp.RespondToAuthChallengeResponse {
	e.t.Helper()
	v := e.mustRespond(clientID, "DEVICE_SRP_AUTH", session, "USERNAME", username, "DEVICE_KEY", key, "SRP_A", "0a")
	if api.Deref(v.ChallengeName) != cognitoidp.ChallengeNameTypeDevicePasswordVerifier || v.ChallengeParameters["SRP_B"] == "" {
		e.t.Fatalf("DEVICE_SRP_AUTH = %s", mustJSON(e.t.(*testing.T), v))
	}
	return e.mustRespond(clientID, "DEVICE_PASSWORD_VERIFIER", v.Session, "USERNAME", username, "DEVICE_KEY", key,
		"PASSWORD_CLAIM_SIGNATURE", "PROOF-"+key, "PASSWORD_CLAIM_SECRET_BLOCK", "sb", "TIMESTAMP", "Mon Jan 2 15:04:05 UTC 2006")
}

func TestNewDeviceMetadata(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(trackingPool(false))
	clientID := e.client(poolID)
	e.user(poolID, "dev")
	res := e.tokensOf(clientID, "dev")
	md := res.NewDeviceMetadata
	if md == nil || api.Deref(md.DeviceKey) != e.devices.issued[0] || api.Deref(md.DeviceGroupKey) == "" {
		t.Fatalf("NewDeviceMetadata = %s", mustJSON(t, md))
	}
	if got := claims(t, *res.AccessToken)["device_key"]; got != *md.DeviceKey {
		t.Fatalf("access token device_key = %v, want %s", got, *md.DeviceKey)
	}
	// A pool without device tracking issues none and ignores DEVICE_KEY.
	plain := e.pool(nil)
	pc := e.client(plain)
	e.user(plain, "dev")
	if res := e.tokensOf(pc, "dev"); res.NewDeviceMetadata != nil {
		t.Fatal("NewDeviceMetadata without device tracking")
	}
	out := e.mustSignIn(pc, "dev", "DEVICE_KEY", "us-east-1_unknown")
	if out.AuthenticationResult == nil || claims(t, *out.AuthenticationResult.AccessToken)["device_key"] != nil {
		t.Fatalf("DEVICE_KEY without device tracking: %s", mustJSON(t, out))
	}
}

func TestUnknownDevice(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(trackingPool(true))
	clientID := e.client(poolID)
	e.user(poolID, "dev")
	_, err := e.signIn(clientID, "dev", "DEVICE_KEY", "us-east-1_forgotten")
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
}

func TestDeviceSRPAfterMFA(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(trackingPool(true))
	e.configure(poolID, cognitoidp.UserPoolMfaTypeOptional, FactorSMS)
	clientID := e.client(poolID)
	e.user(poolID, "dev", "phone_number", "+12065550111")
	e.setState(poolID, "dev", false, func(s *userState) { s.SMS = true })
	const key = "us-east-1_confirmed"
	e.devices.add(key, true, false) // confirmed, not remembered: MFA first

	out := e.mustSignIn(clientID, "dev", "DEVICE_KEY", key)
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeSmsMfa {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
	res := e.mustRespond(clientID, "SMS_MFA", out.Session, "USERNAME", "dev", "SMS_MFA_CODE", e.lastCode(), "DEVICE_KEY", key)
	if api.Deref(res.ChallengeName) != cognitoidp.ChallengeNameTypeDeviceSrpAuth || res.Session == nil {
		t.Fatalf("after the code: %s", mustJSON(t, res))
	}
	// A wrong proof is refused; another device's key too.
	_, err := e.respond(clientID, "DEVICE_SRP_AUTH", res.Session, "USERNAME", "dev", "DEVICE_KEY", "us-east-1_other", "SRP_A", "0a")
	wantErr(t, err, "InvalidParameterException", msgDeviceKeyMismatch)
	v := e.mustRespond(clientID, "DEVICE_SRP_AUTH", res.Session, "USERNAME", "dev", "DEVICE_KEY", key, "SRP_A", "0a")
	_, err = e.respond(clientID, "DEVICE_PASSWORD_VERIFIER", v.Session, "USERNAME", "dev", "DEVICE_KEY", key, "PASSWORD_CLAIM_SIGNATURE", "forged")
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	done := e.mustRespond(clientID, "DEVICE_PASSWORD_VERIFIER", v.Session, "USERNAME", "dev", "DEVICE_KEY", key, "PASSWORD_CLAIM_SIGNATURE", "PROOF-"+key)
	if done.AuthenticationResult == nil || done.AuthenticationResult.NewDeviceMetadata != nil {
		t.Fatalf("DEVICE_PASSWORD_VERIFIER = %s", mustJSON(t, done))
	}
	if got := claims(t, *done.AuthenticationResult.AccessToken)["device_key"]; got != key {
		t.Fatalf("device_key = %v", got)
	}
	if len(e.devices.authenticated) != 1 || e.devices.authenticated[0] != key {
		t.Fatalf("Authenticated calls %v", e.devices.authenticated)
	}
	if ev := e.events.last(); mustJSON(t, ev.Challenges) != `[{"ChallengeName":"Password","ChallengeResponse":"Success"},{"ChallengeName":"Mfa","ChallengeResponse":"Success"}]` {
		t.Fatalf("event %s", mustJSON(t, ev.Challenges))
	}
}

// A remembered device stands in for MFA when the pool says so
// (ChallengeRequiredOnNewDevice), and only then.
func TestRememberedDeviceSkipsMFA(t *testing.T) {
	for _, c := range []struct {
		name                string
		challengeNewDevices bool
		remembered          bool
		want                cognitoidp.ChallengeNameType
	}{
		{"remembered, pool suppresses MFA", true, true, cognitoidp.ChallengeNameTypeDeviceSrpAuth},
		{"remembered, pool does not", false, true, cognitoidp.ChallengeNameTypeSoftwareTokenMfa},
		{"not remembered", true, false, cognitoidp.ChallengeNameTypeSoftwareTokenMfa},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			poolID := e.pool(trackingPool(c.challengeNewDevices))
			e.configure(poolID, cognitoidp.UserPoolMfaTypeOn, FactorTOTP)
			clientID := e.client(poolID)
			e.user(poolID, "dev")
			e.setState(poolID, "dev", true, func(s *userState) { s.TOTP = true })
			const key = "us-east-1_mine"
			e.devices.add(key, true, c.remembered)
			out := e.mustSignIn(clientID, "dev", "DEVICE_KEY", key)
			if api.Deref(out.ChallengeName) != c.want {
				t.Fatalf("challenge %s, want %s", api.Deref(out.ChallengeName), c.want)
			}
			if c.want == cognitoidp.ChallengeNameTypeDeviceSrpAuth {
				done := e.deviceSRP(clientID, "dev", key, out.Session)
				if done.AuthenticationResult == nil {
					t.Fatal("no tokens")
				}
				if ev := e.events.last(); len(ev.Challenges) != 1 {
					t.Fatalf("event lists MFA that was not asked: %s", mustJSON(t, ev.Challenges))
				}
			}
		})
	}
}

// A tracked device without MFA still proves itself before the tokens.
func TestDeviceSRPWithoutMFA(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(trackingPool(false))
	clientID := e.client(poolID)
	e.user(poolID, "dev")
	const key = "us-east-1_k"
	e.devices.add(key, true, true)
	out := e.mustSignIn(clientID, "dev", "DEVICE_KEY", key)
	if api.Deref(out.ChallengeName) != cognitoidp.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
	// The DEVICE_PASSWORD_VERIFIER step cannot be skipped.
	_, err := e.respond(clientID, "DEVICE_PASSWORD_VERIFIER", out.Session, "USERNAME", "dev", "DEVICE_KEY", key, "PASSWORD_CLAIM_SIGNATURE", "PROOF-"+key)
	wantErr(t, err, "NotAuthorizedException", "Invalid session for the user.")
	done := e.deviceSRP(clientID, "dev", key, out.Session)
	if done.AuthenticationResult == nil || claims(t, *done.AuthenticationResult.AccessToken)["device_key"] != key {
		t.Fatalf("tokens %s", mustJSON(t, done))
	}
	// An unconfirmed device needs no proof; the tokens carry its key.
	e.devices.add("us-east-1_new", false, false)
	res := e.tokensOf(clientID, "dev")
	if res.NewDeviceMetadata == nil {
		t.Fatal("sign-in without a key gets NewDeviceMetadata")
	}
	out = e.mustSignIn(clientID, "dev", "DEVICE_KEY", "us-east-1_new")
	if out.AuthenticationResult == nil || claims(t, *out.AuthenticationResult.AccessToken)["device_key"] != "us-east-1_new" || out.AuthenticationResult.NewDeviceMetadata != nil {
		t.Fatalf("unconfirmed device: %s", mustJSON(t, out))
	}
}

// Without a Devices family there are no device steps.
func TestNoDevicesFamily(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Devices = nil })
	poolID := e.pool(trackingPool(true))
	clientID := e.client(poolID)
	e.user(poolID, "dev")
	out := e.mustSignIn(clientID, "dev", "DEVICE_KEY", "us-east-1_whatever")
	if out.AuthenticationResult == nil || out.AuthenticationResult.NewDeviceMetadata != nil {
		t.Fatalf("InitiateAuth = %s", mustJSON(t, out))
	}
}
