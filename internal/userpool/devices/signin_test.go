package devices

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// deviceSignIn runs DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER for u's
// device as a client holding the device password would, and returns
// VerifySRP's answer.
func deviceSignIn(t *testing.T, e *env, u *storage.User, key, group, password string) error {
	t.Helper()
	pool := e.pool(t, u.PoolID)
	client := srp.NewClientSession(group)
	params, state, err := e.svc.StartSRP(e.ctx, pool, u, key, map[string]string{
		"USERNAME": u.Username, "DEVICE_KEY": key, "SRP_A": client.PublicHex(),
	})
	if err != nil {
		return err
	}
	resp, err := client.Respond(key, password, params["SALT"], params["SRP_B"], params["SECRET_BLOCK"], e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e.svc.VerifySRP(e.ctx, pool, u, key, state, map[string]string{
		"USERNAME": u.Username, "DEVICE_KEY": key, "PASSWORD_CLAIM_SECRET_BLOCK": resp.SecretBlock,
		"TIMESTAMP": resp.Timestamp, "PASSWORD_CLAIM_SIGNATURE": resp.Signature,
	})
}

func TestDeviceSRP(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	_, key, secret := e.confirm(t, ann, "")
	pool := e.pool(t, e.always)
	md, _ := e.svc.NewDevice(e.ctx, pool, clientID, ann)
	group := *md.DeviceGroupKey

	client := srp.NewClientSession(group)
	params, state, err := e.svc.StartSRP(e.ctx, pool, ann, key, map[string]string{"USERNAME": "ann", "DEVICE_KEY": key, "SRP_A": client.PublicHex()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"SRP_B", "SALT", "SECRET_BLOCK", "DEVICE_KEY"} {
		if params[p] == "" {
			t.Errorf("DEVICE_PASSWORD_VERIFIER without %s: %v", p, params)
		}
	}
	if params["DEVICE_KEY"] != key || params["SALT"] != srp.SaltHex(secret.Salt) {
		t.Errorf("params = %v", params)
	}
	if len(state) > 64 {
		t.Errorf("state is %d bytes; it travels in the Session", len(state))
	}
	e.clock.Advance(2 * time.Second)
	resp, err := client.Respond(key, secret.Password, params["SALT"], params["SRP_B"], params["SECRET_BLOCK"], e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	answer := func(mod func(map[string]string)) map[string]string {
		m := map[string]string{
			"USERNAME": "ann", "DEVICE_KEY": key, "PASSWORD_CLAIM_SECRET_BLOCK": resp.SecretBlock,
			"TIMESTAMP": resp.Timestamp, "PASSWORD_CLAIM_SIGNATURE": resp.Signature,
		}
		if mod != nil {
			mod(m)
		}
		return m
	}
	otherBlock := func() string {
		p, _, err := e.svc.StartSRP(e.ctx, pool, ann, key, map[string]string{"SRP_A": client.PublicHex()})
		if err != nil {
			t.Fatal(err)
		}
		return p["SECRET_BLOCK"]
	}()
	bob := e.createUser(t, e.always, "bob")

	fails := []struct {
		name      string
		u         *storage.User
		key       string
		state     []byte
		responses map[string]string
		code, msg string
	}{
		{"no signature", ann, key, state, answer(func(m map[string]string) { delete(m, "PASSWORD_CLAIM_SIGNATURE") }), "InvalidParameterException", "Missing required parameter PASSWORD_CLAIM_SIGNATURE"},
		{"no block", ann, key, state, answer(func(m map[string]string) { delete(m, "PASSWORD_CLAIM_SECRET_BLOCK") }), "InvalidParameterException", "Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK"},
		{"no timestamp", ann, key, state, answer(func(m map[string]string) { delete(m, "TIMESTAMP") }), "InvalidParameterException", "Missing required parameter TIMESTAMP"},
		{"bad timestamp", ann, key, state, answer(func(m map[string]string) { m["TIMESTAMP"] = "yesterday" }), "InvalidParameterException", msgBadTimestamp},
		{"skewed timestamp", ann, key, state, answer(func(m map[string]string) { m["TIMESTAMP"] = srp.FormatTimestamp(e.clock.Now().Add(-time.Hour)) }), "NotAuthorizedException", msgIncorrect},
		{"wrong signature", ann, key, state, answer(func(m map[string]string) {
			m["PASSWORD_CLAIM_SIGNATURE"] = base64.StdEncoding.EncodeToString(make([]byte, 32))
		}), "NotAuthorizedException", msgIncorrect},
		{"block not base64", ann, key, state, answer(func(m map[string]string) { m["PASSWORD_CLAIM_SECRET_BLOCK"] = "%%" }), "NotAuthorizedException", msgIncorrect},
		{"another exchange's block", ann, key, state, answer(func(m map[string]string) { m["PASSWORD_CLAIM_SECRET_BLOCK"] = otherBlock }), "NotAuthorizedException", msgIncorrect},
		{"another DEVICE_KEY", ann, key, state, answer(func(m map[string]string) { m["DEVICE_KEY"] = "us-east-1_00000000-0000-4000-8000-000000000000" }), "NotAuthorizedException", msgIncorrect},
		{"no state", ann, key, nil, answer(nil), "NotAuthorizedException", msgIncorrect},
		{"another user", bob, key, state, answer(nil), "ResourceNotFoundException", msgDeviceNotFound},
	}
	for _, c := range fails {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, e.svc.VerifySRP(e.ctx, e.pool(t, c.u.PoolID), c.u, c.key, c.state, c.responses), c.code, c.msg)
		})
	}
	if err := e.svc.VerifySRP(e.ctx, pool, ann, key, state, answer(nil)); err != nil {
		t.Fatalf("VerifySRP: %v", err)
	}
	// A DEVICE_KEY left out of the answer is the session's.
	if err := e.svc.VerifySRP(e.ctx, pool, ann, key, state, answer(func(m map[string]string) { delete(m, "DEVICE_KEY") })); err != nil {
		t.Errorf("VerifySRP without DEVICE_KEY: %v", err)
	}
	// The block expires.
	e.clock.Advance(maxSRPStateAge)
	late := answer(func(m map[string]string) { m["TIMESTAMP"] = srp.FormatTimestamp(e.clock.Now()) })
	wantErr(t, e.svc.VerifySRP(e.ctx, pool, ann, key, state, late), "NotAuthorizedException", msgSessionExpired)

	// A wrong device password fails; a forgotten device does not exist.
	wantErr(t, deviceSignIn(t, e, ann, key, group, srp.NewDeviceSecret(group, key).Password), "NotAuthorizedException", msgIncorrect)
	if err := deviceSignIn(t, e, ann, key, group, secret.Password); err != nil {
		t.Fatalf("device sign-in: %v", err)
	}
	if err := e.svc.forget(e.ctx, &owner{pool: pool, user: ann}, key); err != nil {
		t.Fatal(err)
	}
	wantErr(t, deviceSignIn(t, e, ann, key, group, secret.Password), "ResourceNotFoundException", "Device does not exist.")
}

