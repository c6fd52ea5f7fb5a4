package branding

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DescribeManagedLoginBranding returns a style by id; ReturnMergedResources
// adds the defaults the style does not override.
func (s *Service) DescribeManagedLoginBranding(ctx context.Context, in *cognitoidp.DescribeManagedLoginBrandingRequest) (*cognitoidp.DescribeManagedLoginBrandingResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkPool(ctx, *in.UserPoolId); err != nil {
		return nil, err
	}
	r, doc, err := s.getStyle(ctx, *in.UserPoolId, *in.ManagedLoginBrandingId)
	if err != nil {
		return nil, err
	}
	out, err := styleType(r, doc, in.ReturnMergedResources)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeManagedLoginBrandingResponse{ManagedLoginBranding: out}, nil
}

// DescribeManagedLoginBrandingByClient returns the style of an app client.
func (s *Service) DescribeManagedLoginBrandingByClient(ctx context.Context, in *cognitoidp.DescribeManagedLoginBrandingByClientRequest) (*cognitoidp.DescribeManagedLoginBrandingByClientResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, clientID := *in.UserPoolId, *in.ClientId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if err := s.checkClient(ctx, poolID, clientID); err != nil {
		return nil, err
	}
	out, err := StyleForClient(ctx, s.store, poolID, clientID, in.ReturnMergedResources)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgBrandingForClientNotFound, clientID))
	}
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeManagedLoginBrandingByClientResponse{ManagedLoginBranding: out}, nil
}
