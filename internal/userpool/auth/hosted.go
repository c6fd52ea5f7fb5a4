package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/token"
)

// Sign-in for the managed login pages (internal/hostedui) and tokens for
// the OAuth endpoints (internal/oauth).
//
// The pages sign users in with their password through the same steps as
// USER_PASSWORD_AUTH — lockout, PreventUserExistenceErrors, the user's
// state, NEW_PASSWORD_REQUIRED, MFA and its setup — but for the app client
// itself: the client's ExplicitAuthFlows and secret do not apply (Cognito's
// hosted UI signs users in whatever flows the client enables for its API),
// and a completed sign-in yields the user, not tokens. The OAuth family then
// issues an authorization code or tokens with IssueOAuth.

// TriggerHostedAuth is the pre token generation trigger source of tokens
// issued through managed login and the OAuth endpoints.
const TriggerHostedAuth = "TokenGeneration_HostedAuth"

// OAuthTokenVersion is the access token's "version" claim in tokens from the
// OAuth endpoints (observed: 2; unverified).
const OAuthTokenVersion = 2

// HostedStep is where a managed-login sign-in stands: another challenge
// (Challenge, Session, Parameters — as RespondToAuthChallenge answers), or,
// with Challenge "", the user who signed in.
type HostedStep struct {
	Challenge  cognitoidp.ChallengeNameType
	Session    string
	Parameters map[string]string

	// User signed in at AuthTime; EventID is the sign-in's auth event ("" when
	// the pool keeps none) and DeviceKey the device it authenticated ("").
	User      *storage.User
	AuthTime  time.Time
	EventID   string
	DeviceKey string
	// FirstFactor and MFAFactor are how the user signed in ("PASSWORD",
	// then "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP" or ""), for the
	// acr and amr claims of an authorize request with acr_values.
	FirstFactor, MFAFactor string
}

// Done reports a completed sign-in.
func (h *HostedStep) Done() bool { return h.Challenge == "" && h.User != nil }

// Username is the internal username the step is about (ChallengeParameters
// USERNAME or USER_ID_FOR_SRP, or the signed-in user's).
func (h *HostedStep) Username() string {
	if h.User != nil {
		return h.User.Username
	}
	if u := h.Parameters[pUsername]; u != "" {
		return u
	}
	return h.Parameters[pUserIDForSRP]
}

// hostedDone is a completed hosted sign-in (result.done).
type hostedDone struct {
	user      *storage.User
	eventID   string
	deviceKey string
	at        time.Time
	// first and mfa are the factors used (HostedStep.FirstFactor, MFAFactor).
	first, mfa string
}

// hostedCall loads app client clientID of pool poolID for the managed login
// pages.
func (s *Service) hostedCall(ctx context.Context, poolID, clientID string, metadata map[string]string) (*call, error) {
	client, err := s.clients.LookupInPool(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(ctx, client, false, metadata)
	if err != nil {
		return nil, err
	}
	c.hosted = true
	return c, nil
}

func hostedStep(r *result) (*HostedStep, error) {
	if r.done != nil {
		return &HostedStep{User: r.done.user, AuthTime: r.done.at, EventID: r.done.eventID, DeviceKey: r.done.deviceKey,
			FirstFactor: r.done.first, MFAFactor: r.done.mfa}, nil
	}
	if r.challenge == "" {
		// Only choice-based sign-in answers without a challenge or tokens;
		// the pages never start it.
		return nil, errors.New("auth: a hosted sign-in ended without a challenge or a user")
	}
	return &HostedStep{Challenge: r.challenge, Session: r.session, Parameters: r.params()}, nil
}

// HostedSignIn signs a user in on the managed login pages of app client
// clientID with a sign-in name (username or an alias the pool accepts) and a
// password. Errors are Cognito's, as USER_PASSWORD_AUTH answers them
// (NotAuthorizedException "Incorrect username or password.",
// UserNotConfirmedException, PasswordResetRequiredException, ...).
func (s *Service) HostedSignIn(ctx context.Context, poolID, clientID, username, pw string, metadata map[string]string) (*HostedStep, error) {
	c, err := s.hostedCall(ctx, poolID, clientID, metadata)
	if err != nil {
		return nil, err
	}
	r, err := s.passwordAuth(ctx, c, cognitoidp.AuthFlowTypeUserPasswordAuth, map[string]string{pUsername: username, pPassword: pw})
	if err != nil {
		return nil, err
	}
	return hostedStep(r)
}

// HostedRespond answers a challenge of a managed-login sign-in (a Session
// HostedSignIn or an earlier HostedRespond returned), as
// RespondToAuthChallenge does; responses must carry USERNAME.
func (s *Service) HostedRespond(ctx context.Context, poolID, clientID string, challenge cognitoidp.ChallengeNameType, session string, responses map[string]string) (*HostedStep, error) {
	c, err := s.hostedCall(ctx, poolID, clientID, nil)
	if err != nil {
		return nil, err
	}
	r, err := s.respond(ctx, c, challenge, session, responses)
	if err != nil {
		return nil, err
	}
	return hostedStep(r)
}

// HostedSignInConfirmed signs in the user a sign-in name designates
// (username or alias) right after the managed login pages confirmed their
// sign-up with the code they sent (the user chose their password on the
// sign-up page a moment ago, in the same browser): the user's state and MFA
// apply as after a password.
func (s *Service) HostedSignInConfirmed(ctx context.Context, poolID, clientID, username string) (*HostedStep, error) {
	c, err := s.hostedCall(ctx, poolID, clientID, nil)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, c, username)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, c.unknownUser()
	}
	if err != nil {
		return nil, err
	}
	if err := stateError(u); err != nil {
		return nil, s.failSignIn(ctx, c, u, err, passwordChallenge(true))
	}
	r, err := s.proceed(ctx, c, c.attempt(u, cognitoidp.AuthFlowTypeUserPasswordAuth, nil))
	if err != nil {
		return nil, err
	}
	return hostedStep(r)
}

