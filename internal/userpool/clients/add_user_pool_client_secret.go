package clients

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AddUserPoolClientSecret adds a secret to a confidential client, for secret
// rotation: the caller's ClientSecret, or a generated one. A client holds at
// most MaxClientSecrets. The response shows the value only when Cognito
// generated it.
func (s *Service) AddUserPoolClientSecret(ctx context.Context, in *cognitoidp.AddUserPoolClientSecretRequest) (*cognitoidp.AddUserPoolClientSecretResponse, error) {
	poolID, clientID := api.Deref(in.UserPoolId), api.Deref(in.ClientId)
	if err := s.poolExists(ctx, poolID); err != nil {
		return nil, err
	}
	value, generated := api.Deref(in.ClientSecret), in.ClientSecret == nil
	if generated {
		value = ids.ClientSecret()
	}
	now := s.clock.Now()
	var added storage.ClientSecret
	_, err := s.store.UpdateClient(ctx, poolID, clientID, func(c *storage.Client) error {
		if addSecretNeedsConfidentialClient && len(c.Secrets) == 0 {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgClientHasNoSecret, clientID))
		}
		if len(c.Secrets) >= MaxClientSecrets {
			return cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooManySecrets, MaxClientSecrets))
		}
		id, created := newSecretID(clientID, now, c.Secrets)
		sealed, err := s.sealSecret(poolID, clientID, Secret{ID: id, Value: value, CreatedAt: created})
		if err != nil {
			return err
		}
		c.Secrets = append(c.Secrets, sealed)
		c.UpdatedAt = now
		added = sealed
		return nil
	})
	if err != nil {
		return nil, storeErr(err, clientID)
	}
	d := descriptor(added)
	if generated {
		d.ClientSecretValue = api.Ptr(value)
	}
	s.log.InfoContext(ctx, "client secret added", "pool", poolID, "client", clientID, "secret_id", added.ID)
	return &cognitoidp.AddUserPoolClientSecretResponse{ClientSecretDescriptor: &d}, nil
}
