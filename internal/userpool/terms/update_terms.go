package terms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateTerms changes the members of a terms document the request carries;
// Links, when given, replaces every link.
func (s *Service) UpdateTerms(ctx context.Context, in *cognitoidp.UpdateTermsRequest) (*cognitoidp.UpdateTermsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, termsID := *in.UserPoolId, *in.TermsId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if in.Links != nil {
		if err := checkLinks(in.Links); err != nil {
			return nil, err
		}
	}
	var d *document
	now := s.now()
	r, err := s.store.UpdateResource(ctx, poolID, resourceKind, termsID, func(r *storage.Resource) error {
		cur, err := decode(r)
		if err != nil {
			return err
		}
		if in.TermsName != nil {
			cur.TermsName = *in.TermsName
		}
		if in.TermsSource != nil {
			cur.TermsSource = string(*in.TermsSource)
		}
		if in.Enforcement != nil {
			cur.Enforcement = string(*in.Enforcement)
		}
		if in.Links != nil {
			cur.Links = in.Links
		}
		b, err := json.Marshal(cur)
		if err != nil {
			return fmt.Errorf("terms: encoding terms: %w", err)
		}
		r.Settings = b
		r.LookupKey = lookupKey(poolID, cur.ClientID, cur.TermsName)
		r.UpdatedAt = now
		d = cur
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgTermsNotFound, termsID))
	}
	if err != nil {
		name := ""
		if in.TermsName != nil {
			name = *in.TermsName
		}
		return nil, storeErr(err, name, "updating terms "+termsID+" of "+poolID)
	}
	return &cognitoidp.UpdateTermsResponse{Terms: termsType(r, d)}, nil
}
