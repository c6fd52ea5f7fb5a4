package auth

import (
	"bytes"
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Users imported with their password hash (CreateUserImportJob's
// PasswordHashingAlgorithm) have no SRP verifier until they sign in with the
// plaintext password once (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH,
// choice-based PASSWORD, the managed login pages): an SRP sign-in before
// that fails as a wrong password. The first plaintext sign-in that proves
// the password replaces the imported hash by a verifier of the same
// password, so SRP works from then on.

// upgradeImported replaces u's imported hash by an SRP verifier of pw, the
// password the sign-in just proved against it, and returns the credentials
// the sign-in goes on with. The new verifier is computed outside the
// store's transaction (a modular exponentiation); credentials that changed
// meanwhile are left alone. A failed upgrade only costs the upgrade (it is
// tried again at the next sign-in): it is logged, not answered.
func (s *Service) upgradeImported(ctx context.Context, c *call, u *storage.User, creds *password.Credentials, pw string) (*password.Credentials, error) {
	if !creds.Imported() {
		return creds, nil
	}
	base := u.Password
	next, err := password.Decode(base)
	if err != nil {
		return nil, err
	}
	// No history: the imported credentials have none, and the verifier they
	// hold is of a random secret, not a password the user had.
	if err := next.Replace(u.PoolID, u.Username, pw, false, s.clock.Now(), 0, 0); err != nil {
		s.log.WarnContext(ctx, "imported password not upgraded", "pool", c.poolID(), "err", err)
		return creds, nil
	}
	doc, err := next.Encode()
	if err != nil {
		s.log.WarnContext(ctx, "imported password not upgraded", "pool", c.poolID(), "err", err)
		return creds, nil
	}
	updated, err := s.store.UpdateUser(ctx, u.PoolID, u.Key, func(x *storage.User) error {
		if !bytes.Equal(x.Password, base) {
			return storage.ErrSkip // changed meanwhile: that change stands
		}
		x.Password = doc
		return nil
	})
	if err != nil {
		if !errors.Is(err, storage.ErrSkip) {
			s.log.WarnContext(ctx, "imported password not upgraded", "pool", c.poolID(), "err", err)
		}
		return creds, nil
	}
	if bytes.Equal(updated.Password, doc) {
		*u = *updated
		s.log.Debug("imported password upgraded to an SRP verifier", "pool", c.poolID())
		return next, nil
	}
	return creds, nil
}
