package auth

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Authentication levels (ACR) of choice-based sign-in: USER_AUTH's
// TARGET_ACR_VALUES names, in priority order, the levels of the pool's
// AcrConfiguration the app wants the user to reach; the sign-in offers only
// the first factors that reach the highest-priority level the user can
// satisfy (falling back through the list), and its tokens carry acr (the
// level reached) and amr (the methods used). The rules and their evidence
// are in defaults.go.
//
// A sign-in's requested levels travel through its sessions as a string of
// level digits in priority order ("42": Level4, then Level2).

// acrRequest parses TARGET_ACR_VALUES, MAX_AGE and ACCESS_TOKEN of a
// USER_AUTH request: the requested levels ("" for none) or the error
// Cognito answers.
func (s *Service) acrRequest(ctx context.Context, c *call, name string, params map[string]string) (string, error) {
	target, maxAge, token := params[pTargetACR], params[pMaxAge], params[pAccessToken]
	if maxAge != "" {
		if n, err := strconv.ParseInt(maxAge, 10, 64); err != nil || n < 0 {
			return "", cognitoidp.NewInvalidParameterException(msgMaxAge)
		}
	}
	if target == "" {
		if token != "" {
			return "", cognitoidp.NewInvalidParameterException(msgAccessTokenWithoutACR)
		}
		return "", nil
	}
	if api.Deref(c.pool.UserPoolTier) == cognitoidp.UserPoolTierTypeLite {
		return "", cognitoidp.NewFeatureUnavailableInTierException(msgACRTier)
	}
	levels := ParseACRValues(c.pool, target)
	if levels == "" {
		return "", cognitoidp.NewInvalidParameterException(msgACRNoneValid)
	}
	if token != "" {
		// Step-up from an existing session: the token must be the user's.
		// Cogito gives it no credit: every sign-in authenticates afresh, as
		// Cognito does once MAX_AGE has passed (defaults.go).
		if s.authn == nil {
			return "", cognitoidp.NewNotAuthorizedException(msgAccessTokenUser)
		}
		caller, err := s.authn(ctx, &token)
		if err != nil {
			return "", err
		}
		if caller.Pool == nil || api.Deref(caller.Pool.Id) != c.poolID() || caller.User == nil || !s.namesUser(ctx, c, name, caller.User.Username) {
			return "", cognitoidp.NewNotAuthorizedException(msgAccessTokenUser)
		}
	}
	return levels, nil
}

// namesUser reports whether the sign-in name resolves to the internal
// username username.
func (s *Service) namesUser(ctx context.Context, c *call, name, username string) bool {
	u, err := s.findUser(ctx, c, name)
	return err == nil && u.Username == username
}

// levelName is "Level<n>".
func levelName(n byte) string { return "Level" + string('0'+n) }

// factorLevel is the highest level a first factor can reach for a user with
// MFA rule rule: a password the level of the MFA that follows it, a
// one-time password one factor, a passkey more (defaults.go).
func factorLevel(f cognitoidp.ChallengeNameType, rule MFARule) byte {
	switch f {
	case cognitoidp.ChallengeNameTypePassword, cognitoidp.ChallengeNameTypePasswordSrp:
		if rule.Required {
			return levelMFA
		}
	case cognitoidp.ChallengeNameTypeWebAuthn:
		if rule.PasskeyMFA {
			return levelPasskeyMFA
		}
		return levelPasskey
	}
	return levelOneFactor
}

