package clients

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// spec is the configuration a CreateUserPoolClient or UpdateUserPoolClient
// request carries (the members the two share).
type spec struct {
	RefreshTokenValidity                     int32
	AccessTokenValidity                      *int32
	IdTokenValidity                          *int32
	TokenValidityUnits                       *cognitoidp.TokenValidityUnitsType
	ReadAttributes                           []string
	WriteAttributes                          []string
	ExplicitAuthFlows                        []cognitoidp.ExplicitAuthFlowsType
	SupportedIdentityProviders               []string
	CallbackURLs                             []string
	LogoutURLs                               []string
	DefaultRedirectURI                       *string
	AllowedOAuthFlows                        []cognitoidp.OAuthFlowType
	AllowedOAuthScopes                       []string
	AllowedOAuthFlowsUserPoolClient          bool
	AnalyticsConfiguration                   *cognitoidp.AnalyticsConfigurationType
	PreventUserExistenceErrors               *cognitoidp.PreventUserExistenceErrorTypes
	EnableTokenRevocation                    *bool
	EnablePropagateAdditionalUserContextData *bool
	AuthSessionValidity                      *int32
	RefreshTokenRotation                     *cognitoidp.RefreshTokenRotationType
}

// verb names the operation in messages that say "while creating a client".
type verb string

const (
	creating verb = "creating"
	updating verb = "updating"
)

