package devices

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestListDevicesPaging(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.optIn, "ann")
	bob := e.createUser(t, e.optIn, "bob")
	var tok string
	var remembered, all []string
	for i := 0; i < 7; i++ {
		var key string
		tok, key, _ = e.confirm(t, ann, "")
		all = append(all, key)
		// Every other device is remembered: the user's listing skips the rest.
		if i%2 == 0 {
			if _, err := e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{
				AccessToken: &tok, DeviceKey: &key, DeviceRememberedStatus: api.Ptr(cognitoidp.DeviceRememberedStatusTypeRemembered),
			}); err != nil {
				t.Fatal(err)
			}
			remembered = append(remembered, key)
		}
	}
	e.confirm(t, bob, "") // someone else's device is never listed
	sort.Strings(remembered)
	sort.Strings(all)

	collect := func(t *testing.T, limit *int32, page func(tok *string) ([]cognitoidp.DeviceType, *string, error)) []string {
		t.Helper()
		var keys []string
		var next *string
		for i := 0; ; i++ {
			devs, n, err := page(next)
			if err != nil {
				t.Fatal(err)
			}
			if limit != nil && *limit > 0 && len(devs) > int(*limit) {
				t.Fatalf("page of %d with Limit %d", len(devs), *limit)
			}
			for _, d := range devs {
				keys = append(keys, *d.DeviceKey)
			}
			if n == nil {
				return keys
			}
			if i > 20 {
				t.Fatal("no end")
			}
			next = n
		}
	}
	for _, limit := range []*int32{nil, api.Ptr(int32(0)), api.Ptr(int32(1)), api.Ptr(int32(2)), api.Ptr(int32(60))} {
		user := collect(t, limit, func(next *string) ([]cognitoidp.DeviceType, *string, error) {
			out, err := e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &tok, Limit: limit, PaginationToken: next})
			if err != nil {
				return nil, nil, err
			}
			return out.Devices, out.PaginationToken, nil
		})
		if strings.Join(user, ",") != strings.Join(remembered, ",") {
			t.Errorf("ListDevices Limit %v: %v, want %v", limit, user, remembered)
		}
		admin := collect(t, limit, func(next *string) ([]cognitoidp.DeviceType, *string, error) {
			out, err := e.svc.AdminListDevices(e.ctx, &cognitoidp.AdminListDevicesRequest{UserPoolId: &e.optIn, Username: api.Ptr("ann"), Limit: limit, PaginationToken: next})
			if err != nil {
				return nil, nil, err
			}
			return out.Devices, out.PaginationToken, nil
		})
		if strings.Join(admin, ",") != strings.Join(all, ",") {
			t.Errorf("AdminListDevices Limit %v: %v, want %v", limit, admin, all)
		}
	}

	// A token is good only for the listing that issued it.
	first, err := e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &tok, Limit: api.Ptr(int32(1))})
	if err != nil || first.PaginationToken == nil {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	bobTok := e.auth.issue(t, e, bob, "")
	_, err = e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &bobTok, PaginationToken: first.PaginationToken})
	wantErr(t, err, "InvalidParameterException", msgInvalidPaginationToken)
	_, err = e.svc.AdminListDevices(e.ctx, &cognitoidp.AdminListDevicesRequest{UserPoolId: &e.optIn, Username: api.Ptr("ann"), PaginationToken: first.PaginationToken})
	wantErr(t, err, "InvalidParameterException", msgInvalidPaginationToken)
	for _, bad := range []string{"x", "!!!", encodeToken([]string{"user", e.optIn, ann.Key}, "")} {
		_, err = e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &tok, PaginationToken: &bad})
		wantErr(t, err, "InvalidParameterException", msgInvalidPaginationToken)
	}
	// A wrapped token the store did not issue.
	forged := encodeToken([]string{"user", e.optIn, ann.Key}, "not-a-store-token")
	_, err = e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &tok, PaginationToken: &forged})
	wantErr(t, err, "InvalidParameterException", msgInvalidPaginationToken)
}

