package devices

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/mfa"
)

// What sign-in asks of devices (mfa.Devices), and what refresh asks
// (RefreshAllowed).

// Challenge parameters and responses of the device exchange.
const (
	pDeviceKey      = "DEVICE_KEY"
	pSRPA           = "SRP_A"
	pSRPB           = "SRP_B"
	pSalt           = "SALT"
	pSecretBlock    = "SECRET_BLOCK"
	pClaimBlock     = "PASSWORD_CLAIM_SECRET_BLOCK"
	pClaimSignature = "PASSWORD_CLAIM_SIGNATURE"
	pTimestamp      = "TIMESTAMP"
)

// Lookup returns the user's device with key deviceKey, or nil when the user
// has no such device (never confirmed, forgotten, or another user's).
func (s *Service) Lookup(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string) (*mfa.DeviceInfo, error) {
	d, err := s.find(ctx, u.PoolID, u.Key, deviceKey)
	if err != nil || d == nil {
		return nil, err
	}
	return d.info(), nil
}

// NewDevice returns the NewDeviceMetadata of a sign-in through clientID
// that authenticated no device: a fresh device key in the pool's region and
// the user's DeviceGroupKey. Nothing is stored until the client confirms the
// device (ConfirmDevice; see defaults.go).
func (s *Service) NewDevice(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, u *storage.User) (*cognitoidp.NewDeviceMetadataType, error) {
	region, ok := ids.RegionOfPoolID(u.PoolID)
	if !ok {
		return nil, fmt.Errorf("devices: pool id %q has no region", u.PoolID)
	}
	return &cognitoidp.NewDeviceMetadataType{
		DeviceKey:      api.Ptr(ids.DeviceKey(region)),
		DeviceGroupKey: api.Ptr(s.groupKeyFor(u.PoolID, u.Key)),
	}, nil
}

// Authenticated records that the device took part in a successful sign-in:
// its last authenticated date and the last IP used. A device the user does
// not have is left alone.
func (s *Service) Authenticated(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string) error {
	if deviceKey == "" {
		return nil
	}
	now := s.clock.Now()
	ip := awsjson.Info(ctx).RemoteIP
	_, err := s.update(ctx, &owner{pool: pool, user: u}, deviceKey, func(d *device) error {
		d.AuthenticatedAt = now
		if ip != "" {
			d.LastIP = ip
		}
		return nil
	})
	if awserr.Is(err, "ResourceNotFoundException") {
		return nil
	}
	return err
}

// RefreshAllowed reports whether a refresh token issued to device deviceKey
// of user userKey may still be used: the user still has the device
// (confirmed, not forgotten). Remembered or not does not matter.
func (s *Service) RefreshAllowed(ctx context.Context, poolID, userKey, deviceKey string) (bool, error) {
	d, err := s.find(ctx, poolID, userKey, deviceKey)
	if err != nil {
		return false, err
	}
	return d != nil, nil
}

// StartSRP answers DEVICE_SRP_AUTH (responses hold USERNAME, DEVICE_KEY and
// SRP_A) with the parameters of DEVICE_PASSWORD_VERIFIER: SRP_B, SALT,
// SECRET_BLOCK (the sealed server state) and DEVICE_KEY. state binds the
// answer to this very SECRET_BLOCK (its SHA-256).
func (s *Service) StartSRP(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string, responses map[string]string) (map[string]string, []byte, error) {
	aHex, err := required(responses, pSRPA)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.find(ctx, u.PoolID, u.Key, deviceKey)
	if err != nil {
		return nil, nil, err
	}
	if d == nil {
		return nil, nil, deviceNotFound()
	}
	v, err := d.verifier()
	if err != nil {
		return nil, nil, err
	}
	ch, err := srp.StartDeviceAuth(s.srpKey, srp.State{
		PoolID:    u.PoolID,
		Username:  u.Username,
		DeviceKey: d.Key,
	}, aHex, v, d.Salt, s.clock.Now())
	switch {
	case errors.Is(err, srp.ErrBadPublicValue):
		return nil, nil, cognitoidp.NewInvalidParameterException(msgInvalidSRPA)
	case err != nil:
		return nil, nil, fmt.Errorf("devices: starting a device SRP exchange in pool %s: %w", u.PoolID, err)
	}
	sum := sha256.Sum256(ch.SecretBlock)
	return map[string]string{
		pSRPB:        ch.B.Text(16),
		pSalt:        ch.Salt,
		pSecretBlock: base64.StdEncoding.EncodeToString(ch.SecretBlock),
		pDeviceKey:   d.Key,
	}, sum[:], nil
}

// VerifySRP checks the answer to DEVICE_PASSWORD_VERIFIER
// (PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE,
// DEVICE_KEY) against the block StartSRP issued (state) and the device's
// registered verifier.
func (s *Service) VerifySRP(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string, state []byte, responses map[string]string) error {
	block64, err := required(responses, pClaimBlock)
	if err != nil {
		return err
	}
	claim, err := required(responses, pClaimSignature)
	if err != nil {
		return err
	}
	ts, err := required(responses, pTimestamp)
	if err != nil {
		return err
	}
	if _, err := srp.ParseTimestamp(ts); err != nil {
		return cognitoidp.NewInvalidParameterException(msgBadTimestamp)
	}
	if k := responses[pDeviceKey]; k != "" && k != deviceKey {
		return incorrect()
	}
	block, err := base64.StdEncoding.DecodeString(block64)
	if err != nil {
		return incorrect()
	}
	sum := sha256.Sum256(block)
	if len(state) != len(sum) || subtle.ConstantTimeCompare(state, sum[:]) != 1 {
		return incorrect()
	}
	now := s.clock.Now()
	if _, err := srp.CheckTimestamp(ts, now, s.tolerance); err != nil {
		return incorrect()
	}
	d, err := s.find(ctx, u.PoolID, u.Key, deviceKey)
	if err != nil {
		return err
	}
	if d == nil {
		return deviceNotFound()
	}
	v, err := d.verifier()
	if err != nil {
		return err
	}
	st, err := srp.VerifyDeviceAuth(s.srpKey, block, now, maxSRPStateAge, d.GroupKey, d.Key, v, ts, claim)
	switch {
	case errors.Is(err, srp.ErrStateExpired):
		return cognitoidp.NewNotAuthorizedException(msgSessionExpired)
	case err != nil:
		return incorrect()
	}
	if st.PoolID != u.PoolID || st.Username != u.Username {
		return incorrect()
	}
	return nil
}

// incorrect is the answer to a device proof that does not verify.
func incorrect() error { return cognitoidp.NewNotAuthorizedException(msgIncorrect) }

// required returns a non-empty challenge response or InvalidParameterException.
func required(responses map[string]string, name string) (string, error) {
	v := responses[name]
	if v == "" {
		return "", cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingParameter, name))
	}
	return v, nil
}
