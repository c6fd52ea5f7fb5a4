package auth

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Passkeys is what choice-based sign-in (USER_AUTH with the WEB_AUTHN
// factor) needs of the passkeys family (*webauthn.Service implements it).
type Passkeys interface {
	// HasCredentials reports whether u has at least one registered passkey
	// (so WEB_AUTHN is an available challenge for them).
	HasCredentials(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (bool, error)
	// BeginLogin starts a passkey assertion for u: the
	// CREDENTIAL_REQUEST_OPTIONS challenge parameter (a JSON string of
	// PublicKeyCredentialRequestOptions as Cognito sends it) and the state
	// FinishLogin needs, small enough to travel in the sign-in Session.
	BeginLogin(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User) (optionsJSON string, state []byte, err error)
	// FinishLogin verifies the CREDENTIAL answer (an AuthenticationResponseJSON
	// string) against state: signature, challenge, origin, relying-party id,
	// user presence/verification and the signature counter, and records the
	// credential's use. A failed check is NotAuthorizedException (Cognito's
	// message, see the family's messages.go).
	FinishLogin(ctx context.Context, pool *cognitoidp.UserPoolType, u *storage.User, state []byte, credentialJSON string) error
}
