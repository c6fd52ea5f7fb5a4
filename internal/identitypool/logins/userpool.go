package logins

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
)

// awsUserPoolProvider is a user pool's provider name in AWS's form.
var awsUserPoolProvider = regexp.MustCompile(`^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com/([\w-]+_[0-9a-zA-Z]+)$`)

// UserPoolProvider is the canonical provider name of a user pool,
// "cognito-idp.{region}.amazonaws.com/{userPoolId}".
func UserPoolProvider(poolID string) string {
	region, _ := ids.RegionOfPoolID(poolID)
	return "cognito-idp." + region + ".amazonaws.com/" + poolID
}

// userPoolOf recognizes a user pool provider name: AWS's form, or the pool's
// issuer without its scheme (Amplify builds the Logins key that way).
func (v *Validator) userPoolOf(provider string) (string, bool) {
	if m := awsUserPoolProvider.FindStringSubmatch(provider); m != nil {
		if !ids.ValidUserPoolID(m[2]) {
			return "", false
		}
		region, ok := ids.RegionOfPoolID(m[2])
		return m[2], ok && region == m[1]
	}
	i := strings.LastIndexByte(provider, '/')
	if i < 0 || !ids.ValidUserPoolID(provider[i+1:]) {
		return "", false
	}
	poolID := provider[i+1:]
	iss := v.upIssuer(poolID)
	if _, rest, ok := strings.Cut(iss, "://"); ok && rest == provider {
		return poolID, true
	}
	return "", false
}

// checkUserPool verifies an ID token of a Cogito user pool.
func (v *Validator) checkUserPool(ctx context.Context, pool *Pool, poolID, tok string) (*Login, error) {
	provider := UserPoolProvider(poolID)
	var trusted []CognitoProvider
	for _, c := range pool.CognitoProviders {
		if c.ProviderName == provider {
			trusted = append(trusted, c)
		}
	}
	if len(trusted) == 0 {
		return nil, notAuthorized(msgUnsupportedProvider)
	}
	raw, ok := unverifiedClaims(tok)
	if !ok {
		return nil, notAuthorized(msgNotOIDC)
	}
	if _, ok := raw["aud"]; !ok {
		return nil, notAuthorized(msgMissingAud)
	}
	if iss, _ := raw["iss"].(string); iss != v.upIssuer(poolID) {
		return nil, notAuthorized(msgIssuerMismatch)
	}
	c, claims, err := v.tokens.VerifyID(ctx, tok)
	var exp *token.ExpiredError
	switch {
	case errors.As(err, &exp):
		return nil, expired(exp.Now, exp.ExpiresAt)
	case errors.Is(err, token.ErrInvalid):
		return nil, notAuthorized(msgCouldntVerify)
	case err != nil:
		return nil, err
	}
	if c.PoolID != poolID {
		return nil, notAuthorized(msgIssuerMismatch)
	}
	var entry *CognitoProvider
	for i := range trusted {
		if trusted[i].ClientID == c.ClientID {
			entry = &trusted[i]
			break
		}
	}
	if entry == nil {
		return nil, notAuthorized(msgUnsupportedProvider)
	}
	if entry.ServerSideTokenCheck {
		if err := v.serverSideCheck(ctx, c); err != nil {
			return nil, err
		}
	}
	return &Login{
		Kind: KindUserPool, Provider: provider, Subject: c.Sub,
		RoleMappingKey: provider + ":" + c.ClientID,
		Claims:         claims,
		AMR:            []string{provider, provider + ":CognitoSignIn:" + c.Sub},
		Roles:          c.Roles, PreferredRole: c.PreferredRole,
	}, nil
}

// serverSideCheck asks the user pool whether the token's user still exists,
// is enabled and has not signed out (the token's family revoked).
func (v *Validator) serverSideCheck(ctx context.Context, c *token.IDClaims) error {
	u, err := v.users.GetUserBySub(ctx, c.PoolID, c.Sub)
	if errors.Is(err, storage.ErrNotFound) {
		return notAuthorized(msgInactive)
	}
	if err != nil {
		return err
	}
	if !u.Enabled {
		return notAuthorized(msgInactive)
	}
	if c.OriginJTI != "" {
		revoked, err := v.tokens.FamilyRevoked(ctx, c.PoolID, c.OriginJTI)
		if err != nil {
			return err
		}
		if revoked {
			return notAuthorized(msgInactive)
		}
	}
	return nil
}