// OAuthGrant is what an OAuth grant puts in a user's tokens.
type OAuthGrant struct {
	// Scopes granted (the access token's scope; they also choose the ID
	// token's attribute claims).
	Scopes []string
	// Nonce of the authorize request ("" for none).
	Nonce string
	// AuthTime is when the user signed in (auth_time); zero: now.
	AuthTime time.Time
	// EventID of the sign-in ("" for a new one) and DeviceKey ("" for none).
	EventID, DeviceKey string
	// WithRefresh issues a refresh token (the code grant; not the implicit
	// grant).
	WithRefresh bool
	// ClientMetadata is passed to the pre token generation trigger.
	ClientMetadata map[string]string
	// ACR is the authentication levels the authorize request asked for
	// (ParseACRValues; "" for none): the tokens then carry acr and amr from
	// FirstFactor and MFAFactor (HostedStep's).
	ACR                    string
	FirstFactor, MFAFactor string
	// IdPLevel, for a federated sign-in, is the level the identity
	// provider's acr maps to (IdPLevel) and IdPAMR its amr claim; they
	// replace FirstFactor and MFAFactor.
	IdPLevel string
	IdPAMR   []string
}

// IssueOAuth mints a new token family for user u of app client clientID
// (pool poolID) from an OAuth grant: the access token carries the granted
// scopes and version 2, the ID token the nonce, at_hash and auth_time and
// the attributes the scopes allow (scopeClaims); the pre token generation
// trigger runs with source TokenGeneration_HostedAuth.
func (s *Service) IssueOAuth(ctx context.Context, poolID, clientID string, u *storage.User, g OAuthGrant) (*token.Issued, error) {
	if u == nil || u.PoolID != poolID {
		return nil, errors.New("auth: IssueOAuth needs a user of the pool")
	}
	c, err := s.adminCall(ctx, poolID, clientID, g.ClientMetadata)
	if err != nil {
		return nil, err
	}
	sub, err := s.subject(ctx, c, u, g.DeviceKey)
	if err != nil {
		return nil, err
	}
	sub.AuthTime = g.AuthTime
	sub.EventID = g.EventID
	sub.Scopes = slices.Clone(g.Scopes)
	if sub.Scopes == nil {
		sub.Scopes = []string{}
	}
	sub.Nonce = g.Nonce
	sub.AtHash = true
	sub.Version = OAuthTokenVersion
	sub.TriggerSource = TriggerHostedAuth
	sub.ClientMetadata = g.ClientMetadata
	switch {
	case g.ACR != "" && len(g.IdPLevel) == 1 && g.IdPLevel[0] >= '1' && g.IdPLevel[0] <= '4':
		sub.ACR, sub.AMR = acrClaim(c.pool, g.ACR, g.IdPLevel[0]-'0'), slices.Clone(g.IdPAMR)
	case g.ACR != "":
		sub.ACR, sub.AMR = authContext(c.pool, g.ACR, g.FirstFactor, g.MFAFactor, false)
	}
	scopeClaims(&sub)
	return s.tokens.Issue(ctx, sub, c.validity(), g.WithRefresh)
}

