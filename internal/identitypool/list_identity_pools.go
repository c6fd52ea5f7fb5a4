package identitypool

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// nextTokenPrefix marks the page tokens this package issues.
const nextTokenPrefix = "cogito-identitypools-1\x00"

// ListIdentityPools pages through the account's identity pools by id;
// MaxResults (1–60) is required.
func (s *Service) ListIdentityPools(ctx context.Context, in *cognitoidentity.ListIdentityPoolsInput) (*cognitoidentity.ListIdentityPoolsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	page := storage.Page{Limit: int(*in.MaxResults)}
	if in.NextToken != nil {
		b, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		tok, ok := strings.CutPrefix(string(b), nextTokenPrefix)
		if err != nil || !ok || tok == "" {
			return nil, invalid(msgInvalidNextToken)
		}
		page.Token = tok
	}
	recs, next, err := s.store.ListIdentityPools(ctx, page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, invalid(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("identitypool: list: %w", err)
	}
	out := &cognitoidentity.ListIdentityPoolsResponse{IdentityPools: []cognitoidentity.IdentityPoolShortDescription{}}
	for _, r := range recs {
		out.IdentityPools = append(out.IdentityPools, cognitoidentity.IdentityPoolShortDescription{
			IdentityPoolId: ptr(r.ID), IdentityPoolName: ptr(r.Name),
		})
	}
	if next != "" {
		out.NextToken = ptr(base64.RawURLEncoding.EncodeToString([]byte(nextTokenPrefix + next)))
	}
	return out, nil
}
