package mfa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// A pool's MFA configuration lives in two places. What UserPoolType has
// members for stays in the pool's document (owned by the pools family):
// MfaConfiguration, SmsAuthenticationMessage and SmsConfiguration, so
// DescribeUserPool and UpdateUserPool keep showing and changing them. The
// rest is a storage.Resource of kind ResourceKind with id ResourceID, whose
// Settings is this JSON object (every member optional):
//
//	{
//	  "sms": true,                     // SMS MFA on (SmsMfaConfiguration given)
//	  "softwareToken": true,           // SoftwareTokenMfaConfiguration.Enabled
//	  "email": {"Message": "...", "Subject": "..."},
//	                                   // EmailMfaConfiguration; present = email MFA on
//	  "webAuthn": {"RelyingPartyId": "example.com", "UserVerification": "preferred",
//	               "FactorConfiguration": "SINGLE_FACTOR"}
//	                                   // WebAuthnConfiguration as last set
//	}
//
// A pool without the resource never had SetUserPoolMfaConfig: its factors
// follow MfaConfiguration alone (SMS when ON or OPTIONAL; see defaults.go).
const (
	ResourceKind = "mfa-config"
	ResourceID   = "pool"
)

// configDoc is the resource's Settings.
type configDoc struct {
	SMS           bool                                  `json:"sms,omitempty"`
	SoftwareToken bool                                  `json:"softwareToken,omitempty"`
	Email         *cognitoidp.EmailMfaConfigType        `json:"email,omitempty"`
	WebAuthn      *cognitoidp.WebAuthnConfigurationType `json:"webAuthn,omitempty"`
}

// PoolConfig is a pool's MFA configuration as GetUserPoolMfaConfig shows it,
// with the pool it was read from.
type PoolConfig struct {
	// Pool is the pool's document (pools.Load).
	Pool *cognitoidp.UserPoolType
	// Mode is MfaConfiguration: OFF, ON or OPTIONAL.
	Mode cognitoidp.UserPoolMfaType
	// SMS, SoftwareToken and Email report the factors that are on.
	SMS, SoftwareToken, Email bool
	// EmailMessage is the email MFA template (Message, Subject); nil when
	// email MFA is off or has no template of its own.
	EmailMessage *cognitoidp.EmailMfaConfigType
	// WebAuthn is the pool's passkey configuration as last set with
	// SetUserPoolMfaConfig (RelyingPartyId, UserVerification,
	// FactorConfiguration); nil when it never was (the passkeys family
	// applies its defaults: the relying party from the pool's domain,
	// UserVerification "preferred", single factor).
	WebAuthn *cognitoidp.WebAuthnConfigurationType
}

// ConfigStore is what LoadConfig reads.
type ConfigStore interface {
	storage.PoolStore
	storage.ResourceStore
}

// LoadConfig reads a pool's MFA and passkey configuration (for this family
// and for the passkeys family, which needs WebAuthn). A missing pool is
// ResourceNotFoundException "User pool {id} does not exist.".
func LoadConfig(ctx context.Context, store ConfigStore, poolID string) (*PoolConfig, error) {
	up, err := pools.Load(ctx, store, poolID)
	if err != nil {
		return nil, err
	}
	return configFor(ctx, store, up)
}

// configFor reads the MFA configuration of a pool already loaded.
func configFor(ctx context.Context, store storage.ResourceStore, up *cognitoidp.UserPoolType) (*PoolConfig, error) {
	doc, found, err := readConfigDoc(ctx, store, api.Deref(up.Id))
	if err != nil {
		return nil, err
	}
	return makeConfig(up, doc, found), nil
}

