package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/risk"
)

// Threat protection in sign-in (internal/userpool/risk): once a sign-in's
// first factor passed, the pool's risk configuration is applied to it
// (AssessSignIn): a blocked sign-in is refused (for compromised credentials
// the user becomes RESET_REQUIRED first), an MFA demand goes to the NextStep
// hook as Attempt.RiskMFA, and the decision is recorded in the sign-in's
// auth event (EventRisk) and, when the configuration says so, mailed to the
// user with one-click feedback links (Notify). The decision travels in the
// sign-in's Sessions (riskNote) until the sign-in ends.

// Risk is threat protection as sign-in uses it (*risk.Service).
type Risk interface {
	AssessSignIn(ctx context.Context, in risk.SignIn) (*risk.Decision, error)
	Notify(ctx context.Context, in risk.NotifyInput) error
	CheckPassword(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, password string) (compromised bool, err error)
}

// riskNote is what threat protection decided about a sign-in in progress;
// it is sealed into the sign-in's Sessions, so keep it small.
type riskNote struct {
	MFA         string `json:"m,omitempty"`
	Decision    string `json:"d,omitempty"`
	Level       string `json:"l,omitempty"`
	Compromised bool   `json:"c,omitempty"`
	Notify      bool   `json:"n,omitempty"`
	Action      string `json:"a,omitempty"`
}

// noteOf keeps what sign-in needs of a decision.
func noteOf(d *risk.Decision) *riskNote {
	n := &riskNote{MFA: d.MFA, Level: d.Level, Compromised: d.Compromised, Notify: d.Notify, Action: string(d.Action)}
	if d.Risk != nil {
		n.Decision = string(api.Deref(d.Risk.RiskDecision))
		if d.Risk.RiskLevel != nil {
			n.Level = string(*d.Risk.RiskLevel)
		}
		n.Compromised = api.Deref(d.Risk.CompromisedCredentialsDetected)
	}
	return n
}

// eventRisk is the auth event's EventRisk; nil for a sign-in that was not
// assessed (the event then shows no risk).
func (n *riskNote) eventRisk() *cognitoidp.EventRiskType {
	if n == nil {
		return nil
	}
	out := &cognitoidp.EventRiskType{CompromisedCredentialsDetected: api.Ptr(n.Compromised)}
	if n.Decision != "" {
		out.RiskDecision = api.Ptr(cognitoidp.RiskDecisionType(n.Decision))
	}
	if n.Level != "" {
		out.RiskLevel = api.Ptr(cognitoidp.RiskLevelType(n.Level))
	}
	return out
}

// decision rebuilds what risk.Notify reads of a decision.
func (n *riskNote) decision() *risk.Decision {
	return &risk.Decision{
		Level: n.Level, Compromised: n.Compromised, Notify: n.Notify, MFA: n.MFA,
		Action: cognitoidp.AccountTakeoverEventActionType(n.Action),
		Risk:   n.eventRisk(),
	}
}

// restoreRisk gives an Attempt rebuilt from a session the decision the
// session carries.
func (sess *session) restoreRisk(a *Attempt) {
	if sess.Risk == nil {
		return
	}
	a.risk = sess.Risk
	a.RiskMFA = sess.Risk.MFA
}

// assess applies threat protection to sign-in a, whose first factor just
// passed; pw is the plaintext password of a password flow ("" for SRP and
// passwordless sign-ins, which can't be checked for compromised
// credentials). A refused sign-in is recorded and answered with the
// decision's error.
func (s *Service) assess(ctx context.Context, c *call, a *Attempt, pw string) error {
	if s.risk == nil {
		return nil
	}
	ip := ""
	if o := c.origin(ctx); o != nil {
		ip = api.Deref(o.IpAddress)
	}
	d, err := s.risk.AssessSignIn(ctx, risk.SignIn{
		Pool: c.pool, ClientID: c.client.ID, User: a.User, IP: ip,
		// Whether the device is one the user has is only known once it
		// answered its own challenge; a sign-in naming none is new.
		NewDevice: a.DeviceKey == "",
		Password:  pw,
	})
	if err != nil || d == nil {
		return err
	}
	a.risk = noteOf(d)
	a.RiskMFA = d.MFA
	if d.Err == nil {
		return nil
	}
	if d.ResetRequired {
		if err := s.requireReset(ctx, c, a.User); err != nil {
			return err
		}
	}
	s.log.Debug("sign-in refused by threat protection", "pool", c.poolID(), "client", c.client.ID, "level", d.Level)
	return s.riskRefused(ctx, c, a, d.Err)
}

// riskRefused records sign-in a, refused by threat protection with answer
// (blocked, or MFA demanded of a user who cannot answer it), sends the
// notification its decision asks for, and returns answer.
func (s *Service) riskRefused(ctx context.Context, c *call, a *Attempt, answer error) error {
	eventID, err := s.recordSignInRisk(ctx, c, a.User, false, a.risk.eventRisk(), factorChallenge(a.FirstFactor, true))
	if err != nil {
		return err
	}
	s.notify(ctx, c, a, eventID)
	return answer
}

// requireReset puts u in RESET_REQUIRED (compromised credentials blocked
// on sign-in): the user must reset the password before signing in again.
func (s *Service) requireReset(ctx context.Context, c *call, u *storage.User) error {
	now := s.clock.Now()
	updated, err := s.store.UpdateUser(ctx, c.poolID(), u.Key, func(x *storage.User) error {
		if x.Status == string(cognitoidp.UserStatusTypeResetRequired) {
			return storage.ErrSkip
		}
		x.Status = string(cognitoidp.UserStatusTypeResetRequired)
		x.UpdatedAt = now
		return nil
	})
	if errors.Is(err, storage.ErrSkip) {
		return nil
	}
	if err != nil {
		return s.updateError(c, err)
	}
	*u = *updated
	return nil
}

// notify sends the account-takeover notification the decision of sign-in
// a asks for, about its auth event eventID. A notification that cannot be
// sent costs only the notification: the failure is logged.
func (s *Service) notify(ctx context.Context, c *call, a *Attempt, eventID string) {
	if s.risk == nil || a.risk == nil || !a.risk.Notify {
		return
	}
	in := risk.NotifyInput{
		Pool: c.pool, ClientID: c.client.ID, User: a.User, Decision: a.risk.decision(), EventID: eventID,
	}
	if o := c.origin(ctx); o != nil {
		in.IP, in.Device = api.Deref(o.IpAddress), api.Deref(o.DeviceName)
	}
	if s.feedbackLinks != nil {
		in.Links = func(id string) (string, string, error) { return s.feedbackLinks(ctx, c.poolID(), a.User, id) }
	}
	if err := s.risk.Notify(ctx, in); err != nil {
		s.log.WarnContext(ctx, "risk notification not sent", "pool", c.poolID(), "err", fmt.Sprint(err))
	}
}
