package terms

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ListTerms pages through a pool's terms documents (by TermsId).
func (s *Service) ListTerms(ctx context.Context, in *cognitoidp.ListTermsRequest) (*cognitoidp.ListTermsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	page := storage.Page{Limit: DefaultMaxResults}
	if in.MaxResults != nil {
		page.Limit = int(*in.MaxResults)
	}
	if in.NextToken != nil {
		tok, err := decodeNextToken(poolID, *in.NextToken)
		if err != nil {
			return nil, err
		}
		page.Token = tok
	}
	rs, next, err := s.store.ListResources(ctx, poolID, resourceKind, "", page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("terms: listing terms of %s: %w", poolID, err)
	}
	out := &cognitoidp.ListTermsResponse{Terms: make([]cognitoidp.TermsDescriptionType, 0, len(rs))}
	for _, r := range rs {
		d, err := decode(r)
		if err != nil {
			return nil, err
		}
		out.Terms = append(out.Terms, cognitoidp.TermsDescriptionType{
			TermsId:          api.Ptr(r.ID),
			TermsName:        api.Ptr(d.TermsName),
			Enforcement:      api.Ptr(cognitoidp.TermsEnforcementType(d.Enforcement)),
			CreationDate:     api.NewTime(r.CreatedAt),
			LastModifiedDate: api.NewTime(r.UpdatedAt),
		})
	}
	if next != "" {
		out.NextToken = api.Ptr(encodeNextToken(poolID, next))
	}
	return out, nil
}
