package idps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ListIdentityProviders pages through a pool's providers by name, each as a
// ProviderDescription.
func (s *Service) ListIdentityProviders(ctx context.Context, in *cognitoidp.ListIdentityProvidersRequest) (*cognitoidp.ListIdentityProvidersResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	page := storage.Page{Limit: DefaultListMaxResults}
	if in.MaxResults != nil && *in.MaxResults > 0 {
		page.Limit = int(*in.MaxResults)
	}
	if in.NextToken != nil {
		tok, err := decodeNextToken(poolID, *in.NextToken)
		if err != nil {
			return nil, err
		}
		page.Token = tok
	}
	rs, next, err := s.store.ListResources(ctx, poolID, kindProvider, "", page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("idps: listing providers of %s: %w", poolID, err)
	}
	out := &cognitoidp.ListIdentityProvidersResponse{Providers: make([]cognitoidp.ProviderDescription, 0, len(rs)), NextToken: encodeNextToken(poolID, next)}
	for _, r := range rs {
		p, err := decode(r)
		if err != nil {
			return nil, err
		}
		out.Providers = append(out.Providers, cognitoidp.ProviderDescription{
			ProviderName: p.ProviderName, ProviderType: p.ProviderType,
			LastModifiedDate: p.LastModifiedDate, CreationDate: p.CreationDate,
		})
	}
	return out, nil
}