// makeConfig combines the pool's document and the resource.
func makeConfig(up *cognitoidp.UserPoolType, doc *configDoc, found bool) *PoolConfig {
	pc := &PoolConfig{Pool: up, Mode: api.Deref(up.MfaConfiguration)}
	if pc.Mode == "" {
		pc.Mode = cognitoidp.UserPoolMfaTypeOff
	}
	if !found {
		// Configured by CreateUserPool / UpdateUserPool only: SMS.
		pc.SMS = pc.Mode != cognitoidp.UserPoolMfaTypeOff
		return pc
	}
	pc.SMS, pc.SoftwareToken = doc.SMS, doc.SoftwareToken
	if doc.Email != nil {
		pc.Email = true
		if doc.Email.Message != nil || doc.Email.Subject != nil {
			pc.EmailMessage = doc.Email.Clone()
		}
	}
	if doc.WebAuthn != nil {
		pc.WebAuthn = doc.WebAuthn.Clone()
	}
	if pc.Mode != cognitoidp.UserPoolMfaTypeOff && !pc.SMS && !pc.SoftwareToken && !pc.Email {
		// Turned ON or OPTIONAL by UpdateUserPool after SetUserPoolMfaConfig
		// turned it off: SMS, as for a pool never given the latter.
		pc.SMS = true
	}
	return pc
}

// readConfigDoc reads the resource; found is false when the pool has none.
func readConfigDoc(ctx context.Context, store storage.ResourceStore, poolID string) (*configDoc, bool, error) {
	r, err := store.GetResource(ctx, poolID, ResourceKind, ResourceID)
	if errors.Is(err, storage.ErrNotFound) {
		return &configDoc{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("mfa: reading the MFA configuration of pool %s: %w", poolID, err)
	}
	doc := &configDoc{}
	if len(r.Settings) > 0 {
		if err := json.Unmarshal(r.Settings, doc); err != nil {
			return nil, false, fmt.Errorf("mfa: decoding the MFA configuration of pool %s: %w", poolID, err)
		}
	}
	return doc, true, nil
}

// writeConfigDoc creates or replaces the resource.
func writeConfigDoc(ctx context.Context, store storage.ResourceStore, poolID string, doc *configDoc, now time.Time) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("mfa: encoding the MFA configuration: %w", err)
	}
	for range 3 { // created or deleted meanwhile by another request
		_, err = store.UpdateResource(ctx, poolID, ResourceKind, ResourceID, func(r *storage.Resource) error {
			r.Settings, r.UpdatedAt = b, now
			return nil
		})
		if !errors.Is(err, storage.ErrNotFound) {
			break
		}
		err = store.CreateResource(ctx, &storage.Resource{
			PoolID: poolID, Kind: ResourceKind, ID: ResourceID, Settings: b, CreatedAt: now, UpdatedAt: now,
		})
		if !errors.Is(err, storage.ErrAlreadyExists) {
			break
		}
	}
	if errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewResourceNotFoundException(fmt.Sprintf("User pool %s does not exist.", poolID))
	}
	if err != nil {
		return fmt.Errorf("mfa: storing the MFA configuration of pool %s: %w", poolID, err)
	}
	return nil
}

// view is the configuration as GetUserPoolMfaConfig answers it.
func (pc *PoolConfig) view() *cognitoidp.GetUserPoolMfaConfigResponse {
	out := &cognitoidp.GetUserPoolMfaConfigResponse{MfaConfiguration: api.Ptr(pc.Mode)}
	if pc.SMS {
		out.SmsMfaConfiguration = &cognitoidp.SmsMfaConfigType{
			SmsAuthenticationMessage: cloneStr(pc.Pool.SmsAuthenticationMessage),
			SmsConfiguration:         pc.Pool.SmsConfiguration.Clone(),
		}
	}
	if pc.SoftwareToken {
		out.SoftwareTokenMfaConfiguration = &cognitoidp.SoftwareTokenMfaConfigType{Enabled: true}
	}
	if pc.Email {
		out.EmailMfaConfiguration = &cognitoidp.EmailMfaConfigType{}
		if pc.EmailMessage != nil {
			out.EmailMfaConfiguration = pc.EmailMessage.Clone()
		}
	}
	if pc.WebAuthn != nil {
		out.WebAuthnConfiguration = pc.WebAuthn.Clone()
	}
	return out
}

// tier is the pool's feature plan (Essentials when never set).
func tier(up *cognitoidp.UserPoolType) cognitoidp.UserPoolTierType {
	if t := api.Deref(up.UserPoolTier); t != "" {
		return t
	}
	return pools.DefaultUserPoolTier
}

func cloneStr(p *string) *string {
	if p == nil {
		return nil
	}
	return api.Ptr(*p)
}
