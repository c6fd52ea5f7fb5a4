package mfa

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Devices is what sign-in needs of the remembered-devices family
// (*devices.Service implements it). The MFA family's NextStep drives the
// device challenges (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) and the
// NewDeviceMetadata of a sign-in through it; the devices family owns the
// records and the device SRP maths.
type Devices interface {
	// Lookup returns the user's device with key deviceKey, or nil (and no
	// error) when the user has no such device (never had it, or forgot it).
	Lookup(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string) (*DeviceInfo, error)
	// StartSRP answers a DEVICE_SRP_AUTH challenge (responses hold USERNAME,
	// DEVICE_KEY and SRP_A): it returns the ChallengeParameters of the
	// DEVICE_PASSWORD_VERIFIER challenge (SRP_B, SALT, SECRET_BLOCK,
	// DEVICE_KEY) and the state VerifySRP needs, small enough to travel in
	// the sign-in Session (a few hundred bytes at most). Errors are
	// Cognito's exceptions.
	StartSRP(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string, responses map[string]string) (params map[string]string, state []byte, err error)
	// VerifySRP checks the answer to DEVICE_PASSWORD_VERIFIER
	// (PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP,
	// DEVICE_KEY) against state; a wrong answer is NotAuthorizedException.
	VerifySRP(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string, state []byte, responses map[string]string) error
	// NewDevice records a new, unconfirmed device of u for a sign-in through
	// clientID that ends without a device, and returns its
	// NewDeviceMetadata (DeviceKey "{region}_{uuid}", DeviceGroupKey).
	NewDevice(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, u *storage.User) (*cognitoidp.NewDeviceMetadataType, error)
	// Authenticated records that the device took part in a successful
	// sign-in (last authenticated date, last IP used from the request
	// context).
	Authenticated(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string) error
}

// DeviceInfo is what sign-in needs to know of a device.
type DeviceInfo struct {
	Key string
	// Confirmed: the client called ConfirmDevice with the device's SRP
	// verifier, so the device can answer DEVICE_SRP_AUTH.
	Confirmed bool
	// Remembered: dev:device_remembered_status is "remembered".
	Remembered bool
}
