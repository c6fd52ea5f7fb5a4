package terms

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// CreateTerms stores a terms document of an app client.
func (s *Service) CreateTerms(ctx context.Context, in *cognitoidp.CreateTermsRequest) (*cognitoidp.CreateTermsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, clientID, name := *in.UserPoolId, *in.ClientId, *in.TermsName
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if err := s.checkClient(ctx, poolID, clientID); err != nil {
		return nil, err
	}
	if len(in.Links) == 0 {
		return nil, cognitoidp.NewInvalidParameterException(msgLinksRequired)
	}
	if err := checkLinks(in.Links); err != nil {
		return nil, err
	}
	d := &document{
		ClientID: clientID, TermsName: name,
		TermsSource: string(*in.TermsSource), Enforcement: string(*in.Enforcement),
		Links: in.Links,
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("terms: encoding terms: %w", err)
	}
	now := s.now()
	r := &storage.Resource{
		PoolID: poolID, Kind: resourceKind, ID: uuid.NewString(),
		LookupKey: lookupKey(poolID, clientID, name),
		Settings:  b, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateResource(ctx, r); err != nil {
		return nil, storeErr(err, name, "creating terms of "+poolID)
	}
	return &cognitoidp.CreateTermsResponse{Terms: termsType(r, d)}, nil
}
