package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// IssueFor signs user u in on app client clientID of pool poolID without a
// password (the OAuth and hosted-UI families, after their own
// authentication): a new token family with ID, access and refresh tokens
// carrying the user's current readable attributes and groups. deviceKey is
// the access token's device_key ("" for none). The client must belong to the
// pool (ResourceNotFoundException otherwise).
func (s *Service) IssueFor(ctx context.Context, poolID, clientID string, u *storage.User, deviceKey string) (*cognitoidp.AuthenticationResultType, error) {
	if u == nil || u.PoolID != poolID {
		return nil, errors.New("auth: IssueFor needs a user of the pool")
	}
	c, err := s.adminCall(ctx, poolID, clientID, nil)
	if err != nil {
		return nil, err
	}
	return s.issue(ctx, c, u, deviceKey, "")
}

// validity is the client's token lifetimes.
func (c *call) validity() token.Validity {
	return token.Validity{
		ID:      c.client.IDTokenValidity(),
		Access:  c.client.AccessTokenValidity(),
		Refresh: c.client.RefreshTokenValidity(),
	}
}

// subject describes u's tokens for app client c: the attributes the client
// may read, typed by the schema, and the user's group claims.
func (s *Service) subject(ctx context.Context, c *call, u *storage.User, deviceKey string) (token.Subject, error) {
	read := readSet(c)
	values := make(map[string]string, len(u.Attributes))
	types := make(map[string]string, len(u.Attributes))
	for name, v := range u.Attributes {
		if name == attrs.Sub || !c.schema.Readable(name, read) {
			continue
		}
		values[name] = v
		if d, ok := c.schema.Def(name); ok {
			types[name] = d.Type
		}
	}
	sub := token.Subject{
		PoolID:     c.poolID(),
		ClientID:   c.client.ID,
		Username:   u.Username,
		Sub:        u.Sub,
		UserKey:    u.Key,
		Attributes: values,
		Types:      types,
		DeviceKey:  deviceKey,
	}
	if s.groups != nil {
		g, r, p, err := s.groups.ClaimsFor(ctx, c.poolID(), u.Key)
		if err != nil {
			return sub, fmt.Errorf("auth: group claims of a user of pool %s: %w", c.poolID(), err)
		}
		sub.Groups, sub.Roles, sub.PreferredRole = g, r, p
	}
	return sub, nil
}

// issue mints a new token family for u (a completed sign-in).
func (s *Service) issue(ctx context.Context, c *call, u *storage.User, deviceKey, eventID string) (*cognitoidp.AuthenticationResultType, error) {
	sub, err := s.subject(ctx, c, u, deviceKey)
	if err != nil {
		return nil, err
	}
	sub.AuthTime = s.clock.Now()
	sub.EventID = eventID
	out, err := s.tokens.Issue(ctx, sub, c.validity(), true)
	if err != nil {
		return nil, err
	}
	return authResult(out), nil
}

// reissue mints ID and access tokens of an existing family (refresh).
func (s *Service) reissue(ctx context.Context, c *call, u *storage.User, rec *storage.RefreshToken) (*cognitoidp.AuthenticationResultType, error) {
	sub, err := s.subject(ctx, c, u, rec.DeviceKey)
	if err != nil {
		return nil, err
	}
	sub.OriginJTI = rec.OriginJTI
	sub.AuthTime = rec.AuthTime
	sub.Scopes = rec.Scopes
	sub.ClientMetadata = c.triggerMetadata()
	scopeClaims(&sub) // an OAuth family keeps its scopes' claims
	out, err := s.tokens.Reissue(ctx, sub, c.validity())
	if err != nil {
		return nil, err
	}
	return authResult(out), nil
}

// authResult is AuthenticationResult for minted tokens.
func authResult(t *token.Issued) *cognitoidp.AuthenticationResultType {
	r := &cognitoidp.AuthenticationResultType{
		AccessToken: api.Ptr(t.AccessToken),
		ExpiresIn:   t.ExpiresIn,
		TokenType:   api.Ptr("Bearer"),
		IdToken:     api.Ptr(t.IDToken),
	}
	if t.RefreshToken != "" {
		r.RefreshToken = api.Ptr(t.RefreshToken)
	}
	return r
}