// buildSettings validates sp against the pool and returns the settings to
// store: what DescribeUserPoolClient will show, every default applied. A
// member the request leaves out gets its default, so an update resets it, as
// Cognito does. hasSecret says whether the client has (or will have) a secret.
func (s *Service) buildSettings(ctx context.Context, pool *poolInfo, sp *spec, hasSecret bool, v verb) (cognitoidp.UserPoolClientType, error) {
	var t cognitoidp.UserPoolClientType

	if err := checkTokenValidity(sp); err != nil {
		return t, err
	}
	t.RefreshTokenValidity = sp.RefreshTokenValidity
	if t.RefreshTokenValidity == 0 {
		unit := unitOf(sp.TokenValidityUnits, func(u *cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType { return u.RefreshToken }, defaultRefreshTokenUnit)
		// 30 days, in the unit the client chose (unverified: how the service shows it for units other than days).
		t.RefreshTokenValidity = int32(DefaultRefreshTokenValidityDays * 24 * time.Hour / unitDuration(unit))
	}
	t.AccessTokenValidity = sp.AccessTokenValidity
	t.IdTokenValidity = sp.IdTokenValidity
	if showEmptyTokenValidityUnits {
		t.TokenValidityUnits = &cognitoidp.TokenValidityUnitsType{}
	}
	if sp.TokenValidityUnits != nil {
		u := *sp.TokenValidityUnits
		t.TokenValidityUnits = &u
	}

	flows, err := checkAuthFlows(pool, sp.ExplicitAuthFlows)
	if err != nil {
		return t, err
	}
	t.ExplicitAuthFlows = flows

	if err := checkAttributes(pool, sp, v); err != nil {
		return t, err
	}
	// Cognito only shows ReadAttributes / WriteAttributes the client chose.
	t.ReadAttributes = nonEmpty(sp.ReadAttributes)
	t.WriteAttributes = nonEmpty(sp.WriteAttributes)

	if err := s.checkProviders(ctx, pool, sp.SupportedIdentityProviders); err != nil {
		return t, err
	}
	t.SupportedIdentityProviders = nonEmpty(sp.SupportedIdentityProviders)

	if err := s.checkOAuth(ctx, pool, sp, hasSecret); err != nil {
		return t, err
	}
	t.CallbackURLs = nonEmpty(sp.CallbackURLs)
	t.LogoutURLs = nonEmpty(sp.LogoutURLs)
	t.DefaultRedirectURI = sp.DefaultRedirectURI
	t.AllowedOAuthFlows = nonEmpty(sp.AllowedOAuthFlows)
	t.AllowedOAuthScopes = nonEmpty(sp.AllowedOAuthScopes)
	t.AllowedOAuthFlowsUserPoolClient = api.Ptr(sp.AllowedOAuthFlowsUserPoolClient)

	if sp.AnalyticsConfiguration != nil {
		a := *sp.AnalyticsConfiguration
		t.AnalyticsConfiguration = &a
	}
	t.PreventUserExistenceErrors = sp.PreventUserExistenceErrors

	t.EnableTokenRevocation = api.Ptr(DefaultEnableTokenRevocation)
	if sp.EnableTokenRevocation != nil {
		t.EnableTokenRevocation = api.Ptr(*sp.EnableTokenRevocation)
	}
	t.EnablePropagateAdditionalUserContextData = api.Ptr(DefaultEnablePropagateAdditionalUserContextData)
	if sp.EnablePropagateAdditionalUserContextData != nil {
		if *sp.EnablePropagateAdditionalUserContextData && !hasSecret {
			return t, cognitoidp.NewInvalidParameterException(msgContextDataNeedsSecret)
		}
		t.EnablePropagateAdditionalUserContextData = api.Ptr(*sp.EnablePropagateAdditionalUserContextData)
	}
	t.AuthSessionValidity = api.Ptr(int32(DefaultAuthSessionValidity))
	if sp.AuthSessionValidity != nil {
		t.AuthSessionValidity = api.Ptr(*sp.AuthSessionValidity)
	}
	if sp.RefreshTokenRotation != nil {
		r := *sp.RefreshTokenRotation
		t.RefreshTokenRotation = &r
	}
	t.ClientType = api.Ptr(ClientTypeRegular)
	return t, nil
}

func nonEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// checkTokenValidity applies Cognito's ranges in the chosen units: access and
// ID tokens 5 minutes to 1 day, refresh tokens 60 minutes to 10 years, and
// neither access nor ID token outliving the refresh token (see
// tokensWithinRefreshValidity).
func checkTokenValidity(sp *spec) error {
	units := sp.TokenValidityUnits
	if units != nil {
		for _, u := range []*cognitoidp.TimeUnitsType{units.AccessToken, units.IdToken, units.RefreshToken} {
			if u != nil && unitDuration(*u) == 0 {
				return cognitoidp.NewInvalidParameterException(msgInvalidTokenValidity)
			}
		}
	}
	access := validity(sp.AccessTokenValidity, unitOf(units, func(u *cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType { return u.AccessToken }, defaultAccessTokenUnit), DefaultAccessTokenValidity)
	id := validity(sp.IdTokenValidity, unitOf(units, func(u *cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType { return u.IdToken }, defaultIDTokenUnit), DefaultIDTokenValidity)
	refresh := time.Duration(DefaultRefreshTokenValidityDays) * 24 * time.Hour
	if sp.RefreshTokenValidity != 0 {
		v := sp.RefreshTokenValidity
		refresh = validity(&v, unitOf(units, func(u *cognitoidp.TokenValidityUnitsType) *cognitoidp.TimeUnitsType { return u.RefreshToken }, defaultRefreshTokenUnit), 0)
	}
	bad := func(d, lo, hi time.Duration) bool { return d < lo || d > hi }
	if bad(access, minAccessTokenValidity, maxAccessTokenValidity) ||
		bad(id, minAccessTokenValidity, maxAccessTokenValidity) ||
		bad(refresh, minRefreshTokenValidity, maxRefreshTokenValidity) ||
		(tokensWithinRefreshValidity && (access > refresh || id > refresh)) {
		return cognitoidp.NewInvalidParameterException(msgInvalidTokenValidity)
	}
	return nil
}

// legacyFlows are the ExplicitAuthFlows values from before the ALLOW_ prefix.
var legacyFlows = []cognitoidp.ExplicitAuthFlowsType{
	cognitoidp.ExplicitAuthFlowsTypeAdminNoSrpAuth,
	cognitoidp.ExplicitAuthFlowsTypeCustomAuthFlowOnly,
	cognitoidp.ExplicitAuthFlowsTypeUserPasswordAuth,
}

func usesLegacyFlows(flows []cognitoidp.ExplicitAuthFlowsType) bool {
	for _, f := range flows {
		if slices.Contains(legacyFlows, f) {
			return true
		}
	}
	return false
}

// checkAuthFlows returns the flows to store: the request's, or the default set
// when it sends none (see emptyAuthFlowsMeanDefault).
func checkAuthFlows(pool *poolInfo, flows []cognitoidp.ExplicitAuthFlowsType) ([]cognitoidp.ExplicitAuthFlowsType, error) {
	if flows == nil || (emptyAuthFlowsMeanDefault && len(flows) == 0) {
		return slices.Clone(DefaultExplicitAuthFlows), nil
	}
	legacy, allow := 0, 0
	for _, f := range flows {
		if slices.Contains(legacyFlows, f) {
			legacy++
		} else {
			allow++
		}
	}
	if legacy > 0 && allow > 0 {
		return nil, cognitoidp.NewInvalidParameterException(msgMixedAuthFlows)
	}
	if slices.Contains(flows, cognitoidp.ExplicitAuthFlowsTypeAllowUserAuth) && pool.tier == cognitoidp.UserPoolTierTypeLite {
		return nil, cognitoidp.NewFeatureUnavailableInTierException(msgUserAuthTier)
	}
	return slices.Clone(flows), nil
}

// checkAttributes checks ReadAttributes and WriteAttributes against the pool's
// schema: every name must be an attribute of the pool that app clients may
// see (not developer-only), sub is never writable, and a client that lists
// write attributes must be able to write every required attribute (see
// requireWritableRequiredAttributes).
func checkAttributes(pool *poolInfo, sp *spec, v verb) error {
	for _, a := range sp.ReadAttributes {
		if !pool.readableAttribute(a) {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgInvalidReadAttributes, v))
		}
	}
	if len(sp.WriteAttributes) == 0 {
		return nil
	}
	for _, a := range sp.WriteAttributes {
		if !pool.writableAttribute(a) {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgInvalidWriteAttributes, v))
		}
	}
	if !requireWritableRequiredAttributes {
		return nil
	}
	for _, req := range pool.requiredAttributes() {
		if !slices.Contains(sp.WriteAttributes, req) {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgInvalidWriteAttributes, v))
		}
	}
	return nil
}

