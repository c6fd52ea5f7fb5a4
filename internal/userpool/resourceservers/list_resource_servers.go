package resourceservers

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ListResourceServers pages through a pool's resource servers by identifier.
func (s *Service) ListResourceServers(ctx context.Context, in *cognitoidp.ListResourceServersRequest) (*cognitoidp.ListResourceServersResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	page := storage.Page{Limit: DefaultListMaxResults}
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
		return nil, fmt.Errorf("resourceservers: listing servers of %s: %w", poolID, err)
	}
	out := &cognitoidp.ListResourceServersResponse{ResourceServers: make([]cognitoidp.ResourceServerType, 0, len(rs)), NextToken: encodeNextToken(poolID, next)}
	for _, r := range rs {
		rsv, err := decode(r)
		if err != nil {
			return nil, err
		}
		out.ResourceServers = append(out.ResourceServers, *rsv)
	}
	return out, nil
}
