// Package terms implements the terms-documents family of the User Pools API:
// CreateTerms, DescribeTerms, UpdateTerms, DeleteTerms and ListTerms — the
// terms of use and privacy policy links of an app client — and gives the
// managed-login sign-up page the links to show (ForClient, Documents.Links).
//
// Each terms document is a storage.Resource of kind "terms" whose ID is its
// TermsId and whose LookupKey, "{pool}/{client}/{name}", makes names unique
// per app client in the store itself. Cognito facts the package relies on are
// in defaults.go.
package terms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pagetoken"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.PoolStore
	storage.ClientStore
	storage.ResourceStore
}

// Config holds the service's dependencies. Store is required; a nil Clock is
// the real clock and a nil Logger discards.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Logger *slog.Logger
}

// Service implements the terms operations.
type Service struct {
	store Store
	clock clock.Clock
	log   *slog.Logger
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, clock: cfg.Clock, log: cfg.Logger}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register fills the terms operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateTerms = s.CreateTerms
	h.DescribeTerms = s.DescribeTerms
	h.UpdateTerms = s.UpdateTerms
	h.DeleteTerms = s.DeleteTerms
	h.ListTerms = s.ListTerms
}

// document is the stored form of a terms document (Settings).
type document struct {
	ClientID    string            `json:"ClientId"`
	TermsName   string            `json:"TermsName"`
	TermsSource string            `json:"TermsSource"`
	Enforcement string            `json:"Enforcement"`
	Links       map[string]string `json:"Links"`
}

func lookupKey(poolID, clientID, name string) string { return poolID + "/" + clientID + "/" + name }

func decode(r *storage.Resource) (*document, error) {
	d := new(document)
	if err := json.Unmarshal(r.Settings, d); err != nil {
		return nil, fmt.Errorf("terms: decoding terms %s of %s: %w", r.ID, r.PoolID, err)
	}
	return d, nil
}

// termsType renders a stored document as the API shows it.
func termsType(r *storage.Resource, d *document) *cognitoidp.TermsType {
	links := make(map[string]string, len(d.Links))
	for k, v := range d.Links {
		links[k] = v
	}
	return &cognitoidp.TermsType{
		TermsId:          api.Ptr(r.ID),
		UserPoolId:       api.Ptr(r.PoolID),
		ClientId:         api.Ptr(d.ClientID),
		TermsName:        api.Ptr(d.TermsName),
		TermsSource:      api.Ptr(cognitoidp.TermsSourceType(d.TermsSource)),
		Enforcement:      api.Ptr(cognitoidp.TermsEnforcementType(d.Enforcement)),
		Links:            links,
		CreationDate:     api.NewTime(r.CreatedAt),
		LastModifiedDate: api.NewTime(r.UpdatedAt),
	}
}

// checkPool answers ResourceNotFoundException for a pool that does not exist.
func (s *Service) checkPool(ctx context.Context, poolID string) error {
	_, err := pools.Get(ctx, s.store, poolID)
	return err
}

// checkClient answers ResourceNotFoundException for an app client the pool
// does not have.
func (s *Service) checkClient(ctx context.Context, poolID, clientID string) error {
	_, err := s.store.GetClient(ctx, poolID, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgClientNotFound, clientID))
	}
	if err != nil {
		return fmt.Errorf("terms: reading client %s of %s: %w", clientID, poolID, err)
	}
	return nil
}

// get reads a terms document, answering ResourceNotFoundException when the
// pool has none with that id.
func (s *Service) get(ctx context.Context, poolID, termsID string) (*storage.Resource, *document, error) {
	r, err := s.store.GetResource(ctx, poolID, resourceKind, termsID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgTermsNotFound, termsID))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("terms: reading terms %s of %s: %w", termsID, poolID, err)
	}
	d, err := decode(r)
	if err != nil {
		return nil, nil, err
	}
	return r, d, nil
}

// checkLinks refuses link values that are not absolute http(s) URLs (the
// keys and lengths were checked by Validate).
func checkLinks(links map[string]string) error {
	for k, v := range links {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadLink, k))
		}
	}
	return nil
}

// now is the clock's time at the store's precision.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// storeErr maps errors of store writes.
func storeErr(err error, name, what string) error {
	var ce *storage.ConflictError
	switch {
	case errors.Is(err, storage.ErrAlreadyExists):
		return cognitoidp.NewTermsExistsException(fmt.Sprintf(msgTermsExist, name))
	case errors.As(err, &ce):
		return cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
	}
	if _, ok := awserr.As(err); ok {
		return err
	}
	return fmt.Errorf("terms: %s: %w", what, err)
}

// Page tokens wrap the store's token with the pool they list.
const nextTokenPrefix = "cogito-terms-1:"

func encodeNextToken(poolID, storeToken string) string {
	return pagetoken.Wrap(nextTokenPrefix, []string{poolID}, storeToken)
}

func decodeNextToken(poolID, tok string) (string, error) {
	inner, ok := pagetoken.Unwrap(nextTokenPrefix, []string{poolID}, tok)
	if !ok {
		return "", cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	return inner, nil
}
