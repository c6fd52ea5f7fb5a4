package clients

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// DeleteUserPoolClient deletes a client and its secrets.
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *cognitoidp.DeleteUserPoolClientRequest) (*api.Empty, error) {
	poolID, clientID := api.Deref(in.UserPoolId), api.Deref(in.ClientId)
	if err := s.poolExists(ctx, poolID); err != nil {
		return nil, err
	}
	if err := s.store.DeleteClient(ctx, poolID, clientID); err != nil {
		return nil, storeErr(err, clientID)
	}
	s.log.InfoContext(ctx, "app client deleted", "pool", poolID, "client", clientID)
	return &api.Empty{}, nil
}
