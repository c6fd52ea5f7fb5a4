package clients

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DescribeUserPoolClient returns a client's configuration, with its secret
// when it has one (the oldest, when it has two).
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *cognitoidp.DescribeUserPoolClientRequest) (*cognitoidp.DescribeUserPoolClientResponse, error) {
	rec, err := s.getClient(ctx, api.Deref(in.UserPoolId), api.Deref(in.ClientId))
	if err != nil {
		return nil, err
	}
	out, err := s.describe(rec)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeUserPoolClientResponse{UserPoolClient: out}, nil
}

// describe renders a stored client as the API shows it, secret included.
func (s *Service) describe(rec *storage.Client) (*cognitoidp.UserPoolClientType, error) {
	out, err := decodeSettings(rec)
	if err != nil {
		return nil, err
	}
	if len(rec.Secrets) > 0 {
		secrets, err := s.openSecrets(&storage.Client{PoolID: rec.PoolID, ID: rec.ID, Secrets: rec.Secrets[:1]})
		if err != nil {
			return nil, err
		}
		out.ClientSecret = api.Ptr(secrets[0].Value)
	}
	return &out, nil
}