func TestForgetDevice(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	bob := e.createUser(t, e.always, "bob")
	tok, key, _ := e.confirm(t, ann, "")
	_, other, _ := e.confirm(t, ann, "")
	bobTok, bobKey, _ := e.confirm(t, bob, "")

	// Bob can neither see nor forget Ann's device.
	_, err := e.svc.ForgetDevice(e.ctx, &cognitoidp.ForgetDeviceRequest{AccessToken: &bobTok, DeviceKey: &key})
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &bobTok, DeviceKey: &key})
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{AccessToken: &bobTok, DeviceKey: &key, DeviceRememberedStatus: api.Ptr(cognitoidp.DeviceRememberedStatusTypeNotRemembered)})
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = e.svc.AdminForgetDevice(e.ctx, &cognitoidp.AdminForgetDeviceRequest{UserPoolId: &e.always, Username: api.Ptr("bob"), DeviceKey: &key})
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")

	if _, err := e.svc.ForgetDevice(e.ctx, &cognitoidp.ForgetDeviceRequest{AccessToken: &tok, DeviceKey: &key}); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"GetDevice": func() error {
			_, err := e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &tok, DeviceKey: &key})
			return err
		},
		"ForgetDevice again": func() error {
			_, err := e.svc.ForgetDevice(e.ctx, &cognitoidp.ForgetDeviceRequest{AccessToken: &tok, DeviceKey: &key})
			return err
		},
		"UpdateDeviceStatus": func() error {
			_, err := e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{AccessToken: &tok, DeviceKey: &key, DeviceRememberedStatus: api.Ptr(cognitoidp.DeviceRememberedStatusTypeRemembered)})
			return err
		},
		"AdminGetDevice": func() error {
			_, err := e.svc.AdminGetDevice(e.ctx, &cognitoidp.AdminGetDeviceRequest{UserPoolId: &e.always, Username: api.Ptr("ann"), DeviceKey: &key})
			return err
		},
	} {
		err := call()
		if err == nil {
			t.Errorf("%s of a forgotten device succeeded", name)
			continue
		}
		wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
	}
	// The other devices stay; the admin forgets one by alias.
	if _, err := e.svc.AdminForgetDevice(e.ctx, &cognitoidp.AdminForgetDeviceRequest{UserPoolId: &e.always, Username: api.Ptr("ann@example.com"), DeviceKey: &other}); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.store.CountResources(e.ctx, e.always, Kind, ""); n != 1 {
		t.Errorf("%d devices left, want Bob's", n)
	}
	if _, err := e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &bobTok, DeviceKey: &bobKey}); err != nil {
		t.Errorf("Bob's device: %v", err)
	}
	// A deleted user's devices go with them.
	if err := e.store.DeleteUser(e.ctx, e.always, bob.Key); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.store.CountResources(e.ctx, e.always, Kind, ""); n != 0 {
		t.Errorf("%d devices left after deleting their user", n)
	}
}

func TestUpdateDeviceStatusErrors(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	tok, key, _ := e.confirm(t, ann, "")
	_, err := e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{AccessToken: &tok, DeviceKey: &key})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'deviceRememberedStatus' failed to satisfy constraint: Member must not be null")
	_, err = e.svc.AdminUpdateDeviceStatus(e.ctx, &cognitoidp.AdminUpdateDeviceStatusRequest{UserPoolId: &e.always, Username: api.Ptr("ann"), DeviceKey: &key})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{AccessToken: &tok, DeviceKey: api.Ptr("us-east-1_00000000-0000-4000-8000-000000000000"), DeviceRememberedStatus: api.Ptr(cognitoidp.DeviceRememberedStatusTypeRemembered)})
	wantErr(t, err, "ResourceNotFoundException", "Device does not exist.")
}

func TestAdminLookupsAndUntrackedPools(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	_, key, _ := e.confirm(t, ann, "")
	e.createUser(t, e.untracked, "ann")
	untrackedTok := e.auth.issue(t, e, e.createUser(t, e.untracked, "carl"), "")
	missingPool := "us-east-1_Missing1"
	status := api.Ptr(cognitoidp.DeviceRememberedStatusTypeRemembered)

	type call func(pool, user string) error
	admin := map[string]call{
		"AdminGetDevice": func(p, u string) error {
			_, err := e.svc.AdminGetDevice(e.ctx, &cognitoidp.AdminGetDeviceRequest{UserPoolId: &p, Username: &u, DeviceKey: &key})
			return err
		},
		"AdminListDevices": func(p, u string) error {
			_, err := e.svc.AdminListDevices(e.ctx, &cognitoidp.AdminListDevicesRequest{UserPoolId: &p, Username: &u})
			return err
		},
		"AdminForgetDevice": func(p, u string) error {
			_, err := e.svc.AdminForgetDevice(e.ctx, &cognitoidp.AdminForgetDeviceRequest{UserPoolId: &p, Username: &u, DeviceKey: &key})
			return err
		},
		"AdminUpdateDeviceStatus": func(p, u string) error {
			_, err := e.svc.AdminUpdateDeviceStatus(e.ctx, &cognitoidp.AdminUpdateDeviceStatusRequest{UserPoolId: &p, Username: &u, DeviceKey: &key, DeviceRememberedStatus: status})
			return err
		},
	}
	for name, c := range admin {
		t.Run(name, func(t *testing.T) {
			wantErr(t, c(missingPool, "ann"), "ResourceNotFoundException", "User pool "+missingPool+" does not exist.")
			wantErr(t, c(e.always, "nobody"), "UserNotFoundException", "User does not exist.")
			wantErr(t, c(e.untracked, "ann"), "InvalidUserPoolConfigurationException", msgTrackingOff)
		})
	}
	user := map[string]func() error{
		"GetDevice": func() error {
			_, err := e.svc.GetDevice(e.ctx, &cognitoidp.GetDeviceRequest{AccessToken: &untrackedTok, DeviceKey: &key})
			return err
		},
		"ListDevices": func() error {
			_, err := e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: &untrackedTok})
			return err
		},
		"ForgetDevice": func() error {
			_, err := e.svc.ForgetDevice(e.ctx, &cognitoidp.ForgetDeviceRequest{AccessToken: &untrackedTok, DeviceKey: &key})
			return err
		},
		"UpdateDeviceStatus": func() error {
			_, err := e.svc.UpdateDeviceStatus(e.ctx, &cognitoidp.UpdateDeviceStatusRequest{AccessToken: &untrackedTok, DeviceKey: &key, DeviceRememberedStatus: status})
			return err
		},
	}
	for name, c := range user {
		t.Run(name, func(t *testing.T) {
			wantErr(t, c(), "InvalidUserPoolConfigurationException", msgTrackingOff)
		})
	}
	// A token the account family refuses is refused, whatever the pool.
	_, err := e.svc.ListDevices(e.ctx, &cognitoidp.ListDevicesRequest{AccessToken: api.Ptr("revoked")})
	wantErr(t, err, "NotAuthorizedException", "Invalid Access Token")
	_, err = e.svc.ForgetDevice(e.ctx, &cognitoidp.ForgetDeviceRequest{DeviceKey: &key})
	wantErr(t, err, "NotAuthorizedException", "")
}

