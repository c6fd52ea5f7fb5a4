package clients

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Client is an app client with its decoded configuration and plaintext
// secrets, for the features that act on behalf of a client (sign-in, OAuth).
// Its String and LogValue never show secrets.
type Client struct {
	PoolID    string
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Settings is the configuration as DescribeUserPoolClient shows it, without
	// ClientSecret.
	Settings cognitoidp.UserPoolClientType
	// Secrets are the client's secrets, oldest first (at most MaxClientSecrets).
	Secrets []Secret
}

// Lookup loads a client by id alone (client ids are unique across pools).
// An unknown id is ResourceNotFoundException "User pool client {id} does not exist.".
func (s *Service) Lookup(ctx context.Context, clientID string) (*Client, error) {
	rec, err := s.store.GetClientByID(ctx, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, clientNotFound(clientID)
	}
	if err != nil {
		return nil, fmt.Errorf("clients: get client %s: %w", clientID, err)
	}
	return s.toClient(rec)
}

// LookupInPool loads a client that must belong to poolID (admin operations
// name both); a missing pool or client is ResourceNotFoundException.
func (s *Service) LookupInPool(ctx context.Context, poolID, clientID string) (*Client, error) {
	rec, err := s.getClient(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	return s.toClient(rec)
}

func (s *Service) toClient(rec *storage.Client) (*Client, error) {
	settings, err := decodeSettings(rec)
	if err != nil {
		return nil, err
	}
	secrets, err := s.openSecrets(rec)
	if err != nil {
		return nil, err
	}
	return &Client{
		PoolID:    rec.PoolID,
		ID:        rec.ID,
		Name:      rec.Name,
		CreatedAt: rec.CreatedAt,
		UpdatedAt: rec.UpdatedAt,
		Settings:  settings,
		Secrets:   secrets,
	}, nil
}

// decodeSettings reads a stored client's settings and fills in the record's
// own columns, giving Describe's form without the secret.
func decodeSettings(rec *storage.Client) (cognitoidp.UserPoolClientType, error) {
	var t cognitoidp.UserPoolClientType
	if len(rec.Settings) > 0 {
		if err := json.Unmarshal(rec.Settings, &t); err != nil {
			return t, fmt.Errorf("clients: decode settings of client %s: %w", rec.ID, err)
		}
	}
	t.UserPoolId = api.Ptr(rec.PoolID)
	t.ClientId = api.Ptr(rec.ID)
	t.ClientName = api.Ptr(rec.Name)
	t.CreationDate = api.NewTime(rec.CreatedAt)
	t.LastModifiedDate = api.NewTime(rec.UpdatedAt)
	t.ClientSecret = nil
	return t, nil
}

// encodeSettings is the stored form of t: without the columns the record
// keeps itself and without the secret.
func encodeSettings(t cognitoidp.UserPoolClientType) ([]byte, error) {
	t.UserPoolId, t.ClientId, t.ClientName, t.ClientSecret = nil, nil, nil, nil
	t.CreationDate, t.LastModifiedDate = nil, nil
	return json.Marshal(t)
}

// HasSecret reports whether the client is confidential (has a secret).
func (c *Client) HasSecret() bool { return len(c.Secrets) > 0 }

// SecretMatches reports, in constant time per secret, whether s is one of the
// client's secrets. A client without secrets matches nothing.
func (c *Client) SecretMatches(s string) bool {
	match := 0
	for _, sec := range c.Secrets {
		match |= subtle.ConstantTimeCompare([]byte(sec.Value), []byte(s))
	}
	return match == 1
}

// AccessTokenValidity is the lifetime of the access tokens the client gets.
func (c *Client) AccessTokenValidity() time.Duration {
	return validity(c.Settings.AccessTokenValidity, unitOf(c.Settings.TokenValidityUnits, func(u *cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType { return u.AccessToken }, defaultAccessTokenUnit), DefaultAccessTokenValidity)
}

// IDTokenValidity is the lifetime of the ID tokens the client gets.
func (c *Client) IDTokenValidity() time.Duration {
	return validity(c.Settings.IdTokenValidity, unitOf(c.Settings.TokenValidityUnits, func(u *cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType { return u.IdToken }, defaultIDTokenUnit), DefaultIDTokenValidity)
}

// RefreshTokenValidity is the lifetime of the refresh tokens the client gets.
func (c *Client) RefreshTokenValidity() time.Duration {
	v := c.Settings.RefreshTokenValidity
	if v == 0 {
		return DefaultRefreshTokenValidityDays * 24 * time.Hour
	}
	return validity(&v, unitOf(c.Settings.TokenValidityUnits, func(u *cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType { return u.RefreshToken }, defaultRefreshTokenUnit), 0)
}

// AuthSessionValidity is how long an authentication session (challenge) lasts.
func (c *Client) AuthSessionValidity() time.Duration {
	if c.Settings.AuthSessionValidity == nil {
		return DefaultAuthSessionValidity * time.Minute
	}
	return time.Duration(*c.Settings.AuthSessionValidity) * time.Minute
}

// TokenRevocationEnabled reports whether refresh tokens can be revoked.
func (c *Client) TokenRevocationEnabled() bool {
	if c.Settings.EnableTokenRevocation == nil {
		return DefaultEnableTokenRevocation
	}
	return *c.Settings.EnableTokenRevocation
}

// PreventUserExistenceErrors is the client's setting, LEGACY when never set.
func (c *Client) PreventUserExistenceErrors() cognitoidp.PreventUserExistenceErrorTypes {
	if c.Settings.PreventUserExistenceErrors == nil {
		return DefaultPreventUserExistenceErrors
	}
	return *c.Settings.PreventUserExistenceErrors
}

// RefreshTokenRotationEnabled reports whether refresh tokens rotate, and the
// grace period in which a rotated-out token still works.
func (c *Client) RefreshTokenRotationEnabled() (bool, time.Duration) {
	r := c.Settings.RefreshTokenRotation
	if r == nil || api.Deref(r.Feature) != cognitoidp.FeatureTypeEnabled {
		return false, 0
	}
	return true, time.Duration(api.Deref(r.RetryGracePeriodSeconds)) * time.Second
}

// AuthFlowAllowed reports whether the client's ExplicitAuthFlows permit an
// InitiateAuth / AdminInitiateAuth AuthFlow. Legacy settings (values without
// the ALLOW_ prefix) keep their old meaning: SRP and refresh are always
// allowed, plus the flows named, and CUSTOM_AUTH_FLOW_ONLY allows custom auth
// alone (unverified: the precise legacy semantics).
func (c *Client) AuthFlowAllowed(flow cognitoidp.AuthFlowType) bool {
	flows := c.Settings.ExplicitAuthFlows
	has := func(f cognitoidp.ExplicitAuthFlowsType) bool { return slices.Contains(flows, f) }
	if usesLegacyFlows(flows) {
		if has(cognitoidp.ExplicitAuthFlowsTypeCustomAuthFlowOnly) {
			return flow == cognitoidp.AuthFlowTypeCustomAuth
		}
		switch flow {
		case cognitoidp.AuthFlowTypeUserSrpAuth, cognitoidp.AuthFlowTypeRefreshTokenAuth, cognitoidp.AuthFlowTypeRefreshToken, cognitoidp.AuthFlowTypeCustomAuth:
			return true
		case cognitoidp.AuthFlowTypeUserPasswordAuth:
			return has(cognitoidp.ExplicitAuthFlowsTypeUserPasswordAuth)
		case cognitoidp.AuthFlowTypeAdminNoSrpAuth, cognitoidp.AuthFlowTypeAdminUserPasswordAuth:
			return has(cognitoidp.ExplicitAuthFlowsTypeAdminNoSrpAuth)
		}
		return false
	}
	switch flow {
	case cognitoidp.AuthFlowTypeUserSrpAuth:
		return has(cognitoidp.ExplicitAuthFlowsTypeAllowUserSrpAuth)
	case cognitoidp.AuthFlowTypeRefreshTokenAuth, cognitoidp.AuthFlowTypeRefreshToken:
		return has(cognitoidp.ExplicitAuthFlowsTypeAllowRefreshTokenAuth)
	case cognitoidp.AuthFlowTypeCustomAuth:
		return has(cognitoidp.ExplicitAuthFlowsTypeAllowCustomAuth)
	case cognitoidp.AuthFlowTypeUserPasswordAuth:
		return has(cognitoidp.ExplicitAuthFlowsTypeAllowUserPasswordAuth)
	case cognitoidp.AuthFlowTypeAdminNoSrpAuth, cognitoidp.AuthFlowTypeAdminUserPasswordAuth:
		return has(cognitoidp.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth)
	case cognitoidp.AuthFlowTypeUserAuth:
		return has(cognitoidp.ExplicitAuthFlowsTypeAllowUserAuth)
	}
	return false
}

// String describes the client without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("clients.Client{PoolID:%s ID:%s Name:%q Secrets:%d}", c.PoolID, c.ID, c.Name, len(c.Secrets))
}

// LogValue describes the client without its secrets.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("pool", c.PoolID),
		slog.String("id", c.ID),
		slog.String("name", c.Name),
		slog.Int("secrets", len(c.Secrets)),
	)
}

// unitOf picks one token's unit out of TokenValidityUnits, or def.
func unitOf(u *cognitoidp.TokenValidityUnitsType, pick func(*cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType, def cognitoidp.TimeUnitsType) cognitoidp.TimeUnitsType {
	if u == nil {
		return def
	}
	if p := pick(u); p != nil {
		return *p
	}
	return def
}

// unitDuration is one of a TimeUnitsType.
func unitDuration(u cognitoidp.TimeUnitsType) time.Duration {
	switch u {
	case cognitoidp.TimeUnitsTypeSeconds:
		return time.Second
	case cognitoidp.TimeUnitsTypeMinutes:
		return time.Minute
	case cognitoidp.TimeUnitsTypeHours:
		return time.Hour
	case cognitoidp.TimeUnitsTypeDays:
		return 24 * time.Hour
	}
	return 0
}

// validity is v units, or def when v is nil.
func validity(v *int32, unit cognitoidp.TimeUnitsType, def time.Duration) time.Duration {
	if v == nil {
		return def
	}
	return time.Duration(*v) * unitDuration(unit)
}
