package trigger

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/token"
)

// Pre token generation trigger sources (developer guide, "Pre token
// generation Lambda trigger"). ClientCredentials is sent to V3_0 functions
// only.
const (
	SourceTokenHostedAuth           = "TokenGeneration_HostedAuth"
	SourceTokenAuthentication       = "TokenGeneration_Authentication"
	SourceTokenNewPasswordChallenge = "TokenGeneration_NewPasswordChallenge"
	SourceTokenAuthenticateDevice   = "TokenGeneration_AuthenticateDevice"
	SourceTokenRefreshTokens        = "TokenGeneration_RefreshTokens"
	SourceTokenClientCredentials    = "TokenGeneration_ClientCredentials"
)

// Pre token generation event versions (PreTokenGenerationLambdaVersionType).
const (
	PreTokenV1 = "V1_0"
	PreTokenV2 = "V2_0"
	PreTokenV3 = "V3_0"
)

// PreTokenFunction returns the pool's pre token generation function and its
// event version: PreTokenGenerationConfig when set, else the legacy
// PreTokenGeneration member with V1_0. arn is "" when the pool has none.
func PreTokenFunction(pool *cognitoidp.UserPoolType) (arn, version string) {
	lc := lambdaConfig(pool)
	if c := lc.PreTokenGenerationConfig; c != nil && arnOf(c.LambdaArn) != "" {
		v := defaultPreTokenVersion
		if c.LambdaVersion != nil && *c.LambdaVersion != "" {
			v = string(*c.LambdaVersion)
		}
		return *c.LambdaArn, v
	}
	return arnOf(lc.PreTokenGeneration), defaultPreTokenVersion
}

// PreTokenInput is what a pre token generation event tells: the user (or,
// for client credentials, nobody), the group claims and scopes the tokens
// would carry.
type PreTokenInput struct {
	// Source is one of the TokenGeneration_* sources.
	Source         string
	Username       string
	UserAttributes map[string]string
	Groups, Roles  []string
	PreferredRole  string
	// Scopes are the access token's scopes (sent to V2_0 and V3_0 functions).
	Scopes []string
	Caller
}

// PreTokenResult is a function's answer, ready for the token service.
type PreTokenResult struct {
	// ID and Access change the claims of each token (V1_0 answers change
	// the ID token only). Protected claims are already left out.
	ID, Access token.Override
	// Groups, when not nil, replaces the group claims (cognito:groups,
	// cognito:roles, cognito:preferred_role); a function that answered a null
	// or empty groupOverrideDetails removes them.
	Groups *GroupConfiguration
	// Scopes, when ScopesChanged, are the access token's scopes after
	// scopesToAdd and scopesToSuppress.
	Scopes        []string
	ScopesChanged bool
}

// PreTokenGeneration runs the pool's pre token generation trigger and
// returns the changes it asks for; (nil, nil) when the pool has none, or
// when its version does not serve the source (client credentials tokens
// are customized by V3_0 functions only).
func (s *Service) PreTokenGeneration(ctx context.Context, pool *cognitoidp.UserPoolType, in *PreTokenInput) (*PreTokenResult, error) {
	arn, version := PreTokenFunction(pool)
	if arn == "" {
		return nil, nil
	}
	src := in.Source
	if src == "" {
		src = SourceTokenAuthentication
	}
	if src == SourceTokenClientCredentials && version != PreTokenV3 {
		return nil, nil
	}
	req := PreTokenRequest{
		UserAttributes: nonNil(in.UserAttributes),
		GroupConfiguration: GroupConfiguration{
			GroupsToOverride:   nonNilList(in.Groups),
			IAMRolesToOverride: nonNilList(in.Roles),
		},
		ClientMetadata: in.ClientMetadata,
	}
	if in.PreferredRole != "" {
		req.GroupConfiguration.PreferredRole = ptr(in.PreferredRole)
	}
	var userName *string
	if in.Username != "" {
		userName = ptr(in.Username)
	}
	if version == PreTokenV1 {
		ev := &Event[PreTokenRequest, PreTokenResponseV1]{
			Version: eventVersion1, TriggerSource: src, UserPoolID: poolID(pool), UserName: userName,
			CallerContext: callerContext(ctx, in.Caller), Request: req,
		}
		out := &PreTokenResponseV1{}
		if err := call(ctx, s, namePreTokenGeneration, arn, ev, out); err != nil {
			return nil, err
		}
		return resultV1(out)
	}
	req.Scopes = nonNilList(in.Scopes)
	evVersion := eventVersion2
	if version == PreTokenV3 {
		evVersion = eventVersion3
	}
	ev := &Event[PreTokenRequest, PreTokenResponseV2]{
		Version: evVersion, TriggerSource: src, UserPoolID: poolID(pool), UserName: userName,
		CallerContext: callerContext(ctx, in.Caller), Request: req,
	}
	out := &PreTokenResponseV2{}
	if err := call(ctx, s, namePreTokenGeneration, arn, ev, out); err != nil {
		return nil, err
	}
	return resultV2(out, in.Scopes)
}

