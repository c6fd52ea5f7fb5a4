package devices

import (
	"encoding/base64"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
)

var deviceKeyShape = regexp.MustCompile(`^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewDeviceMetadata(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	bob := e.createUser(t, e.always, "bob")
	pool := e.pool(t, e.always)
	a1, err := e.svc.NewDevice(e.ctx, pool, clientID, ann)
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := e.svc.NewDevice(e.ctx, pool, clientID, ann)
	b1, _ := e.svc.NewDevice(e.ctx, pool, clientID, bob)
	if !deviceKeyShape.MatchString(*a1.DeviceKey) {
		t.Errorf("DeviceKey %q is not {region}_{uuid}", *a1.DeviceKey)
	}
	if *a1.DeviceKey == *a2.DeviceKey {
		t.Error("two sign-ins got the same device key")
	}
	if !regexp.MustCompile(`^-[A-Za-z0-9]{8}$`).MatchString(*a1.DeviceGroupKey) {
		t.Errorf("DeviceGroupKey %q", *a1.DeviceGroupKey)
	}
	if *a1.DeviceGroupKey != *a2.DeviceGroupKey {
		t.Error("a user's devices have different group keys")
	}
	if *a1.DeviceGroupKey == *b1.DeviceGroupKey {
		t.Error("two users share a group key")
	}
	// Nothing is recorded before ConfirmDevice.
	if info, err := e.svc.Lookup(e.ctx, pool, ann, *a1.DeviceKey); err != nil || info != nil {
		t.Errorf("Lookup of an unconfirmed device = %+v, %v", info, err)
	}
}

func TestConfirmDeviceAlwaysRemembered(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	tok, md := e.signIn(t, ann)
	secret := srp.NewDeviceSecret(*md.DeviceGroupKey, *md.DeviceKey)
	pv, salt := secret.Config()
	out, err := e.svc.ConfirmDevice(withIP(e.ctx, "192.0.2.1"), &cognitoidp.ConfirmDeviceRequest{
		AccessToken:                &tok,
		DeviceKey:                  md.DeviceKey,
		DeviceName:                 api.Ptr("Ann's phone"),
		DeviceSecretVerifierConfig: &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: &salt},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserConfirmationNecessary {
		t.Error("UserConfirmationNecessary in a pool that always remembers")
	}
	got, err := e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &tok, DeviceKey: md.DeviceKey})
	if err != nil {
		t.Fatal(err)
	}
	key := *md.DeviceKey
	owner := "ann." + e.always
	want := &cognitoidp.DeviceType{
		DeviceKey: &key,
		DeviceAttributes: []cognitoidp.AttributeType{
			{Name: api.Ptr("device_status"), Value: api.Ptr("valid")},
			{Name: api.Ptr("device_name"), Value: api.Ptr("Ann's phone")},
			{Name: api.Ptr("dev:device_arn"), Value: api.Ptr("arn:aws:cognito-idp:us-east-1:123456789012:owner/" + owner + "/device/" + key)},
			{Name: api.Ptr("dev:device_owner"), Value: api.Ptr(owner)},
			{Name: api.Ptr("last_ip_used"), Value: api.Ptr("192.0.2.1")},
			{Name: api.Ptr("dev:device_remembered_status"), Value: api.Ptr("remembered")},
			{Name: api.Ptr("dev:device_sdk"), Value: api.Ptr("aws-sdk")},
		},
		DeviceCreateDate:            api.NewTime(t0),
		DeviceLastModifiedDate:      api.NewTime(t0),
		DeviceLastAuthenticatedDate: api.NewTime(t0),
	}
	if diff := cmp.Diff(want, got.Device); diff != "" {
		t.Errorf("GetDevice (-want +got):\n%s", diff)
	}
	list, err := e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &tok})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Devices) != 1 || *list.Devices[0].DeviceKey != key || list.PaginationToken != nil {
		t.Errorf("ListDevices = %+v", list)
	}
	info, err := e.svc.Lookup(e.ctx, e.pool(t, e.always), ann, key)
	if err != nil || info == nil || !info.Confirmed || !info.Remembered || info.Key != key {
		t.Errorf("Lookup = %+v, %v", info, err)
	}
}

func TestConfirmDeviceUserOptIn(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.optIn, "ann")
	tok, md := e.signIn(t, ann)
	secret := srp.NewDeviceSecret(*md.DeviceGroupKey, *md.DeviceKey)
	pv, salt := secret.Config()
	out, err := e.svc.ConfirmDevice(e.ctx, &cognitoidp.ConfirmDeviceRequest{
		AccessToken: &tok, DeviceKey: md.DeviceKey,
		DeviceSecretVerifierConfig: &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: &salt},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.UserConfirmationNecessary {
		t.Error("UserConfirmationNecessary false in an opt-in pool")
	}
	key := md.DeviceKey
	// Not remembered: the user's own operations do not show it.
	_, err = e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &tok, DeviceKey: key})
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	list, err := e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &tok})
	if err != nil || len(list.Devices) != 0 {
		t.Fatalf("ListDevices = %+v, %v", list, err)
	}
	// The administrator sees it, not remembered, without a name or IP.
	ag, err := e.svc.AdminGetDevice(e.ctx, &cognitoidp.AdminGetDeviceRequest{UserPoolId: &e.optIn, Username: api.Ptr("ann"), DeviceKey: key})
	if err != nil {
		t.Fatal(err)
	}
	m := attrMap(ag.Device)
	if m["dev:device_remembered_status"] != "not_remembered" {
		t.Errorf("status %q", m["dev:device_remembered_status"])
	}
	if _, ok := m["device_name"]; ok {
		t.Error("device_name shown for a device without a name")
	}
	if _, ok := m["last_ip_used"]; ok {
		t.Error("last_ip_used shown without a known IP")
	}
	info, _ := e.svc.Lookup(e.ctx, e.pool(t, e.optIn), ann, *key)
	if info == nil || !info.Confirmed || info.Remembered {
		t.Errorf("Lookup = %+v", info)
	}

	// The user remembers it (Amplify's rememberDevice).
	e.clock.Advance(time.Minute)
	if _, err := e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{
		AccessToken: &tok, DeviceKey: key, DeviceRememberedStatus: api.Ptr(cognitoidp.DeviceRememberedStatusTypeRemembered),
	}); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &tok, DeviceKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if attrMap(got.Device)["dev:device_remembered_status"] != "remembered" {
		t.Errorf("status after UpdateDeviceStatus: %v", attrMap(got.Device))
	}
	if !got.Device.DeviceLastModifiedDate.Equal(t0.Add(time.Minute)) || !got.Device.DeviceCreateDate.Equal(t0) || !got.Device.DeviceLastAuthenticatedDate.Equal(t0) {
		t.Errorf("dates: created %v modified %v authenticated %v", got.Device.DeviceCreateDate, got.Device.DeviceLastModifiedDate, got.Device.DeviceLastAuthenticatedDate)
	}
	if list, _ := e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &tok}); len(list.Devices) != 1 {
		t.Errorf("ListDevices after remembering: %d devices", len(list.Devices))
	}
	// And back: the device stays, unseen by the user, seen by the admin.
	if _, err := e.svc.AdminUpdateDeviceStatus(e.ctx, &cognitoidp.AdminUpdateDeviceStatusRequest{
		UserPoolId: &e.optIn, Username: api.Ptr("ann@example.com"), DeviceKey: key,
		DeviceRememberedStatus: api.Ptr(cognitoidp.DeviceRememberedStatusTypeNotRemembered),
	}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &tok, DeviceKey: key})
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	al, err := e.svc.AdminListDevices(e.ctx, &cognitoidp.AdminListDevicesRequest{UserPoolId: &e.optIn, Username: api.Ptr("ann")})
	if err != nil || len(al.Devices) != 1 {
		t.Fatalf("AdminListDevices = %+v, %v", al, err)
	}
}

func TestConfirmDeviceErrors(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	tok, md := e.signIn(t, ann)
	other, _ := e.signIn(t, ann) // another sign-in of ann: another device
	noDevice := e.auth.issue(t, e, ann, "")
	secret := srp.NewDeviceSecret(*md.DeviceGroupKey, *md.DeviceKey)
	pv, salt := secret.Config()
	good := &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: &salt}
	b64 := func(b []byte) *string { return api.Ptr(base64.StdEncoding.EncodeToString(b)) }
	untrackedUser := e.createUser(t, e.untracked, "ann")
	untrackedTok := e.auth.issue(t, e, untrackedUser, *md.DeviceKey)

	cases := []struct {
		name      string
		tok       *string
		key       *string
		cfg       *cognitoidp.DeviceSecretVerifierConfigType
		code, msg string
	}{
		{"unknown token", api.Ptr("nope"), md.DeviceKey, good, "NotAuthorizedException", "Invalid Access Token"},
		{"no token", nil, md.DeviceKey, good, "NotAuthorizedException", ""},
		{"another sign-in's device", &other, md.DeviceKey, good, "InvalidParameterException", "Invalid device key given."},
		{"token without device", &noDevice, md.DeviceKey, good, "InvalidParameterException", "Invalid device key given."},
		{"made-up key", &tok, api.Ptr("us-east-1_00000000-0000-4000-8000-000000000000"), good, "InvalidParameterException", "Invalid device key given."},
		{"no verifier config", &tok, md.DeviceKey, nil, "InvalidParameterException", msgInvalidVerifier},
		{"no salt", &tok, md.DeviceKey, &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv}, "InvalidParameterException", msgInvalidVerifier},
		{"no verifier", &tok, md.DeviceKey, &cognitoidp.DeviceSecretVerifierConfigType{Salt: &salt}, "InvalidParameterException", msgInvalidVerifier},
		{"verifier not base64", &tok, md.DeviceKey, &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: api.Ptr("!!"), Salt: &salt}, "InvalidParameterException", msgInvalidVerifier},
		{"salt not base64", &tok, md.DeviceKey, &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: api.Ptr("%%")}, "InvalidParameterException", msgInvalidVerifier},
		{"verifier 1", &tok, md.DeviceKey, &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: b64([]byte{1}), Salt: &salt}, "InvalidParameterException", msgInvalidVerifier},
		{"verifier N", &tok, md.DeviceKey, &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: b64(srp.N().Bytes()), Salt: &salt}, "InvalidParameterException", msgInvalidVerifier},
		{"empty salt", &tok, md.DeviceKey, &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: api.Ptr("")}, "InvalidParameterException", msgInvalidVerifier},
		{"untracked pool", &untrackedTok, md.DeviceKey, good, "InvalidUserPoolConfigurationException", "Device tracking is not enabled for this user pool."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.ConfirmDevice(e.ctx, &cognitoidp.ConfirmDeviceRequest{AccessToken: c.tok, DeviceKey: c.key, DeviceSecretVerifierConfig: c.cfg})
			wantErr(t, err, c.code, c.msg)
		})
	}
	// None of them recorded anything.
	if n, err := e.store.CountResources(e.ctx, e.always, Kind, ""); err != nil || n != 0 {
		t.Errorf("%d devices recorded, %v", n, err)
	}
}

func TestConfirmDeviceAgainReplacesVerifier(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	tok, key, first := e.confirm(t, ann, "laptop")
	pool := e.pool(t, e.always)
	md, _ := e.svc.NewDevice(e.ctx, pool, clientID, ann) // for the group key
	second := srp.NewDeviceSecret(*md.DeviceGroupKey, key)
	pv, salt := second.Config()
	e.clock.Advance(time.Hour)
	if _, err := e.svc.ConfirmDevice(e.ctx, &cognitoidp.ConfirmDeviceRequest{
		AccessToken: &tok, DeviceKey: &key,
		DeviceSecretVerifierConfig: &cognitoidp.DeviceSecretVerifierConfigType{PasswordVerifier: &pv, Salt: &salt},
	}); err != nil {
		t.Fatal(err)
	}
	// The old device secret no longer proves the device; the new one does.
	if err := deviceSignIn(t, e, ann, key, *md.DeviceGroupKey, first.Password); err == nil {
		t.Error("the replaced device secret still signs in")
	}
	if err := deviceSignIn(t, e, ann, key, *md.DeviceGroupKey, second.Password); err != nil {
		t.Errorf("the new device secret: %v", err)
	}
	got, _ := e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &tok, DeviceKey: &key})
	if attrMap(got.Device)["device_name"] != "laptop" || !got.Device.DeviceCreateDate.Equal(t0) || !got.Device.DeviceLastModifiedDate.Equal(t0.Add(time.Hour)) {
		t.Errorf("device after confirming again: %v created %v modified %v", attrMap(got.Device), got.Device.DeviceCreateDate, got.Device.DeviceLastModifiedDate)
	}
	if n, _ := e.store.CountResources(e.ctx, e.always, Kind, ann.Key); n != 1 {
		t.Errorf("%d devices", n)
	}
}