// TestThroughOperationTable drives the operations as the protocol layer
// does: JSON in, the generated decoder and validator, the handler, JSON out.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser(t, e.always, "ann")
	tok, key, _ := e.confirm(t, ann, "Ann's laptop")
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, name := range []string{"ConfirmDevice", "GetDevice", "ListDevices", "ForgetDevice", "UpdateDeviceStatus",
		"AdminGetDevice", "AdminListDevices", "AdminForgetDevice", "AdminUpdateDeviceStatus"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
	ctx := context.Background()
	call := func(op, body string) (string, error) {
		t.Helper()
		out, err := ops[op].Call(ctx, []byte(body))
		if err != nil {
			return "", err
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), nil
	}
	owner := "ann." + e.always
	got, err := call("GetDevice", `{"AccessToken":"`+tok+`","DeviceKey":"`+key+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Device":{"DeviceKey":"` + key + `","DeviceAttributes":[` +
		`{"Name":"device_status","Value":"valid"},{"Name":"device_name","Value":"Ann's laptop"},` +
		`{"Name":"dev:device_arn","Value":"arn:aws:cognito-idp:us-east-1:123456789012:owner/` + owner + `/device/` + key + `"},` +
		`{"Name":"dev:device_owner","Value":"` + owner + `"},` +
		`{"Name":"dev:device_remembered_status","Value":"remembered"},{"Name":"dev:device_sdk","Value":"aws-sdk"}],` +
		`"DeviceCreateDate":1740830400,"DeviceLastModifiedDate":1740830400,"DeviceLastAuthenticatedDate":1740830400}}`
	if got != want {
		t.Errorf("GetDevice:\n got %s\nwant %s", got, want)
	}
	if got, err := call("UpdateDeviceStatus", `{"AccessToken":"`+tok+`","DeviceKey":"`+key+`","DeviceRememberedStatus":"not_remembered"}`); err != nil || got != "{}" {
		t.Errorf("UpdateDeviceStatus = %s, %v", got, err)
	}
	if got, err := call("ListDevices", `{"AccessToken":"`+tok+`","Limit":60}`); err != nil || got != `{"Devices":[]}` {
		t.Errorf("ListDevices = %s, %v", got, err)
	}
	if got, err := call("AdminListDevices", `{"UserPoolId":"`+e.always+`","Username":"ann"}`); err != nil || !strings.Contains(got, `"not_remembered"`) {
		t.Errorf("AdminListDevices = %s, %v", got, err)
	}
	if got, err := call("ForgetDevice", `{"AccessToken":"`+tok+`","DeviceKey":"`+key+`"}`); err != nil || got != "{}" {
		t.Errorf("ForgetDevice = %s, %v", got, err)
	}
	// The model's constraints come first.
	_, err = call("ListDevices", `{"AccessToken":"`+tok+`","Limit":61}`)
	wantErr(t, err, "InvalidParameterException", "")
	_, err = call("AdminGetDevice", `{"UserPoolId":"`+e.always+`","Username":"ann","DeviceKey":"not a key"}`)
	wantErr(t, err, "InvalidParameterException", "")
	_, err = call("UpdateDeviceStatus", `{"AccessToken":"`+tok+`","DeviceKey":"`+key+`","DeviceRememberedStatus":"maybe"}`)
	wantErr(t, err, "InvalidParameterException", "")
}
