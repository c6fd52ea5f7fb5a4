// Package devices implements remembered devices for the User Pools API:
// ConfirmDevice, GetDevice, ListDevices, ForgetDevice, UpdateDeviceStatus
// and their Admin* twins, and gives sign-in what it needs of devices
// (the mfa.Devices interface: NewDeviceMetadata, the device SRP exchange
// DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER, last-authenticated bookkeeping)
// and refresh (RefreshAllowed: a refresh token issued to a device works only
// while the device is known).
//
// A device is a storage.Resource of kind "device": ID and LookupKey are the
// device key (globally unique), Owner the user's key (so the device goes
// with its user and pool), Settings the JSON document of this package
// (record.go) holding the group key, the SRP salt and verifier the client
// registered, the name, the remembered status, the client and the dates.
// The maths is internal/srp's; the access-token check is the account
// family's. The Cognito facts the package relies on, with how sure we are of
// each, are in defaults.go.
package devices

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/account"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/mfa"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Kind is the storage.Resource kind of a device.
const Kind = "device"

// Store is what the package needs of the storage backend.
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.ResourceStore
}

// Authenticator verifies the access token of a token-authorized operation
// (*account.Service: the account family's check — signature, expiry,
// revocation, scope, the user still there and enabled).
type Authenticator interface {
	Authenticate(ctx context.Context, accessToken *string) (*account.Caller, error)
}

// Config holds the Service's dependencies. Store, Accounts and Sealer are
// required; a nil Clock is the real clock, a nil Logger discards.
type Config struct {
	Store    Store
	Accounts Authenticator
	// Sealer derives the key that seals device SECRET_BLOCKs
	// ("device-srp-state") and the one group keys are derived with
	// ("device-group-key").
	Sealer *keys.Sealer
	Clock  clock.Clock
	Logger *slog.Logger
	// TimestampTolerance is how far a device proof's TIMESTAMP may be from
	// the server's clock; 0: srp.DefaultTimestampTolerance.
	TimestampTolerance time.Duration
}

// Service implements the device operations and mfa.Devices.
type Service struct {
	store     Store
	accounts  Authenticator
	clock     clock.Clock
	log       *slog.Logger
	tolerance time.Duration
	srpKey    []byte // seals device SECRET_BLOCKs
	groupKey  []byte // derives DeviceGroupKeys
}

var _ mfa.Devices = (*Service)(nil)

// New returns a Service. It panics when a required dependency is missing
// (a wiring mistake).
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Accounts == nil || cfg.Sealer == nil {
		panic("devices: Config.Store, Accounts and Sealer are required")
	}
	s := &Service{
		store:     cfg.Store,
		accounts:  cfg.Accounts,
		clock:     cfg.Clock,
		log:       cfg.Logger,
		tolerance: cfg.TimestampTolerance,
		srpKey:    cfg.Sealer.DeriveKey("device-srp-state"),
		groupKey:  cfg.Sealer.DeriveKey("device-group-key"),
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.tolerance <= 0 {
		s.tolerance = srp.DefaultTimestampTolerance
	}
	return s
}

// Register fills the device operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.ConfirmDevice = s.ConfirmDevice
	h.GetDevice = s.GetDevice
	h.ListDevices = s.ListDevices
	h.ForgetDevice = s.ForgetDevice
	h.UpdateDeviceStatus = s.UpdateDeviceStatus
	h.AdminGetDevice = s.AdminGetDevice
	h.AdminListDevices = s.AdminListDevices
	h.AdminForgetDevice = s.AdminForgetDevice
	h.AdminUpdateDeviceStatus = s.AdminUpdateDeviceStatus
}

// owner is whose devices an operation works on: the pool (with device
// tracking on) and the user.
type owner struct {
	pool *cognitoidp.UserPoolType
	user *storage.User
	// deviceKey is the access token's device_key ("" for the Admin*
	// operations).
	deviceKey string
	// clientID is the access token's app client ("" for Admin*).
	clientID string
}

func (o *owner) poolID() string { return o.user.PoolID }

// tracking checks that the pool tracks devices.
func tracking(pool *cognitoidp.UserPoolType) error {
	if pool.DeviceConfiguration == nil {
		return cognitoidp.NewInvalidUserPoolConfigurationException(msgTrackingOff)
	}
	return nil
}

// caller is the owner of a token-authorized operation: the access token's
// user, in a pool that tracks devices.
func (s *Service) caller(ctx context.Context, accessToken *string) (*owner, error) {
	c, err := s.accounts.Authenticate(ctx, accessToken)
	if err != nil {
		if _, ok := awserr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("devices: checking an access token: %w", err)
	}
	if err := tracking(c.Pool); err != nil {
		return nil, err
	}
	return &owner{pool: c.Pool, user: c.User, deviceKey: c.Claims.DeviceKey, clientID: c.Claims.ClientID}, nil
}

