package auth

import (
	"context"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// deviceStep is a NextStep as the MFA family's device part: a DEVICE_KEY it
// does not know is "Device does not exist."; otherwise the sign-in is bound
// to the device known (or a new one).
type deviceStep struct {
	mu    sync.Mutex
	known map[string]bool
}

const boundDevice = "us-east-1_0f0e0d0c-0b0a-4908-8706-050403020100"

func (d *deviceStep) Next(_ context.Context, a *Attempt) (*Step, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if a.DeviceKey != "" && !d.known[a.DeviceKey] {
		return nil, cognitoidp.NewResourceNotFoundException("Device does not exist.")
	}
	return &Step{DeviceKey: boundDevice}, nil
}

func (d *deviceStep) Respond(context.Context, *Attempt, cognitoidp.ChallengeNameType, map[string]string, []byte) (*Step, error) {
	return nil, cognitoidp.NewNotAuthorizedException("Invalid session for the user.")
}

func (d *deviceStep) allowed(_ context.Context, _, _, key string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.known[key], nil
}

// A refresh token issued to a device works only with that device's key and
// while the device is known; a PASSWORD_VERIFIER answer refused for its
// device does not spend its SECRET_BLOCK (Amplify sends it again).
func TestRefreshBoundToDevice(t *testing.T) {
	dev := &deviceStep{known: map[string]bool{boundDevice: true}}
	e := newEnv(t, func(c *Config) { c.NextStep = dev; c.RefreshDevice = dev.allowed })
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	refresh := api.Deref(e.mustSignIn(clientID, "alice", goodPassword).RefreshToken)

	_, err := e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh)
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh, "DEVICE_KEY", "us-east-1_00000000-0000-4000-8000-000000000000")
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = e.svc.GetTokensFromRefreshToken(e.ctx, &cognitoidp.GetTokensFromRefreshTokenRequest{ClientId: &clientID, RefreshToken: &refresh})
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")

	out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh, "DEVICE_KEY", boundDevice)
	if err != nil {
		t.Fatalf("REFRESH_TOKEN_AUTH with DEVICE_KEY: %v", err)
	}
	if c := claims(t, api.Deref(out.AuthenticationResult.AccessToken)); c["device_key"] != boundDevice {
		t.Errorf("refreshed access token device_key = %v", c["device_key"])
	}
	if _, err := e.svc.GetTokensFromRefreshToken(e.ctx, &cognitoidp.GetTokensFromRefreshTokenRequest{ClientId: &clientID, RefreshToken: &refresh, DeviceKey: api.Ptr(boundDevice)}); err != nil {
		t.Fatalf("GetTokensFromRefreshToken with DeviceKey: %v", err)
	}

	// Forgotten: its refresh tokens stop working.
	dev.mu.Lock()
	delete(dev.known, boundDevice)
	dev.mu.Unlock()
	_, err = e.initiate(clientID, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", refresh, "DEVICE_KEY", boundDevice)
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	_, err = e.svc.GetTokensFromRefreshToken(e.ctx, &cognitoidp.GetTokensFromRefreshTokenRequest{ClientId: &clientID, RefreshToken: &refresh, DeviceKey: api.Ptr(boundDevice)})
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")

	// A token bound to no device ignores DEVICE_KEY.
	plain := newEnv(t)
	pp := plain.pool(nil)
	pc := plain.clientID(pp)
	plain.confirmedUser(pp, "bob", goodPassword)
	pr := api.Deref(plain.mustSignIn(pc, "bob", goodPassword).RefreshToken)
	if _, err := plain.initiate(pc, cognitoidp.AuthFlowTypeRefreshTokenAuth, "REFRESH_TOKEN", pr, "DEVICE_KEY", boundDevice); err != nil {
		t.Errorf("refresh of an unbound token with DEVICE_KEY: %v", err)
	}
}

func TestPasswordVerifierRetriedWithoutStaleDevice(t *testing.T) {
	dev := &deviceStep{known: map[string]bool{}}
	e := newEnv(t, func(c *Config) { c.NextStep = dev })
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	cs, out, err := e.srpStart(poolID, clientID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	claim := e.srpAnswer(cs, out.ChallengeParameters, goodPassword)
	answer := []string{"USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock,
		"TIMESTAMP", claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE", claim.Signature}
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "", append(answer, "DEVICE_KEY", "us-east-1_00000000-0000-4000-8000-000000000000")...)
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	// Amplify drops the device and sends the same answer again.
	r, err := e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "", answer...)
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("the same answer without DEVICE_KEY: %+v, %v", r, err)
	}
	// Once it gave tokens, the block is spent.
	_, err = e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "", answer...)
	wantErr(t, err, "NotAuthorizedException", "")
}