// resultV1 reads a V1_0 answer: claim values are strings (a value of
// another JSON type is taken as its JSON text (unverified)).
func resultV1(out *PreTokenResponseV1) (*PreTokenResult, error) {
	r := &PreTokenResult{}
	d := out.ClaimsOverrideDetails
	if d == nil {
		return r, nil
	}
	r.ID = override(d.ClaimsToAddOrOverride, d.ClaimsToSuppress, true)
	g, err := groupOverride(d.GroupOverrideDetails)
	if err != nil {
		return nil, err
	}
	r.Groups = g
	return r, nil
}

// resultV2 reads a V2_0/V3_0 answer: claim values of any JSON type.
func resultV2(out *PreTokenResponseV2, scopes []string) (*PreTokenResult, error) {
	r := &PreTokenResult{}
	d := out.ClaimsAndScopeOverrideDetails
	if d == nil {
		return r, nil
	}
	if t := d.IDTokenGeneration; t != nil {
		r.ID = override(t.ClaimsToAddOrOverride, t.ClaimsToSuppress, false)
	}
	if t := d.AccessTokenGeneration; t != nil {
		r.Access = override(t.ClaimsToAddOrOverride, t.ClaimsToSuppress, false)
		if len(t.ScopesToAdd) > 0 || len(t.ScopesToSuppress) > 0 {
			next := slices.Clone(scopes)
			for _, sc := range t.ScopesToAdd {
				if sc != "" && !slices.Contains(next, sc) {
					next = append(next, sc)
				}
			}
			next = slices.DeleteFunc(next, func(sc string) bool { return slices.Contains(t.ScopesToSuppress, sc) })
			r.Scopes, r.ScopesChanged = nonNilList(next), true
		}
	}
	g, err := groupOverride(d.GroupOverrideDetails)
	if err != nil {
		return nil, err
	}
	r.Groups = g
	return r, nil
}

// override builds a token.Override without the protected claims;
// asStrings turns every value into a string (V1_0).
func override(add map[string]json.RawMessage, suppress []string, asStrings bool) token.Override {
	var o token.Override
	for name, raw := range add {
		if slices.Contains(protectedClaims, name) || len(raw) == 0 {
			continue
		}
		if o.Add == nil {
			o.Add = map[string]any{}
		}
		if asStrings {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				s = string(bytes.TrimSpace(raw))
			}
			o.Add[name] = s
			continue
		}
		o.Add[name] = json.RawMessage(slices.Clone(raw))
	}
	for _, name := range suppress {
		if !slices.Contains(protectedClaims, name) {
			o.Suppress = append(o.Suppress, name)
		}
	}
	return o
}

// groupOverride reads groupOverrideDetails: absent keeps the groups (nil),
// null clears them, an object replaces them.
func groupOverride(raw json.RawMessage) (*GroupConfiguration, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	g := &GroupConfiguration{}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return g, nil
	}
	if err := json.Unmarshal(raw, g); err != nil {
		return nil, cognitoidp.NewInvalidLambdaResponseException(msgUnrecognizable)
	}
	return g, nil
}

func nonNilList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
