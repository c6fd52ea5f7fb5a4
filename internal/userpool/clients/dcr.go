package clients

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// RegisterDCR creates a client for the registration endpoint
// (/oauth2/register, internal/oauth): checked as CreateUserPoolClient checks
// its request (the model's constraints first), counted toward the pool's
// app-client quota, and stored with ClientType DCR, which
// DescribeUserPoolClient shows and ListUserPoolClients filters on.
func (s *Service) RegisterDCR(ctx context.Context, in *cognitoidp.CreateUserPoolClientRequest) (*cognitoidp.UserPoolClientType, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.create(ctx, in, ClientTypeDCR)
}
