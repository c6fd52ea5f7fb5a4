package server

import (
	"github.com/cogito-dev/cogito/internal/userpool/devices"
)

// registerDevices serves the remembered-device operations (ConfirmDevice,
// Get/List/Forget/UpdateDeviceStatus and their Admin twins). The service
// also gives sign-in its device steps: the MFA family's NextStep takes
// s.devices as its mfa.Devices (see register_mfa.go), and refresh asks
// s.devices.RefreshAllowed about refresh tokens issued to a device. It needs
// s.account (the access-token check), so it runs after the account family
// and before registerMFA and the sign-in service, which take s.devices.
func (s *Server) registerDevices() {
	s.devices = devices.New(devices.Config{
		Store: s.store, Accounts: s.account, Sealer: s.sealer, Clock: s.clock, Logger: s.log,
	})
	s.devices.Register(s.idp)
}