// admin is the owner of an Admin* operation: the user a name designates
// (username, alias or sub as Cognito accepts them) in a pool that tracks
// devices. An unknown pool is ResourceNotFoundException, an unknown user
// UserNotFoundException.
func (s *Service) admin(ctx context.Context, poolID, username *string) (*owner, error) {
	pool, err := pools.Load(ctx, s.store, api.Deref(poolID))
	if err != nil {
		return nil, err
	}
	if err := tracking(pool); err != nil {
		return nil, err
	}
	u, err := attrs.FromPool(pool).Lookup(ctx, s.store, api.Deref(username))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("devices: looking up a user in pool %s: %w", api.Deref(poolID), err)
	}
	return &owner{pool: pool, user: u}, nil
}

// deviceNotFound is the answer for a device key the user does not have.
func deviceNotFound() error { return cognitoidp.NewResourceNotFoundException(msgDeviceNotFound) }

// find reads a device of the user, or nil (and no error) when the user has
// no device with that key (none at all, or another user's).
func (s *Service) find(ctx context.Context, poolID, userKey, deviceKey string) (*device, error) {
	if deviceKey == "" {
		return nil, nil
	}
	r, err := s.store.GetResource(ctx, poolID, Kind, deviceKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("devices: reading a device of pool %s: %w", poolID, err)
	}
	if r.Owner != userKey {
		return nil, nil
	}
	d, err := decode(r)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// get is find answering "Device does not exist." for a missing device.
func (s *Service) get(ctx context.Context, o *owner, deviceKey string) (*device, error) {
	d, err := s.find(ctx, o.poolID(), o.user.Key, deviceKey)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, deviceNotFound()
	}
	return d, nil
}

// update runs a compare-and-swap update of a device of the owner: fn gets
// the decoded record and changes it; the result is written back. A device
// gone meanwhile (or another user's) is "Device does not exist.".
func (s *Service) update(ctx context.Context, o *owner, deviceKey string, fn func(*device) error) (*device, error) {
	var out *device
	_, err := s.store.UpdateResource(ctx, o.poolID(), Kind, deviceKey, func(r *storage.Resource) error {
		if r.Owner != o.user.Key {
			return deviceNotFound()
		}
		d, err := decode(r)
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
		if err := d.encodeInto(r); err != nil {
			return err
		}
		out = d
		return nil
	})
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, storage.ErrSkip):
		return nil, nil
	case errors.Is(err, storage.ErrNotFound):
		return nil, deviceNotFound()
	}
	if _, ok := awserr.As(err); ok {
		return nil, err
	}
	var ce *storage.ConflictError
	if errors.As(err, &ce) {
		return nil, cognitoidp.NewTooManyRequestsException(msgTooManyRequests)
	}
	return nil, fmt.Errorf("devices: updating a device of pool %s: %w", o.poolID(), err)
}

// forget deletes a device of the owner.
func (s *Service) forget(ctx context.Context, o *owner, deviceKey string) error {
	if _, err := s.get(ctx, o, deviceKey); err != nil {
		return err
	}
	err := s.store.DeleteResource(ctx, o.poolID(), Kind, deviceKey)
	if errors.Is(err, storage.ErrNotFound) {
		return deviceNotFound()
	}
	if err != nil {
		return fmt.Errorf("devices: deleting a device of pool %s: %w", o.poolID(), err)
	}
	s.log.Debug("device forgotten", "pool", o.poolID())
	return nil
}

// setStatus is (Admin)UpdateDeviceStatus: the device's remembered status.
func (s *Service) setStatus(ctx context.Context, o *owner, deviceKey string, status *cognitoidp.DeviceRememberedStatusType) error {
	if status == nil {
		var v api.Validator
		v.Required("deviceRememberedStatus")
		return v.Err()
	}
	now := s.clock.Now()
	_, err := s.update(ctx, o, deviceKey, func(d *device) error {
		d.Status = *status
		d.ModifiedAt = now
		return nil
	})
	return err
}

// groupKeyFor is the user's DeviceGroupKey: "-" and 8 letters or digits,
// the same for all the user's devices and on every replica.
func (s *Service) groupKeyFor(poolID, userKey string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	m := hmac.New(sha256.New, s.groupKey)
	m.Write([]byte(poolID))
	m.Write([]byte{0})
	m.Write([]byte(userKey))
	sum := m.Sum(nil)
	out := make([]byte, 1, 9)
	out[0] = '-'
	for _, b := range sum[:8] {
		out = append(out, alphabet[int(b)%len(alphabet)])
	}
	return string(out)
}
