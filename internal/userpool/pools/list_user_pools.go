package pools

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// nextTokenPrefix marks the page tokens this package issues; the store's own
// opaque token follows it.
const nextTokenPrefix = "cogito-pools-1:"

// ListUserPools pages through the account's pools in a stable order (by id).
func (s *Service) ListUserPools(ctx context.Context, in *cognitoidp.ListUserPoolsRequest) (*cognitoidp.ListUserPoolsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	page := storage.Page{Limit: int(*in.MaxResults)}
	if in.NextToken != nil {
		tok, ok := decodeNextToken(*in.NextToken)
		if !ok {
			return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
		}
		page.Token = tok
	}
	recs, next, err := s.store.ListPools(ctx, page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("pools: listing pools: %w", err)
	}
	out := &cognitoidp.ListUserPoolsResponse{UserPools: make([]cognitoidp.UserPoolDescriptionType, 0, len(recs))}
	for _, p := range recs {
		up, err := Decode(p)
		if err != nil {
			return nil, err
		}
		lc := up.LambdaConfig
		if lc == nil {
			lc = &cognitoidp.LambdaConfigType{}
		}
		out.UserPools = append(out.UserPools, cognitoidp.UserPoolDescriptionType{
			Id:               up.Id,
			Name:             up.Name,
			LambdaConfig:     lc,
			LastModifiedDate: up.LastModifiedDate,
			CreationDate:     up.CreationDate,
		})
	}
	if next != "" {
		out.NextToken = api.Ptr(encodeNextToken(next))
	}
	return out, nil
}

func encodeNextToken(storeToken string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(nextTokenPrefix + storeToken))
}

func decodeNextToken(tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	inner, ok := strings.CutPrefix(string(b), nextTokenPrefix)
	if !ok || inner == "" {
		return "", false
	}
	return inner, true
}
