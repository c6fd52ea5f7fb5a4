package logins

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cogito-dev/cogito/internal/clock"
)

// Key sets are fetched over HTTP and kept for keySetTTL; a token naming a kid
// the cached set lacks triggers a refetch, at most once per keySetRetry per
// URL (so a stream of forged kids cannot hammer the provider).
const (
	keySetTTL     = time.Hour
	keySetRetry   = 30 * time.Second
	maxFetchBytes = 1 << 20
)

// keySets caches JSON Web Key Sets (and discovered jwks_uri values) by URL.
type keySets struct {
	client *http.Client
	clock  clock.Clock

	mu      sync.Mutex
	sets    map[string]*cachedSet
	jwksURI map[string]string // discovery document URL -> jwks_uri
}

type cachedSet struct {
	set       jose.JSONWebKeySet
	fetchedAt time.Time
}

func newKeySets(client *http.Client, clk clock.Clock) *keySets {
	return &keySets{client: client, clock: clk, sets: map[string]*cachedSet{}, jwksURI: map[string]string{}}
}

// errFetch is a failure to reach a provider's keys (the token is not at fault).
var errFetch = errors.New("logins: fetching provider keys")

// keys returns the keys of the set at url named kid ("" matches any),
// refetching the set when it is stale or lacks kid.
func (k *keySets) keys(ctx context.Context, url, kid string) ([]jose.JSONWebKey, error) {
	now := k.clock.Now()
	k.mu.Lock()
	c := k.sets[url]
	k.mu.Unlock()
	if c != nil && now.Sub(c.fetchedAt) < keySetTTL {
		if found := match(c.set, kid); len(found) > 0 || now.Sub(c.fetchedAt) < keySetRetry {
			return found, nil
		}
	}
	var set jose.JSONWebKeySet
	if err := k.getJSON(ctx, url, &set); err != nil {
		if c != nil {
			// Keep using what we had while the provider is unreachable.
			return match(c.set, kid), nil
		}
		return nil, err
	}
	k.mu.Lock()
	k.sets[url] = &cachedSet{set: set, fetchedAt: now}
	k.mu.Unlock()
	return match(set, kid), nil
}

func match(set jose.JSONWebKeySet, kid string) []jose.JSONWebKey {
	if kid == "" {
		return set.Keys
	}
	return set.Key(kid)
}

// discover returns the jwks_uri of an OpenID Connect issuer.
func (k *keySets) discover(ctx context.Context, issuer string) (string, error) {
	doc := strings.TrimRight(issuer, "/") + "/.well-known/openid-configuration"
	k.mu.Lock()
	u, ok := k.jwksURI[doc]
	k.mu.Unlock()
	if ok {
		return u, nil
	}
	var d struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.getJSON(ctx, doc, &d); err != nil {
		return "", err
	}
	if d.JWKSURI == "" {
		return "", fmt.Errorf("%w: %s has no jwks_uri", errFetch, doc)
	}
	k.mu.Lock()
	k.jwksURI[doc] = d.JWKSURI
	k.mu.Unlock()
	return d.JWKSURI, nil
}

// getJSON fetches url and decodes its JSON body into dst.
func (k *keySets) getJSON(ctx context.Context, url string, dst any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", errFetch, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", errFetch, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errFetch, url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s answered %d", errFetch, url, resp.StatusCode)
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return fmt.Errorf("%w: %s: %v", errFetch, url, err)
	}
	return nil
}
