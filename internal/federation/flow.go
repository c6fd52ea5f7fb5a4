package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/idps"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// openRoundTrip opens a state that came back from an IdP, uses it up, and
// opens its login transaction. When any of that fails there is no
// redirect_uri to trust: it writes the error page and reports false.
func (s *Service) openRoundTrip(w http.ResponseWriter, r *http.Request, state string) (*roundTrip, *oauth.Txn, bool) {
	ctx := r.Context()
	rt, err := s.openState(state)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, msgPageExpired)
		return nil, nil, false
	}
	txn, err := s.completer.OpenTxn(rt.Txn)
	if err != nil || txn.PoolID != rt.PoolID {
		s.errorPage(w, r, http.StatusBadRequest, msgPageExpired)
		return nil, nil, false
	}
	first, err := s.useOnce(ctx, rt.PoolID, "state", rt.ID, time.Unix(rt.Expires, 0))
	if err != nil {
		s.log.ErrorContext(ctx, "federation: recording a used state", "pool", rt.PoolID, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, msgPageError)
		return nil, nil, false
	}
	if !first {
		s.errorPage(w, r, http.StatusBadRequest, msgPageExpired)
		return nil, nil, false
	}
	if txn.IdentityProvider == "" {
		txn.IdentityProvider = rt.Provider
	}
	return rt, txn, true
}

// provider loads an identity provider for a sign-in under way.
func (s *Service) provider(ctx context.Context, poolID, name string) (*cognitoidp.IdentityProviderType, error) {
	p, err := idps.Load(ctx, s.store, poolID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fail(errInvalidRequest, fmt.Sprintf(msgProviderGone, name), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("federation: loading provider %q of %s: %w", name, poolID, err)
	}
	return p, nil
}

// finish signs the external identity in (finding, linking or creating the
// user) and hands the sign-in back to the OAuth endpoints.
func (s *Service) finish(w http.ResponseWriter, r *http.Request, txn *oauth.Txn, p *cognitoidp.IdentityProviderType, ext *external) {
	ctx := r.Context()
	up, err := pools.Load(ctx, s.store, txn.PoolID)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	client, err := s.clients.Lookup(ctx, txn.ClientID)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	if client.PoolID != txn.PoolID {
		s.internal(w, r, txn, fmt.Errorf("federation: client %s is not of pool %s", txn.ClientID, txn.PoolID))
		return
	}
	user, err := s.signIn(ctx, up, client, p, ext)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	s.log.InfoContext(ctx, "federated sign-in", "pool", txn.PoolID, "provider", txn.IdentityProvider, "client", txn.ClientID)
	// The OAuth endpoints map the IdP's acr / amr for the tokens (AcrMapping).
	if fc, ok := s.completer.(interface {
		CompleteFederated(http.ResponseWriter, *http.Request, *oauth.Txn, *storage.User, time.Time, *cognitoidp.IdentityProviderType, map[string]any)
	}); ok {
		fc.CompleteFederated(w, r, txn, user, s.clock.Now(), p, ext.claims)
		return
	}
	s.completer.Complete(w, r, txn, user, s.clock.Now())
}
