package idps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// AdminDisableProviderForUser stops an identity signing in. For a local user
// (ProviderName "Cognito", Cognito_Subject, the username) the user is
// disabled. For an external identity, its link to a local user is removed
// (with the entry of the user's identities attribute) and the federated
// user of that identity, if one exists, is disabled.
func (s *Service) AdminDisableProviderForUser(ctx context.Context, in *cognitoidp.AdminDisableProviderForUserRequest) (*cognitoidp.AdminDisableProviderForUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	schema := attrs.FromPool(up)
	who := in.User
	for _, m := range []struct {
		v    *string
		name string
	}{
		{who.ProviderName, "User.ProviderName"}, {who.ProviderAttributeName, "User.ProviderAttributeName"},
		{who.ProviderAttributeValue, "User.ProviderAttributeValue"},
	} {
		if api.Deref(m.v) == "" {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingMember, m.name))
		}
	}
	provider, attr, value := *who.ProviderName, *who.ProviderAttributeName, *who.ProviderAttributeValue
	done := &cognitoidp.AdminDisableProviderForUserResponse{}
	if isCognito(provider) {
		if attr != CognitoSubject {
			return nil, cognitoidp.NewInvalidParameterException(msgDisableCognito)
		}
		u, err := schema.Lookup(ctx, s.store, value)
		if errors.Is(err, storage.ErrNotFound) {
			return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("idps: finding a user of %s: %w", poolID, err)
		}
		return done, s.disable(ctx, poolID, u)
	}
	idp, err := s.provider(ctx, poolID, provider)
	if err != nil {
		return nil, err
	}
	if err := checkSourceAttribute(idp, attr); err != nil {
		return nil, err
	}
	found := false
	l, err := FindLinkByAttribute(ctx, s.store, poolID, provider, attr, value)
	switch {
	case err == nil:
		if err := s.unlink(ctx, l); err != nil {
			return nil, err
		}
		found = true
	case !errors.Is(err, storage.ErrNotFound):
		return nil, fmt.Errorf("idps: finding a link in %s: %w", poolID, err)
	}
	if attr == CognitoSubject {
		fed, err := s.store.GetUser(ctx, poolID, schema.Key(provider+"_"+value))
		switch {
		case err == nil:
			if err := s.disable(ctx, poolID, fed); err != nil {
				return nil, err
			}
			found = true
		case !errors.Is(err, storage.ErrNotFound):
			return nil, fmt.Errorf("idps: reading a federated user of %s: %w", poolID, err)
		}
	}
	if !found {
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	return done, nil
}

// unlink removes a link and its entry in the destination user's identities.
func (s *Service) unlink(ctx context.Context, l *Link) error {
	if err := s.store.DeleteResource(ctx, l.PoolID, kindLink, linkID(l.ProviderName, l.AttributeName, l.AttributeValue)); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("idps: removing a link in %s: %w", l.PoolID, err)
	}
	now := s.clock.Now()
	_, err := s.store.UpdateUser(ctx, l.PoolID, l.UserKey, func(u *storage.User) error {
		v, ok := RemoveIdentity(u.Attributes[attrs.Identities], l.ProviderName, l.AttributeValue)
		if !ok {
			return storage.ErrSkip
		}
		if v == "" {
			delete(u.Attributes, attrs.Identities)
		} else {
			u.Attributes[attrs.Identities] = v
		}
		u.UpdatedAt = now
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("idps: removing a linked identity in %s: %w", l.PoolID, err)
	}
	s.log.InfoContext(ctx, "provider link removed", "pool", l.PoolID, "provider", l.ProviderName)
	return nil
}

// disable disables a user through the configured hook (which also revokes
// their tokens), or by clearing Enabled.
func (s *Service) disable(ctx context.Context, poolID string, u *storage.User) error {
	if s.disableUser != nil {
		return s.disableUser(ctx, poolID, u.Username)
	}
	now := s.clock.Now()
	_, err := s.store.UpdateUser(ctx, poolID, u.Key, func(cur *storage.User) error {
		if !cur.Enabled {
			return storage.ErrSkip
		}
		cur.Enabled, cur.UpdatedAt = false, now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return fmt.Errorf("idps: disabling a user of %s: %w", poolID, err)
	}
	return nil
}
