package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/domains"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// SiteParam is the path wildcard that selects a pool by path: routes are
// registered both as "/oauth2/authorize" (the pool by the request's Host,
// one of its domains) and "/{site}/oauth2/authorize", where {site} is the
// pool's id or one of its domain names (docs/oauth.md).
const SiteParam = "site"

// Site is the managed login of one pool as one request reaches it.
type Site struct {
	PoolID string
	Pool   *cognitoidp.UserPoolType
	// Domain is the domain the request named (by Host or by path), or the
	// pool's first domain when the path named the pool by its id.
	Domain *domains.Domain
	// BaseURL is where the pool's endpoints are for this request, without a
	// trailing slash: "https://{host}" when selected by Host,
	// "{scheme}://{host}/{site}" when selected by path.
	BaseURL string
	// CookiePath scopes the site's cookies: "/" by Host, "/{site}/" by path.
	CookiePath string
	// Secure reports a request that arrived over HTTPS (cookies get Secure).
	Secure bool
}

// URL is the site's URL for path (which starts with "/").
func (s *Site) URL(path string) string { return s.BaseURL + path }

// ErrNoSite is what Resolve answers when the request names no pool with a
// domain.
var ErrNoSite = errors.New("oauth: the request names no user pool domain")

// Resolve finds the pool a request is for: by the {site} path segment when
// the route has one, else by the Host header. The pool must have a domain
// (as Cognito serves these endpoints only on a pool's domain). ErrNoSite
// when none matches.
func (s *Service) Resolve(r *http.Request) (*Site, error) {
	ctx := r.Context()
	secure := isSecure(r)
	scheme := "http"
	if secure {
		scheme = "https"
	}
	if seg := r.PathValue(SiteParam); seg != "" {
		d, err := s.domainForSegment(ctx, seg)
		if err != nil {
			return nil, err
		}
		return s.site(ctx, d, scheme+"://"+r.Host+"/"+seg, "/"+seg+"/", secure)
	}
	d, err := domains.FindPool(ctx, s.store, r.Host)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrNoSite
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: finding the pool of host %q: %w", r.Host, err)
	}
	return s.site(ctx, d, scheme+"://"+r.Host, "/", secure)
}

// SiteOf returns the site of pool poolID for a request that arrived by
// path (federation callbacks carry the pool in their sealed state); base is
// the BaseURL to use (the Txn's).
func (s *Service) SiteOf(ctx context.Context, poolID, base string, secure bool) (*Site, error) {
	ds, err := domains.ForPool(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, ErrNoSite
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, ErrNoSite
	}
	path := strings.TrimRight(u.Path, "/") + "/"
	return s.site(ctx, ds[0], strings.TrimRight(base, "/"), path, secure)
}

func (s *Service) domainForSegment(ctx context.Context, seg string) (*domains.Domain, error) {
	if ids.ValidUserPoolID(seg) {
		ds, err := domains.ForPool(ctx, s.store, seg)
		if err != nil {
			return nil, fmt.Errorf("oauth: reading the domains of %s: %w", seg, err)
		}
		if len(ds) > 0 {
			return ds[0], nil
		}
	}
	d, err := domains.Lookup(ctx, s.store, strings.ToLower(seg))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrNoSite
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: finding domain %q: %w", seg, err)
	}
	return d, nil
}

func (s *Service) site(ctx context.Context, d *domains.Domain, base, cookiePath string, secure bool) (*Site, error) {
	pool, err := pools.Load(ctx, s.store, d.PoolID)
	if err != nil {
		if isNotFound(err) {
			return nil, ErrNoSite // deleted under us
		}
		return nil, err
	}
	return &Site{PoolID: d.PoolID, Pool: pool, Domain: d, BaseURL: base, CookiePath: cookiePath, Secure: secure}, nil
}

// isSecure reports a request that reached us over HTTPS, directly or
// through a proxy that says so.
func isSecure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// DiscoveryBase is the base of a pool's endpoints in its discovery
// document, for a discovery request r for pool poolID (served at
// /{poolId}/.well-known/openid-configuration): the request's host by Host
// when it is one of the pool's domains, else by path with the pool id. ""
// when the pool has no domain (the document then lists Cognito's
// domain-less form).
func (s *Service) DiscoveryBase(r *http.Request, poolID string) (string, error) {
	ds, err := domains.ForPool(r.Context(), s.store, poolID)
	if err != nil || len(ds) == 0 {
		return "", err
	}
	scheme := "http"
	if isSecure(r) {
		scheme = "https"
	}
	if d, err := domains.FindPool(r.Context(), s.store, r.Host); err == nil && d.PoolID == poolID {
		return scheme + "://" + r.Host, nil
	}
	return scheme + "://" + r.Host + "/" + poolID, nil
}
