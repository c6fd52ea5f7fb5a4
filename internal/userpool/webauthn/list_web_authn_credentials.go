package webauthn

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pagetoken"
)

// ListWebAuthnCredentials pages through the signed-in user's passkeys.
func (s *Service) ListWebAuthnCredentials(ctx context.Context, in *cognitoidp.ListWebAuthnCredentialsRequest) (*cognitoidp.ListWebAuthnCredentialsResponse, error) {
	c, err := s.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	poolID, userKey := c.User.PoolID, c.User.Key
	page := storage.Page{Limit: DefaultListLimit}
	if n := api.Deref(in.MaxResults); n > 0 {
		page.Limit = int(n)
	}
	if in.NextToken != nil {
		if page.Token, err = decodeNextToken(userKey, *in.NextToken); err != nil {
			return nil, err
		}
	}
	rs, next, err := s.store.ListResources(ctx, poolID, kindCredential, userKey, page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("webauthn: listing passkeys in pool %s: %w", poolID, err)
	}
	out := &cognitoidp.ListWebAuthnCredentialsResponse{Credentials: make([]cognitoidp.WebAuthnCredentialDescription, 0, len(rs))}
	for _, r := range rs {
		d, err := decodeCredential(r)
		if err != nil {
			return nil, err
		}
		out.Credentials = append(out.Credentials, description(r, d))
	}
	if next != "" {
		out.NextToken = api.Ptr(encodeNextToken(userKey, next))
	}
	return out, nil
}

// Page tokens wrap the store's token with the user whose listing issued it,
// so a token is good only for that user's listing.
const nextTokenVersion = "cogito-webauthn-1"

func encodeNextToken(userKey, storeToken string) string {
	return pagetoken.Wrap(nextTokenVersion, []string{userKey}, storeToken)
}

func decodeNextToken(userKey, tok string) (string, error) {
	inner, ok := pagetoken.Unwrap(nextTokenVersion, []string{userKey}, tok)
	if !ok {
		return "", cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	return inner, nil
}
