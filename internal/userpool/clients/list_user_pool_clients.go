package clients

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

// ListUserPoolClients pages through a pool's clients, giving each one's id,
// pool id and name.
func (s *Service) ListUserPoolClients(ctx context.Context, in *cognitoidp.ListUserPoolClientsRequest) (*cognitoidp.ListUserPoolClientsResponse, error) {
	poolID := api.Deref(in.UserPoolId)
	if err := s.poolExists(ctx, poolID); err != nil {
		return nil, err
	}
	limit := DefaultListMaxResults
	// The model bounds MaxResults to 1–60; the generated validator rejects the rest.
	if in.MaxResults != nil && *in.MaxResults >= 1 && *in.MaxResults <= 60 {
		limit = int(*in.MaxResults)
	}
	page := storage.Page{Limit: limit}
	if in.NextToken != nil {
		tok, ok := decodeNextToken(poolID, *in.NextToken)
		if !ok {
			return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
		}
		page.Token = tok
	}
	out := &cognitoidp.ListUserPoolClientsResponse{UserPoolClients: []cognitoidp.UserPoolClientDescription{}}
	recs, next, err := s.store.ListClients(ctx, poolID, page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("clients: list clients of %s: %w", poolID, err)
	}
	for _, c := range recs {
		// ClientType filters within the page: a page may hold fewer
		// clients than MaxResults and still have a NextToken.
		if in.ClientType != nil && clientTypeOf(c) != *in.ClientType {
			continue
		}
		out.UserPoolClients = append(out.UserPoolClients, cognitoidp.UserPoolClientDescription{
			ClientId:   api.Ptr(c.ID),
			UserPoolId: api.Ptr(c.PoolID),
			ClientName: api.Ptr(c.Name),
		})
	}
	if next != "" {
		out.NextToken = api.Ptr(encodeNextToken(poolID, next))
	}
	return out, nil
}

// NextToken wraps the store's page token with the pool id, so a token is only
// good for the pool that issued it and a malformed one is the caller's error.
func encodeNextToken(poolID, storeToken string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(poolID + "\n" + storeToken))
}

func decodeNextToken(poolID, tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	pool, inner, ok := strings.Cut(string(b), "\n")
	if !ok || pool != poolID || inner == "" {
		return "", false
	}
	return inner, true
}

// clientTypeOf is a stored client's ClientType (REGULAR when unset: clients
// stored before the member existed).
func clientTypeOf(rec *storage.Client) cognitoidp.ClientTypeType {
	t, err := decodeSettings(rec)
	if err != nil || t.ClientType == nil {
		return ClientTypeRegular
	}
	return *t.ClientType
}
