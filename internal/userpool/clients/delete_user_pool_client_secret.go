package clients

import (
	"context"
	"fmt"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteUserPoolClientSecret removes one secret of a client by its id. The
// client's only secret cannot be removed (see keepLastClientSecret).
func (s *Service) DeleteUserPoolClientSecret(ctx context.Context, in *cognitoidp.DeleteUserPoolClientSecretRequest) (*cognitoidp.DeleteUserPoolClientSecretResponse, error) {
	poolID, clientID, secretID := api.Deref(in.UserPoolId), api.Deref(in.ClientId), api.Deref(in.ClientSecretId)
	if err := s.poolExists(ctx, poolID); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	_, err := s.store.UpdateClient(ctx, poolID, clientID, func(c *storage.Client) error {
		i := slices.IndexFunc(c.Secrets, func(st storage.ClientSecret) bool { return st.ID == secretID })
		if i < 0 {
			return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgSecretNotFound, secretID))
		}
		if keepLastClientSecret && len(c.Secrets) == 1 {
			return cognitoidp.NewInvalidParameterException(msgCannotDeleteLastOne)
		}
		c.Secrets = slices.Delete(c.Secrets, i, i+1)
		c.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, storeErr(err, clientID)
	}
	s.log.InfoContext(ctx, "client secret deleted", "pool", poolID, "client", clientID, "secret_id", secretID)
	return &cognitoidp.DeleteUserPoolClientSecretResponse{}, nil
}
