package server

import (
	"github.com/cogito-dev/cogito/internal/userpool/devices"
)

// registerDevices serves the remembered-device operations (ConfirmDevice,
// Get/List/Forget/UpdateDeviceStatus and their Admin twins). The service
// also gives sign-in its device steps: the MFA family's NextStep takes
// s.devices as its mfa.Devices (see register_mfa.go), and refresh asks
// s.devices.RefreshAllowed about refresh tokens issued to a device. It needs
// s.account (the access-token check), so it runs after the account family.
//
// TODO(mfa): register_mfa.go did not exist when this was written; the MFA
// family's NextStep must take s.devices as its Devices (mfa.Devices) and be
// built after registerDevices, or sign-in issues no NewDeviceMetadata and
// never asks for DEVICE_SRP_AUTH (the device journeys of
// test/e2e/go/devices_test.go and test/e2e/js/devices.test.mjs skip until
// then).
func (s *Server) registerDevices() {
	s.devices = devices.New(devices.Config{
		Store: s.store, Accounts: s.account, Sealer: s.sealer, Clock: s.clock, Logger: s.log,
	})
	s.devices.Register(s.idp)
}
