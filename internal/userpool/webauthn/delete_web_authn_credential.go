package webauthn

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteWebAuthnCredential deletes one of the signed-in user's passkeys. A
// credential id the user does not have (unknown, or another user's) is
// ResourceNotFoundException.
func (s *Service) DeleteWebAuthnCredential(ctx context.Context, in *cognitoidp.DeleteWebAuthnCredentialRequest) (*cognitoidp.DeleteWebAuthnCredentialResponse, error) {
	c, err := s.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	poolID, userKey := c.User.PoolID, c.User.Key
	id := ""
	if in.CredentialId != nil {
		id = *in.CredentialId
	}
	r, err := s.store.GetResource(ctx, poolID, kindCredential, id)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && r.Owner != userKey) {
		return nil, cognitoidp.NewResourceNotFoundException(msgCredentialNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("webauthn: reading a passkey in pool %s: %w", poolID, err)
	}
	err = s.store.DeleteResource(ctx, poolID, kindCredential, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(msgCredentialNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("webauthn: deleting a passkey in pool %s: %w", poolID, err)
	}
	return &cognitoidp.DeleteWebAuthnCredentialResponse{}, nil
}
