package auth

import (
	"context"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/account"
)

// passwordChallenge is the auth event's record of the password check.
func passwordChallenge(ok bool) cognitoidp.ChallengeResponseType {
	r := cognitoidp.ChallengeResponseFailure
	if ok {
		r = cognitoidp.ChallengeResponseSuccess
	}
	return cognitoidp.ChallengeResponseType{
		ChallengeName:     api.Ptr(cognitoidp.ChallengeNamePassword),
		ChallengeResponse: api.Ptr(r),
	}
}

// factorChallenge is the auth event's record of a first factor: "Password"
// for a password, "Mfa" for a one-time password or a passkey (defaults.go).
func factorChallenge(factor string, ok bool) cognitoidp.ChallengeResponseType {
	c := passwordChallenge(ok)
	if factor != "" && factor != FactorPassword {
		c.ChallengeName = api.Ptr(cognitoidp.ChallengeNameMfa)
	}
	return c
}

// recordSignIn records a sign-in attempt of u with where it came from
// (call.origin) and returns the event id, "" when none was recorded.
func (s *Service) recordSignIn(ctx context.Context, c *call, u *storage.User, pass bool, challenges ...cognitoidp.ChallengeResponseType) (string, error) {
	return s.recordSignInRisk(ctx, c, u, pass, nil, challenges...)
}

// recordSignInRisk is recordSignIn with threat protection's assessment of
// the sign-in (nil: none, the event shows no risk).
func (s *Service) recordSignInRisk(ctx context.Context, c *call, u *storage.User, pass bool, risk *cognitoidp.EventRiskType, challenges ...cognitoidp.ChallengeResponseType) (string, error) {
	if s.events == nil || u == nil {
		return "", nil
	}
	resp := cognitoidp.EventResponseTypeFail
	if pass {
		resp = cognitoidp.EventResponseTypePass
	}
	return s.events.RecordEvent(ctx, c.pool, u, account.Event{
		Type:       cognitoidp.EventTypeSignin,
		Response:   resp,
		Risk:       risk,
		Challenges: challenges,
		Context:    c.origin(ctx),
	})
}

// failSignIn records a failed attempt and returns answer (or the recording's
// own failure).
func (s *Service) failSignIn(ctx context.Context, c *call, u *storage.User, answer error, challenges ...cognitoidp.ChallengeResponseType) error {
	if _, err := s.recordSignIn(ctx, c, u, false, challenges...); err != nil {
		return err
	}
	return answer
}

// origin describes where a sign-in came from for its auth event: the
// client's IP address and user agent (as DeviceName, unverified: Cognito
// shows a browser and platform it derives from the user agent). Admin
// operations take them from ContextData when the server sent it, public ones
// from the HTTP request.
func (c *call) origin(ctx context.Context) *cognitoidp.EventContextDataType {
	info := awsjson.Info(ctx)
	ip, agent := info.RemoteIP, ""
	if info.Header != nil {
		agent = info.Header.Get("User-Agent")
	}
	if info.UserAgent != "" {
		agent = info.UserAgent
	}
	if cd := c.contextData; cd != nil {
		if v := api.Deref(cd.IpAddress); v != "" {
			ip = v
		}
		for _, h := range cd.HttpHeaders {
			if strings.EqualFold(api.Deref(h.HeaderName), "User-Agent") && api.Deref(h.HeaderValue) != "" {
				agent = api.Deref(h.HeaderValue)
			}
		}
	}
	if ip == "" && agent == "" {
		return nil
	}
	out := &cognitoidp.EventContextDataType{}
	if ip != "" {
		out.IpAddress = api.Ptr(ip)
	}
	if agent != "" {
		out.DeviceName = api.Ptr(agent)
	}
	return out
}