func TestStartSRPErrors(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	_, key, _ := e.confirm(t, ann, "")
	pool := e.pool(t, e.always)
	A := srp.NewClientSession("g").PublicHex()
	cases := []struct {
		name      string
		key       string
		responses map[string]string
		code, msg string
	}{
		{"no SRP_A", key, map[string]string{"USERNAME": "ann"}, "InvalidParameterException", "Missing required parameter SRP_A"},
		{"SRP_A zero", key, map[string]string{"SRP_A": "0"}, "InvalidParameterException", msgInvalidSRPA},
		{"SRP_A N", key, map[string]string{"SRP_A": srp.NHex}, "InvalidParameterException", msgInvalidSRPA},
		{"SRP_A not hex", key, map[string]string{"SRP_A": "xyz"}, "InvalidParameterException", msgInvalidSRPA},
		{"unknown device", "us-east-1_00000000-0000-4000-8000-000000000000", map[string]string{"SRP_A": A}, "ResourceNotFoundException", "Device does not exist."},
		{"no device", "", map[string]string{"SRP_A": A}, "ResourceNotFoundException", "Device does not exist."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := e.svc.StartSRP(e.ctx, pool, ann, c.key, c.responses)
			wantErr(t, err, c.code, c.msg)
		})
	}
}

func TestAuthenticatedAndRefreshAllowed(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	bob := e.createUser(t, e.always, "bob")
	tok, key, _ := e.confirm(t, ann, "")
	pool := e.pool(t, e.always)

	e.clock.Advance(time.Hour)
	if err := e.svc.Authenticated(withIP(e.ctx, "198.51.100.7"), pool, ann, key); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &tok, DeviceKey: &key})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Device.DeviceLastAuthenticatedDate.Equal(t0.Add(time.Hour)) || !got.Device.DeviceLastModifiedDate.Equal(t0) {
		t.Errorf("authenticated %v modified %v", got.Device.DeviceLastAuthenticatedDate, got.Device.DeviceLastModifiedDate)
	}
	if ip := attrMap(got.Device)["last_ip_used"]; ip != "198.51.100.7" {
		t.Errorf("last_ip_used %q", ip)
	}
	// Unknown and other users' devices are left alone, without error.
	for _, c := range []struct {
		u   *storage.User
		key string
	}{{ann, "us-east-1_00000000-0000-4000-8000-000000000000"}, {bob, key}, {ann, ""}} {
		if err := e.svc.Authenticated(e.ctx, pool, c.u, c.key); err != nil {
			t.Errorf("Authenticated(%s, %q): %v", c.u.Username, c.key, err)
		}
	}

	for _, c := range []struct {
		user, key string
		want      bool
	}{{ann.Key, key, true}, {bob.Key, key, false}, {ann.Key, "us-east-1_00000000-0000-4000-8000-000000000000", false}, {ann.Key, "", false}} {
		if ok, err := e.svc.RefreshAllowed(e.ctx, e.always, c.user, c.key); err != nil || ok != c.want {
			t.Errorf("RefreshAllowed(%s, %q) = %v, %v; want %v", c.user, c.key, ok, err, c.want)
		}
	}
	// Not remembered still refreshes; forgotten does not.
	if _, err := e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{AccessToken: &tok, DeviceKey: &key, DeviceRememberedStatus: api.Ptr(cognitoidp.DeviceRememberedStatusTypeNotRemembered)}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := e.svc.RefreshAllowed(e.ctx, e.always, ann.Key, key); !ok {
		t.Error("a not-remembered device may not refresh")
	}
	if _, err := e.svc.ForgetDevice(e.ctx, &cognitoidp.ForgetDeviceRequest{AccessToken: &tok, DeviceKey: &key}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := e.svc.RefreshAllowed(e.ctx, e.always, ann.Key, key); ok {
		t.Error("a forgotten device may still refresh")
	}
}