// checkProviders checks SupportedIdentityProviders: COGNITO, or an identity
// provider the pool has.
func (s *Service) checkProviders(ctx context.Context, pool *poolInfo, names []string) error {
	for _, name := range names {
		if name == ProviderCognito {
			continue
		}
		ok := false
		if s.providerExists != nil {
			var err error
			if ok, err = s.providerExists(ctx, pool.id, name); err != nil {
				return err
			}
		}
		if !ok {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgProviderNotFound, name, pool.id))
		}
	}
	return nil
}

// checkOAuth checks the OAuth flows, scopes and redirect URLs.
func (s *Service) checkOAuth(ctx context.Context, pool *poolInfo, sp *spec, hasSecret bool) error {
	if sp.AllowedOAuthFlowsUserPoolClient && (len(sp.AllowedOAuthFlows) == 0 || len(sp.AllowedOAuthScopes) == 0) {
		return cognitoidp.NewInvalidParameterException(msgOAuthFlowsAndScopesRequired)
	}
	clientCredentials := slices.Contains(sp.AllowedOAuthFlows, cognitoidp.OAuthFlowTypeClientCredentials)
	userFlows := slices.Contains(sp.AllowedOAuthFlows, cognitoidp.OAuthFlowTypeCode) ||
		slices.Contains(sp.AllowedOAuthFlows, cognitoidp.OAuthFlowTypeImplicit)
	if clientCredentials {
		if userFlows {
			return cognitoidp.NewInvalidOAuthFlowException(msgClientCredentialsMixed)
		}
		if !hasSecret {
			return cognitoidp.NewInvalidOAuthFlowException(msgClientCredentialsNeedsSecret)
		}
		for _, sc := range sp.AllowedOAuthScopes {
			if slices.Contains(SystemScopes, sc) {
				return cognitoidp.NewInvalidOAuthFlowException(fmt.Sprintf(msgScopeNotWithClientCredentials, sc))
			}
		}
	}
	if userFlows && len(sp.CallbackURLs) == 0 {
		return cognitoidp.NewInvalidOAuthFlowException(msgCallbackURLsRequired)
	}
	for _, sc := range sp.AllowedOAuthScopes {
		if err := s.checkScope(ctx, pool, sc); err != nil {
			return err
		}
	}
	for _, u := range sp.CallbackURLs {
		if err := checkRedirectURL(u); err != nil {
			return err
		}
	}
	for _, u := range sp.LogoutURLs {
		if err := checkRedirectURL(u); err != nil {
			return err
		}
	}
	if sp.DefaultRedirectURI != nil {
		if err := checkRedirectURL(*sp.DefaultRedirectURI); err != nil {
			return err
		}
		if !slices.Contains(sp.CallbackURLs, *sp.DefaultRedirectURI) {
			return cognitoidp.NewInvalidParameterException(msgDefaultRedirectNotInCallbacks)
		}
	}
	return nil
}

// checkScope accepts a system scope or a custom scope
// "{resourceServerIdentifier}/{scopeName}" that the pool defines.
func (s *Service) checkScope(ctx context.Context, pool *poolInfo, scope string) error {
	if slices.Contains(SystemScopes, scope) || scope == DCRRegisterScope {
		return nil
	}
	i := strings.LastIndexByte(scope, '/')
	ok := i > 0 && i < len(scope)-1
	if ok && s.scopeExists != nil {
		var err error
		if ok, err = s.scopeExists(ctx, pool.id, scope); err != nil {
			return err
		}
	}
	if !ok {
		return cognitoidp.NewScopeDoesNotExistException(fmt.Sprintf(msgInvalidScope, scope))
	}
	return nil
}

// CheckRedirectURL is checkRedirectURL for the registration endpoint, which
// answers its own errors.
func CheckRedirectURL(raw string) error { return checkRedirectURL(raw) }

// checkRedirectURL applies Cognito's rules for callback and sign-out URLs: an
// absolute URI without a fragment; HTTPS, or HTTP only to the loopback hosts
// localhost, 127.0.0.1 and [::1] (any port); app schemes such as
// myapp://example are allowed.
func checkRedirectURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgURLNotAbsolute, raw))
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgURLFragment, raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
			return nil
		}
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgHTTPNotAllowed, raw))
	case "https":
		if u.Host == "" {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgURLNotAbsolute, raw))
		}
	}
	return nil
}
