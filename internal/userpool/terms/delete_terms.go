package terms

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteTerms deletes a terms document.
func (s *Service) DeleteTerms(ctx context.Context, in *cognitoidp.DeleteTermsRequest) (*api.Empty, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, termsID := *in.UserPoolId, *in.TermsId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	err := s.store.DeleteResource(ctx, poolID, resourceKind, termsID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgTermsNotFound, termsID))
	}
	if err != nil {
		return nil, fmt.Errorf("terms: deleting terms %s of %s: %w", termsID, poolID, err)
	}
	return &api.Empty{}, nil
}

// DeleteClientTerms deletes the terms documents of an app client (when the
// client is deleted).
func (s *Service) DeleteClientTerms(ctx context.Context, poolID, clientID string) error {
	rs, err := s.all(ctx, poolID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		d, err := decode(r)
		if err != nil {
			return err
		}
		if d.ClientID != clientID {
			continue
		}
		if err := s.store.DeleteResource(ctx, poolID, resourceKind, r.ID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("terms: deleting terms %s of client %s: %w", r.ID, clientID, err)
		}
	}
	return nil
}

// all returns every terms document of a pool.
func (s *Service) all(ctx context.Context, poolID string) ([]*storage.Resource, error) {
	var out []*storage.Resource
	page := storage.Page{Limit: 100}
	for {
		rs, next, err := s.store.ListResources(ctx, poolID, resourceKind, "", page)
		if err != nil {
			return nil, fmt.Errorf("terms: listing terms of %s: %w", poolID, err)
		}
		out = append(out, rs...)
		if next == "" {
			return out, nil
		}
		page.Token = next
	}
}