// RefreshOAuth is the refresh_token grant of /oauth2/token for app client
// clientID, which the endpoint has authenticated: new ID and access tokens
// of the token's family (and, with the client's refresh-token rotation, a
// new refresh token). Errors are Cognito's, as GetTokensFromRefreshToken
// answers them.
func (s *Service) RefreshOAuth(ctx context.Context, clientID, refreshToken string) (*cognitoidp.AuthenticationResultType, error) {
	c, err := s.publicCall(ctx, clientID, nil)
	if err != nil {
		return nil, err
	}
	c.hosted = true
	rotate, grace := c.client.RefreshTokenRotationEnabled()
	rec, _, err := s.tokens.UseRefresh(ctx, refreshToken, c.client.ID, false, grace, 0)
	if err != nil {
		return nil, err
	}
	u, err := s.refreshUser(ctx, c, rec)
	if err != nil {
		return nil, err
	}
	if rec.DeviceKey != "" {
		// The token endpoint names no device; a device's tokens refresh
		// through the API (unverified).
		return nil, cognitoidp.NewNotAuthorizedException(msgRefreshInvalid)
	}
	next := ""
	if rotate {
		if rec, next, err = s.tokens.UseRefresh(ctx, refreshToken, c.client.ID, true, grace, c.client.RefreshTokenValidity()); err != nil {
			return nil, err
		}
	}
	auth, err := s.reissue(ctx, c, u, rec)
	if err != nil {
		return nil, err
	}
	if next != "" {
		auth.RefreshToken = api.Ptr(next)
	}
	return auth, nil
}

// OAuth scopes that choose the ID token's attribute claims.
const (
	scopeOpenID  = "openid"
	scopeProfile = "profile"
	scopeEmail   = "email"
	scopePhone   = "phone"
)

// ScopeAttributes returns the user attributes the OIDC scopes release (the
// ID token's and /oauth2/userInfo's claims), from attrs, the attributes
// the app client may read: with openid and no other OIDC scope, or with
// profile, all of them; otherwise email and email_verified for email, and
// phone_number and phone_number_verified for phone (developer guide,
// "Scopes, M2M, and APIs with resource servers"). Without openid, attrs as
// they are (tokens of API sign-ins).
func ScopeAttributes(attrs map[string]string, scopes []string) map[string]string {
	if !slices.Contains(scopes, scopeOpenID) || slices.Contains(scopes, scopeProfile) {
		return attrs
	}
	email, phone := slices.Contains(scopes, scopeEmail), slices.Contains(scopes, scopePhone)
	if !email && !phone {
		return attrs
	}
	out := make(map[string]string, 4)
	for name, v := range attrs {
		switch name {
		case "email", "email_verified":
			if email {
				out[name] = v
			}
		case "phone_number", "phone_number_verified":
			if phone {
				out[name] = v
			}
		}
	}
	return out
}

// scopeClaims limits sub's attribute claims to its scopes (ScopeAttributes),
// keeping a federated user's identities claim.
func scopeClaims(sub *token.Subject) {
	if sub.Identities == "" {
		sub.Identities = sub.Attributes["identities"]
	}
	sub.Attributes = ScopeAttributes(sub.Attributes, sub.Scopes)
}

// String keeps HostedStep's session and user out of logs.
func (h *HostedStep) String() string {
	return fmt.Sprintf("auth.HostedStep{challenge:%s done:%t}", h.Challenge, h.Done())
}

// UserInfo returns the /oauth2/userInfo claims of user username (internal
// username) for app client clientID and the access token's scopes: sub, the
// attributes the client may read that the scopes release (ScopeAttributes),
// as strings, and username. A user who is gone or disabled is
// NotAuthorizedException.
func (s *Service) UserInfo(ctx context.Context, poolID, clientID, username string, scopes []string) (map[string]string, error) {
	c, err := s.adminCall(ctx, poolID, clientID, nil)
	if err != nil {
		return nil, err
	}
	u, err := s.getUser(ctx, c, username)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewNotAuthorizedException(msgUserNotFound)
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, cognitoidp.NewNotAuthorizedException(msgDisabled)
	}
	sub, err := s.subject(ctx, c, u, "")
	if err != nil {
		return nil, err
	}
	out := ScopeAttributes(sub.Attributes, scopes)
	info := make(map[string]string, len(out)+2)
	for k, v := range out {
		info[k] = v
	}
	info["sub"] = u.Sub
	info["username"] = u.Username
	return info, nil
}