// reachable filters list to the first factors that reach the
// highest-priority requested level any of them reaches; none:
// msgACRUnreachable.
func reachable(list []cognitoidp.ChallengeNameType, rule MFARule, levels string) ([]cognitoidp.ChallengeNameType, error) {
	for i := range len(levels) {
		want := levels[i] - '0'
		var out []cognitoidp.ChallengeNameType
		for _, f := range list {
			if factorLevel(f, rule) >= want {
				out = append(out, f)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, cognitoidp.NewNotAuthorizedException(msgACRUnreachable)
}

// authContext is the acr and amr claims of a finished sign-in that asked
// for levels: amr from the first factor, the MFA factor answered and
// passkey MFA; acr the pool's name for the highest-priority requested level
// the sign-in reached, else for the level it reached.
func authContext(pool *cognitoidp.UserPoolType, levels, first, mfaFactor string, passkeyMFA bool) (string, []string) {
	var amr []string
	add := func(m string) {
		if m != "" && !slices.Contains(amr, m) {
			amr = append(amr, m)
		}
	}
	add(amrFactor[first])
	add(amrFactor[mfaFactor])
	reached := levelOneFactor
	switch {
	case first == FactorWebAuthn && passkeyMFA:
		reached = levelPasskeyMFA
		add(amrUserVerified)
		add(amrMFA)
	case first == FactorWebAuthn:
		reached = levelPasskey
	case mfaFactor != "":
		reached = levelMFA
		add(amrMFA)
	}
	return acrClaim(pool, levels, reached), amr
}

// acrClaim is the pool's name for the highest-priority requested level
// reached, else for the level reached.
func acrClaim(pool *cognitoidp.UserPoolType, levels string, reached byte) string {
	level := reached
	for i := range len(levels) {
		if n := levels[i] - '0'; n <= reached {
			level = n
			break
		}
	}
	eff := pools.EffectiveACR(pool.AcrConfiguration)
	return api.Deref(eff[levelName(level)].AcrValue)
}

// IdPLevel is the level ("1".."4") of the ACR value an identity provider
// returned, through its AcrMapping (level -> the IdP's value); a value that
// isn't mapped (or none) is the lowest level (documented).
func IdPLevel(p *cognitoidp.IdentityProviderType, idpACR string) string {
	best := levelOneFactor
	for n := byte(1); n <= 4; n++ {
		if v, ok := p.AcrMapping[levelName(n)]; ok && idpACR != "" && v == idpACR && n > best {
			best = n
		}
	}
	return string('0' + best)
}

// IdPACRValues is the acr_values to send an identity provider for the
// requested levels (ParseACRValues's digits), through its AcrMapping, in
// the same order; "" when none of them is mapped.
func IdPACRValues(p *cognitoidp.IdentityProviderType, levels string) string {
	var out []string
	for i := range len(levels) {
		if v := p.AcrMapping[levelName(levels[i]-'0')]; v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return strings.Join(out, " ")
}

// resolveACR works out the acr and amr claims of sign-in a, which asked for
// levels, once its last step (step, nil for none) is done.
func (s *Service) resolveACR(ctx context.Context, c *call, a *Attempt, step *Step) error {
	passkeyMFA := false
	if a.FirstFactor == FactorWebAuthn {
		rule, err := s.mfaRule(ctx, c, a.User)
		if err != nil {
			return err
		}
		passkeyMFA = rule.PasskeyMFA
	}
	mfaFactor := ""
	if step != nil {
		mfaFactor = step.MFAFactor
	}
	a.acrClaim, a.amrClaim = authContext(c.pool, a.acr, a.FirstFactor, mfaFactor, passkeyMFA)
	return nil
}

// ParseACRValues maps an authorize request's acr_values (space-separated,
// priority order) to the levels of pool's AcrConfiguration they name, as
// TARGET_ACR_VALUES is read: unknown values are ignored; "" when none is
// valid.
func ParseACRValues(pool *cognitoidp.UserPoolType, values string) string {
	eff := pools.EffectiveACR(pool.AcrConfiguration)
	var levels []byte
	for _, v := range strings.Fields(values) {
		for n := byte(1); n <= 4; n++ {
			if api.Deref(eff[levelName(n)].AcrValue) == v && !slices.Contains(levels, '0'+n) {
				levels = append(levels, '0'+n)
			}
		}
	}
	return string(levels)
}
