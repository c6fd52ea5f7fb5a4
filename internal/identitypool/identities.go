package identitypool

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/identitypool/logins"
	"github.com/cogito-dev/cogito/internal/identitypool/openid"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
)

// loginsPool is what the login checks need of a pool.
func loginsPool(p *Pool) *logins.Pool {
	set := p.Settings
	lp := &logins.Pool{
		ID: p.Record.ID, SupportedLoginProviders: set.SupportedLoginProviders,
		OIDCProviderARNs: set.OpenIDConnectProviderARNs, SAMLProviderARNs: set.SAMLProviderARNs,
		DeveloperProviderName: set.DeveloperProviderName,
	}
	for _, c := range set.CognitoProviders {
		lp.CognitoProviders = append(lp.CognitoProviders, logins.CognitoProvider{
			ProviderName: c.ProviderName, ClientID: c.ClientID, ServerSideTokenCheck: c.ServerSideTokenCheck,
		})
	}
	return lp
}

// checked is the verified Logins of a call.
type checked struct {
	// links are the logins that link to identities (every kind but the
	// identity token), sorted by provider.
	links []*logins.Login
	// identity is a "cognito-identity.amazonaws.com" login, if given.
	identity *logins.Login
}

// checkLogins verifies every login of a call (in provider order, so the
// refusal of a call with several bad logins is stable). A developer
// provider's login is accepted only when developer is true, as a user
// identifier.
func (s *Service) checkLogins(ctx context.Context, p *Pool, in map[string]string, developer bool) (*checked, error) {
	out := &checked{}
	lp := loginsPool(p)
	dev := p.Settings.DeveloperProviderName
	for _, provider := range slices.Sorted(maps.Keys(in)) {
		if developer && dev != "" && provider == dev {
			out.links = append(out.links, developerLogin(p.Record.ID, dev, in[provider]))
			continue
		}
		l, err := s.logins.Check(ctx, lp, provider, in[provider])
		if err != nil {
			return nil, err
		}
		if l.Kind == logins.KindCognitoIdentity {
			out.identity = l
			continue
		}
		out.links = append(out.links, l)
	}
	return out, nil
}

// developerLogin is a developer provider's login of a user identifier.
func developerLogin(poolID, provider, userID string) *logins.Login {
	return &logins.Login{
		Kind: logins.KindDeveloper, Provider: provider, Subject: userID, RoleMappingKey: provider,
		Claims: map[string]any{"sub": userID},
		AMR:    []string{provider, provider + ":" + poolID + ":" + userID},
	}
}

func storageLogin(l *logins.Login) storage.IdentityLogin {
	return storage.IdentityLogin{Provider: l.Provider, Subject: l.Subject}
}

// getIdentity reads an identity, answering ResourceNotFoundException
// "Identity '{id}' not found." when there is none.
func (s *Service) getIdentity(ctx context.Context, id string) (*storage.Identity, error) {
	i, err := s.identities.GetIdentity(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, identityNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("identitypool: get identity %s: %w", id, err)
	}
	return i, nil
}

func identityNotFound(id string) error {
	return cognitoidentity.NewResourceNotFoundException(fmt.Sprintf(msgIdentityNotFound, id))
}

// hasLogin reports whether i has a login of l's provider and subject.
func hasLogin(i *storage.Identity, l *logins.Login) bool {
	return slices.Contains(i.Logins, storageLogin(l))
}

// linkRequest is one linking decision's input.
type linkRequest struct {
	pool *Pool
	// identityID names the identity the call is about ("" for GetId).
	identityID string
	links      []*logins.Login
	// trusted calls (SigV4, or with the identity's own token) may link
	// logins to an authenticated identity without one of its logins.
	trusted bool
	// developer: a developer user identifier already linked to another
	// identity is DeveloperUserAlreadyRegisteredException, not a merge.
	developer bool
}

