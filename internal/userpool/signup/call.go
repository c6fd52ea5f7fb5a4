package signup

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// call is what every operation starts from: the app client named by
// ClientId, its pool and the pool's attribute schema.
type call struct {
	client *clients.Client
	pool   *cognitoidp.UserPoolType
	schema *attrs.Schema
}

func (c *call) poolID() string { return c.client.PoolID }

// preventExistenceErrors reports whether the client hides whether users exist.
func (c *call) preventExistenceErrors() bool {
	return c.client.PreventUserExistenceErrors() == cognitoidp.PreventUserExistenceErrorTypesEnabled
}

// begin loads the client and its pool and checks the secret hash computed
// over username (as the request spelled it).
func (s *Service) begin(ctx context.Context, clientID *string, username string, secretHash *string) (*call, error) {
	client, err := s.clients.Lookup(ctx, deref(clientID))
	if err != nil {
		return nil, err
	}
	pool, err := pools.Load(ctx, s.store, client.PoolID)
	if err != nil {
		return nil, err
	}
	if err := CheckSecretHash(client, username, secretHash); err != nil {
		return nil, err
	}
	return &call{client: client, pool: pool, schema: attrs.FromPool(pool)}, nil
}

// findUser resolves the name a user gave (username or alias);
// storage.ErrNotFound when there is none.
func (s *Service) findUser(ctx context.Context, c *call, name string) (*storage.User, error) {
	u, err := c.schema.Lookup(ctx, s.store, name)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("signup: looking up user in pool %s: %w", c.poolID(), err)
	}
	return u, err
}

// updateUser applies fn to the stored user and maps the store's errors:
// a user deleted meanwhile is notFound, alias clashes are Cognito's
// exceptions, a lost race is ConcurrentModificationException.
func (s *Service) updateUser(ctx context.Context, c *call, key string, notFound error, fn func(*storage.User) error) (*storage.User, error) {
	u, err := s.store.UpdateUser(ctx, c.poolID(), key, fn)
	if err != nil {
		return nil, s.updateErr(c, key, notFound, err)
	}
	return u, nil
}

// updateErr maps an error of UpdateUser (see updateUser).
func (s *Service) updateErr(c *call, key string, notFound, err error) error {
	var ue *storage.UniqueError
	var ce *storage.ConflictError
	switch {
	case errors.As(err, &ue):
		return c.schema.AliasClash(err)
	case errors.As(err, &ce):
		return cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
	case errors.Is(err, storage.ErrNotFound):
		return notFound
	}
	if _, ok := awserr.As(err); ok {
		return err
	}
	return fmt.Errorf("signup: updating user %q of pool %s: %w", key, c.poolID(), err)
}

// eventAttributes is a user's attributes as triggers see them: every
// attribute plus sub and cognito:user_status.
func eventAttributes(u *storage.User) map[string]string {
	m := maps.Clone(u.Attributes)
	if m == nil {
		m = map[string]string{}
	}
	m[attrs.Sub] = u.Sub
	m["cognito:user_status"] = u.Status
	return m
}

func deref(p *string) string { return api.Deref(p) }

// User statuses the operations meet.
const (
	statusUnconfirmed         = string(cognitoidp.UserStatusTypeUnconfirmed)
	statusConfirmed           = string(cognitoidp.UserStatusTypeConfirmed)
	statusForceChangePassword = string(cognitoidp.UserStatusTypeForceChangePassword)
	statusExternalProvider    = string(cognitoidp.UserStatusTypeExternalProvider)
)
