package account

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
)

// RevokeToken revokes a refresh token and every access token issued with it
// (the same origin_jti). A client with a secret must present it; a client
// whose EnableTokenRevocation is false cannot revoke. Revoking a token
// revoked already succeeds again. RevokeAssociatedSessions (NONE, the
// default, or LINKED) is checked by the model and otherwise has no effect:
// LINKED also revokes the parent SSO session of the token's session, and
// "has no effect when session tracking is disabled or when the token
// session has no parent SSO session" (documented) — Cogito tracks no SSO
// sessions, so no token session has one.
func (s *Service) RevokeToken(ctx context.Context, in *cognitoidp.RevokeTokenRequest) (*cognitoidp.RevokeTokenResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	clientID := api.Deref(in.ClientId)
	cl, err := s.clients.Lookup(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if cl.HasSecret() {
		if in.ClientSecret == nil {
			return nil, cognitoidp.NewUnauthorizedException(fmt.Sprintf(msgSecretMissing, clientID))
		}
		if !cl.SecretMatches(*in.ClientSecret) {
			return nil, cognitoidp.NewUnauthorizedException(fmt.Sprintf(msgSecretMismatch, clientID))
		}
	}
	if !cl.TokenRevocationEnabled() {
		return nil, cognitoidp.NewUnsupportedOperationException(msgRevocationDisabled)
	}
	if err := s.tokens.RevokeRefresh(ctx, api.Deref(in.Token), clientID); err != nil {
		if _, ok := awserr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("account: revoking a refresh token of client %s: %w", clientID, err)
	}
	return &cognitoidp.RevokeTokenResponse{}, nil
}
