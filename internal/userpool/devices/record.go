package devices

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/mfa"
)

// device is a stored device: the Resource's keys and this package's
// document (Settings).
type device struct {
	Key   string `json:"-"` // the Resource's ID and LookupKey
	Owner string `json:"-"` // the user's key

	// GroupKey is the DeviceGroupKey the device's verifier is computed for.
	GroupKey string `json:"groupKey"`
	// Salt and Verifier are what the client registered with ConfirmDevice:
	// the salt bytes as sent and the bytes of PadHex(v).
	Salt     []byte `json:"salt"`
	Verifier []byte `json:"verifier"`
	// Name is DeviceName ("" when the client sent none).
	Name   string                                `json:"name,omitempty"`
	Status cognitoidp.DeviceRememberedStatusType `json:"status"`
	// ClientID is the app client whose sign-in created the device.
	ClientID string `json:"clientId,omitempty"`
	SDK      string `json:"sdk,omitempty"`
	LastIP   string `json:"lastIp,omitempty"`

	CreatedAt       time.Time `json:"createdAt"`
	ModifiedAt      time.Time `json:"modifiedAt"`
	AuthenticatedAt time.Time `json:"authenticatedAt"`
}

// remembered reports dev:device_remembered_status "remembered".
func (d *device) remembered() bool {
	return d.Status == cognitoidp.DeviceRememberedStatusTypeRemembered
}

// verifier returns the registered SRP verifier.
func (d *device) verifier() (*big.Int, error) {
	v, err := srp.ParseVerifier(d.Verifier)
	if err != nil {
		return nil, fmt.Errorf("devices: stored verifier of a device: %w", err)
	}
	return v, nil
}

// decode reads a stored device.
func decode(r *storage.Resource) (*device, error) {
	d := &device{}
	if err := json.Unmarshal(r.Settings, d); err != nil {
		return nil, fmt.Errorf("devices: decoding device %s of pool %s: %w", r.ID, r.PoolID, err)
	}
	d.Key, d.Owner = r.ID, r.Owner
	return d, nil
}

// resource returns d as a new Resource of pool poolID.
func (d *device) resource(poolID string) (*storage.Resource, error) {
	r := &storage.Resource{PoolID: poolID, Kind: Kind, ID: d.Key, Owner: d.Owner, LookupKey: d.Key}
	if err := d.encodeInto(r); err != nil {
		return nil, err
	}
	r.CreatedAt = d.CreatedAt
	return r, nil
}

// encodeInto writes d's document (and modification date) into r.
func (d *device) encodeInto(r *storage.Resource) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("devices: encoding a device: %w", err)
	}
	r.Settings = b
	r.UpdatedAt = d.ModifiedAt
	return nil
}

// info is what sign-in needs to know of d.
func (d *device) info() *mfa.DeviceInfo {
	return &mfa.DeviceInfo{Key: d.Key, Confirmed: true, Remembered: d.remembered()}
}

// ownerName is dev:device_owner: "{username}.{poolId}".
func ownerName(u *storage.User) string {
	return u.Username + "." + u.PoolID
}

// deviceARN is dev:device_arn, in the pool's partition, region and account:
// "arn:aws:cognito-idp:{region}:{account}:owner/{owner}/device/{deviceKey}".
func deviceARN(pool *cognitoidp.UserPoolType, u *storage.User, deviceKey string) string {
	prefix := "arn:aws:cognito-idp:::"
	// The pool ARN is "arn:{partition}:cognito-idp:{region}:{account}:userpool/{id}".
	if arn := api.Deref(pool.Arn); arn != "" {
		if i := strings.LastIndex(arn, ":userpool/"); i >= 0 {
			prefix = arn[:i+1]
		}
	}
	return prefix + "owner/" + ownerName(u) + "/device/" + deviceKey
}

// render is d as the API shows it to (or about) user u of pool.
func (d *device) render(pool *cognitoidp.UserPoolType, u *storage.User) cognitoidp.DeviceType {
	attrs := make([]cognitoidp.AttributeType, 0, 7)
	add := func(name, value string) {
		attrs = append(attrs, cognitoidp.AttributeType{Name: api.Ptr(name), Value: api.Ptr(value)})
	}
	add(attrStatus, statusValid)
	if d.Name != "" {
		add(attrName, d.Name)
	}
	add(attrARN, deviceARN(pool, u, d.Key))
	add(attrOwner, ownerName(u))
	if d.LastIP != "" {
		add(attrLastIP, d.LastIP)
	}
	add(attrRememberedStatus, string(d.Status))
	sdk := d.SDK
	if sdk == "" {
		sdk = deviceSDK
	}
	add(attrSDK, sdk)
	return cognitoidp.DeviceType{
		DeviceKey:                   api.Ptr(d.Key),
		DeviceAttributes:            attrs,
		DeviceCreateDate:            api.NewTime(d.CreatedAt),
		DeviceLastModifiedDate:      api.NewTime(d.ModifiedAt),
		DeviceLastAuthenticatedDate: api.NewTime(d.AuthenticatedAt),
	}
}