// link resolves the identity of a call and links its logins: an unknown
// login set makes a new identity, known ones pick theirs, a guest is
// upgraded, and identities the logins spread over merge into one (see
// defaults.go). It retries when a concurrent call changed the identities
// involved.
func (s *Service) link(ctx context.Context, r *linkRequest) (*storage.Identity, error) {
	poolID := r.pool.Record.ID
	for range linkAttempts {
		var given *storage.Identity
		if r.identityID != "" {
			var err error
			if given, err = s.getIdentity(ctx, r.identityID); err != nil {
				return nil, err
			}
			if given.Disabled {
				return nil, cognitoidentity.NewNotAuthorizedException(fmt.Sprintf(msgIdentityForbidden, given.ID))
			}
		}
		linked := map[string]*storage.Identity{}
		var unlinked []storage.IdentityLogin
		matchesGiven := false
		for _, l := range r.links {
			i, err := s.identities.FindIdentityByLogin(ctx, poolID, storageLogin(l))
			switch {
			case errors.Is(err, storage.ErrNotFound):
				unlinked = append(unlinked, storageLogin(l))
				continue
			case err != nil:
				return nil, fmt.Errorf("identitypool: find identity by login: %w", err)
			}
			if given != nil && i.ID == given.ID {
				matchesGiven = true
				continue
			}
			if r.developer && given != nil && l.Kind == logins.KindDeveloper {
				return nil, cognitoidentity.NewDeveloperUserAlreadyRegisteredException(msgDeveloperUserRegistered)
			}
			linked[i.ID] = i
		}
		if given != nil && len(given.Logins) > 0 && !r.trusted && !matchesGiven {
			return nil, cognitoidentity.NewNotAuthorizedException(msgLoginsDontMatch)
		}

		others := slices.SortedFunc(maps.Values(linked), func(a, b *storage.Identity) int {
			return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
		})
		var into *storage.Identity
		var from []*storage.Identity
		switch {
		case given != nil && len(given.Logins) == 0 && len(others) > 0:
			// A guest logging in with a login of another identity joins it.
			into, from = others[0], append(others[1:], given)
		case given != nil:
			into, from = given, others
		case len(others) > 0:
			into, from = others[0], others[1:]
		}

		if into == nil {
			i, err := s.newIdentity(ctx, poolID, unlinked)
			if errors.Is(err, storage.ErrAlreadyExists) {
				continue // a concurrent call linked one of the logins
			}
			return i, err
		}
		if err := checkMerge(into, from, unlinked, r.pool.Settings.DeveloperProviderName); err != nil {
			return nil, err
		}
		if len(from) == 0 && len(unlinked) == 0 {
			return into, nil
		}
		out, err := s.identities.MergeIdentities(ctx, &storage.IdentityMerge{Into: into, From: from, Add: unlinked, Now: s.clock.Now()})
		var ce *storage.ConflictError
		if errors.As(err, &ce) || errors.Is(err, storage.ErrAlreadyExists) || errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("identitypool: link logins: %w", err)
		}
		if len(from) > 0 {
			s.log.DebugContext(ctx, "identities merged", "identityPool", poolID, "into", out.ID, "merged", len(from))
		}
		return out, nil
	}
	return nil, cognitoidentity.NewConcurrentModificationException(msgConcurrentLinking)
}

// newIdentity creates an identity with logins (none: a guest).
func (s *Service) newIdentity(ctx context.Context, poolID string, ls []storage.IdentityLogin) (*storage.Identity, error) {
	region, ok := ids.RegionOfIdentityPoolID(poolID)
	if !ok {
		region = s.region
	}
	now := s.clock.Now()
	for range 3 {
		i := &storage.Identity{PoolID: poolID, ID: ids.IdentityID(region), Logins: ls, CreatedAt: now, UpdatedAt: now}
		err := s.identities.CreateIdentity(ctx, i)
		if err == nil {
			s.log.DebugContext(ctx, "identity created", "identityPool", poolID, "identity", i.ID, "logins", len(ls))
			return i, nil
		}
		if !errors.Is(err, storage.ErrAlreadyExists) {
			return nil, fmt.Errorf("identitypool: create identity: %w", err)
		}
		// The id or a login is taken: a clash of logins is the caller's to retry.
		if len(ls) > 0 {
			return nil, err
		}
	}
	return nil, errors.New("identitypool: could not draw a free identity id")
}

// checkMerge refuses a merge that would leave an identity with two users of
// one provider (developer providers excepted) or too many logins.
func checkMerge(into *storage.Identity, from []*storage.Identity, add []storage.IdentityLogin, developer string) error {
	all := slices.Clone(into.Logins)
	for _, f := range from {
		all = append(all, f.Logins...)
	}
	all = append(all, add...)
	slices.SortFunc(all, func(a, b storage.IdentityLogin) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Subject, b.Subject))
	})
	all = slices.Compact(all)
	if len(all) > MaxLinkedLogins {
		return cognitoidentity.NewResourceConflictException(fmt.Sprintf(msgTooManyLogins, MaxLinkedLogins))
	}
	return checkSingleUser(all, developer)
}

// checkSingleUser refuses logins of one non-developer provider for two users.
func checkSingleUser(all []storage.IdentityLogin, developer string) error {
	for n := 1; n < len(all); n++ {
		if all[n].Provider == all[n-1].Provider && all[n].Provider != developer {
			return cognitoidentity.NewResourceConflictException(fmt.Sprintf(msgLoginConflict, all[n].Provider))
		}
	}
	return nil
}

// describe renders an identity as DescribeIdentity and ListIdentities do.
func describe(i *storage.Identity) cognitoidentity.IdentityDescription {
	d := cognitoidentity.IdentityDescription{
		IdentityId:       ptr(i.ID),
		CreationDate:     api.NewTime(i.CreatedAt),
		LastModifiedDate: api.NewTime(i.UpdatedAt),
	}
	for _, l := range i.Logins {
		if !slices.Contains(d.Logins, l.Provider) {
			d.Logins = append(d.Logins, l.Provider)
		}
	}
	return d
}

// tokenClaims are the claims of an identity's OpenID token.
func (s *Service) tokenClaims(p *Pool, identityID string, amr []string, tags map[string]string, validity time.Duration) *openid.Claims {
	now := s.clock.Now()
	return &openid.Claims{
		Subject: identityID, Audience: p.Record.ID, AMR: amr, PoolARN: s.arn(p.Record.ID),
		PrincipalTags: tags, IssuedAt: now, ExpiresAt: now.Add(validity),
	}
}
