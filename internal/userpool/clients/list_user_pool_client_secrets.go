package clients

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// ListUserPoolClientSecrets lists a client's secrets, oldest first, by id and
// creation date; values are never shown. All secrets fit in one response, so
// there is no NextToken.
func (s *Service) ListUserPoolClientSecrets(ctx context.Context, in *cognitoidp.ListUserPoolClientSecretsRequest) (*cognitoidp.ListUserPoolClientSecretsResponse, error) {
	rec, err := s.getClient(ctx, api.Deref(in.UserPoolId), api.Deref(in.ClientId))
	if err != nil {
		return nil, err
	}
	out := &cognitoidp.ListUserPoolClientSecretsResponse{ClientSecrets: []cognitoidp.ClientSecretDescriptorType{}}
	for _, st := range rec.Secrets {
		out.ClientSecrets = append(out.ClientSecrets, descriptor(st))
	}
	return out, nil
}
