package devices

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ConfirmDevice records the device the access token's sign-in was issued
// (its device_key) with the SRP verifier the client made for it, so the
// device can sign in by device SRP. The device is remembered at once when
// the pool always remembers devices; with DeviceOnlyRememberedOnUserPrompt
// it is not, and UserConfirmationNecessary tells the client to ask the user
// (then UpdateDeviceStatus). Confirming a confirmed device again replaces
// its verifier and name.
func (s *Service) ConfirmDevice(ctx context.Context, in *cognitoidp.ConfirmDeviceRequest) (*cognitoidp.ConfirmDeviceResponse, error) {
	o, err := s.caller(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	key := api.Deref(in.DeviceKey)
	if key == "" || key != o.deviceKey {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidDeviceKey)
	}
	v, salt, err := parseVerifierConfig(in.DeviceSecretVerifierConfig)
	if err != nil {
		return nil, err
	}
	optIn := o.pool.DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt
	status := cognitoidp.DeviceRememberedStatusTypeRemembered
	if optIn {
		status = cognitoidp.DeviceRememberedStatusTypeNotRemembered
	}
	now := s.clock.Now()
	d := &device{
		Key:             key,
		Owner:           o.user.Key,
		GroupKey:        s.groupKeyFor(o.poolID(), o.user.Key),
		Salt:            salt,
		Verifier:        srp.VerifierBytes(v),
		Name:            api.Deref(in.DeviceName),
		Status:          status,
		ClientID:        o.clientID,
		SDK:             deviceSDK,
		LastIP:          awsjson.Info(ctx).RemoteIP,
		CreatedAt:       now,
		ModifiedAt:      now,
		AuthenticatedAt: now,
	}
	r, err := d.resource(o.poolID())
	if err != nil {
		return nil, err
	}
	err = s.store.CreateResource(ctx, r)
	if errors.Is(err, storage.ErrAlreadyExists) {
		// Confirmed before: the client registers a new verifier.
		_, err = s.update(ctx, o, key, func(old *device) error {
			old.GroupKey, old.Salt, old.Verifier = d.GroupKey, d.Salt, d.Verifier
			if d.Name != "" {
				old.Name = d.Name
			}
			if d.LastIP != "" {
				old.LastIP = d.LastIP
			}
			old.ModifiedAt, old.AuthenticatedAt = now, now
			status = old.Status
			return nil
		})
		if awserr.Is(err, "ResourceNotFoundException") {
			// The key is another user's (or was forgotten meanwhile).
			return nil, cognitoidp.NewInvalidParameterException(msgInvalidDeviceKey)
		}
	}
	if errors.Is(err, storage.ErrNotFound) {
		// The user was deleted since the token was checked.
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		if _, ok := awserr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("devices: recording a device in pool %s: %w", o.poolID(), err)
	}
	s.log.Debug("device confirmed", "pool", o.poolID(), "status", string(status))
	return &cognitoidp.ConfirmDeviceResponse{UserConfirmationNecessary: optIn}, nil
}

// parseVerifierConfig reads DeviceSecretVerifierConfig: standard base64 of
// the bytes of PadHex(v) and of the salt.
func parseVerifierConfig(c *cognitoidp.DeviceSecretVerifierConfigType) (*big.Int, []byte, error) {
	bad := cognitoidp.NewInvalidParameterException(msgInvalidVerifier)
	if c == nil || c.PasswordVerifier == nil || c.Salt == nil {
		return nil, nil, bad
	}
	vb, err := base64.StdEncoding.DecodeString(*c.PasswordVerifier)
	if err != nil {
		return nil, nil, bad
	}
	sb, err := base64.StdEncoding.DecodeString(*c.Salt)
	if err != nil {
		return nil, nil, bad
	}
	v, salt, err := srp.ParseDeviceSecretVerifierConfig(vb, sb)
	if err != nil {
		return nil, nil, bad
	}
	return v, salt, nil
}
