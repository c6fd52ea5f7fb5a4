package domains

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteUserPoolDomain removes a pool's prefix or custom domain; the name is
// free for any pool afterwards.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, in *cognitoidp.DeleteUserPoolDomainRequest) (*cognitoidp.DeleteUserPoolDomainResponse, error) {
	if err := validateNamed(in.Domain, func(c *string) error {
		cp := *in
		cp.Domain = c
		return cp.Validate()
	}); err != nil {
		return nil, err
	}
	poolID, name := *in.UserPoolId, *in.Domain
	if _, err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	d, err := s.poolDomain(ctx, poolID, name)
	if err != nil {
		return nil, err
	}
	// Delete only the record that still carries this name.
	_, err = s.store.UpdateResource(ctx, poolID, resourceKind, string(d.Kind), func(r *storage.Resource) error {
		if r.LookupKey != name {
			return storage.ErrNotFound
		}
		return storage.ErrSkip
	})
	if err == nil {
		err = s.store.DeleteResource(ctx, poolID, resourceKind, string(d.Kind))
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewInvalidParameterException(msgNoSuchDomain)
	}
	if err != nil {
		return nil, fmt.Errorf("domains: deleting domain %s of %s: %w", name, poolID, err)
	}
	s.log.InfoContext(ctx, "user pool domain deleted", "pool", poolID, "domain", name)
	return &cognitoidp.DeleteUserPoolDomainResponse{}, nil
}
