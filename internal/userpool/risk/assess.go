package risk

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Assess's look-back: the history entries weighed, and how recent a failed
// attempt must be to count.
const (
	historyWindow  = 50
	failureWindow  = 15 * time.Minute
	maxTravelSpeed = 1000.0 // km/h; faster than an airliner is impossible travel
)

// MFA demands of a Decision.
const (
	MFANone         = ""
	MFAIfConfigured = "MFA_IF_CONFIGURED"
	MFARequired     = "MFA_REQUIRED"
)

// SignIn is what Assess knows of a sign-in whose first factor just passed.
type SignIn struct {
	Pool     *cognitoidp.UserPoolType
	ClientID string
	User     *storage.User
	// IP is the end user's address (the request's source, or the
	// ContextData of an Admin* call); "" when unknown.
	IP string
	// NewDevice: the sign-in did not come from a device the user has
	// signed in with before.
	NewDevice bool
	// Password is the plaintext password of USER_PASSWORD_AUTH /
	// ADMIN_USER_PASSWORD_AUTH sign-ins, for the compromised-credentials
	// check; "" for SRP and passwordless sign-ins, which can't be checked.
	Password string
}

// Decision is what threat protection makes of a sign-in.
type Decision struct {
	Mode  cognitoidp.AdvancedSecurityModeType
	Score int
	Level string // Low, Medium, High
	// Compromised: the password is on the breached list.
	Compromised bool
	// Err, when not nil, refuses the sign-in with this error.
	Err error
	// ResetRequired: the sign-in was blocked for compromised credentials and
	// the user must now reset their password (status RESET_REQUIRED).
	ResetRequired bool
	// MFA is what the account-takeover action demands of MFA.
	MFA string
	// Notify: the configured action notifies the user by email.
	Notify bool
	// Action is the account-takeover action taken (NO_ACTION when none).
	Action cognitoidp.AccountTakeoverEventActionType
	// Risk is the auth event's EventRisk.
	Risk *cognitoidp.EventRiskType
}

// AssessSignIn evaluates a sign-in after its first factor passed. It returns
// nil when the pool has no threat protection (mode OFF). In AUDIT mode the
// decision is only recorded (Err nil, MFA none); in ENFORCED mode Err,
// ResetRequired and MFA carry the configured actions.
func (s *Service) AssessSignIn(ctx context.Context, in SignIn) (*Decision, error) {
	mode := Mode(in.Pool)
	if mode == cognitoidp.AdvancedSecurityModeTypeOff {
		return nil, nil
	}
	poolID := api.Deref(in.Pool.Id)
	rc, err := s.Effective(ctx, poolID, clientOrAll(in.ClientID))
	if err != nil {
		return nil, err
	}
	d := &Decision{Mode: mode, Level: LevelLow, Action: cognitoidp.AccountTakeoverEventActionTypeNoAction}
	enforce := mode == cognitoidp.AdvancedSecurityModeTypeEnforced

	// Risk exceptions come first: a skipped range is never evaluated, a
	// blocked one always refused.
	if ex := exceptions(rc); ex != nil && in.IP != "" {
		if inRanges(in.IP, ex.SkippedIPRangeList) {
			d.Risk = eventRisk(cognitoidp.RiskDecisionTypeNorisk, LevelLow, false)
			return d, nil
		}
		if inRanges(in.IP, ex.BlockedIPRangeList) {
			d.Level, d.Action = LevelHigh, cognitoidp.AccountTakeoverEventActionTypeBlock
			d.Risk = eventRisk(cognitoidp.RiskDecisionTypeBlock, LevelHigh, false)
			if enforce {
				d.Err = cognitoidp.NewNotAuthorizedException(msgBlocked)
			}
			return d, nil
		}
	}

	// Compromised credentials.
	if in.Password != "" && s.breached.Contains(in.Password) {
		d.Compromised = true
		if enforce && compromisedAction(rc, cognitoidp.EventFilterTypeSignIn) == cognitoidp.CompromisedCredentialsEventActionTypeBlock {
			d.ResetRequired = true
			d.Err = cognitoidp.NewPasswordResetRequiredException(msgCompromisedSignIn)
			d.Risk = eventRisk(cognitoidp.RiskDecisionTypeBlock, LevelHigh, true)
			d.Level, d.Action = LevelHigh, cognitoidp.AccountTakeoverEventActionTypeBlock
			return d, nil
		}
	}

	// Account takeover.
	d.Score, err = s.score(ctx, poolID, in)
	if err != nil {
		return nil, err
	}
	d.Level = level(d.Score)
	act := takeoverAction(rc, d.Level)
	decision := cognitoidp.RiskDecisionTypeNorisk
	if act != nil && act.EventAction != nil {
		d.Action = *act.EventAction
		d.Notify = act.Notify
	}
	if d.Level != LevelLow || d.Action != cognitoidp.AccountTakeoverEventActionTypeNoAction {
		decision = cognitoidp.RiskDecisionTypeAccounttakeover
	}
	if enforce {
		switch d.Action {
		case cognitoidp.AccountTakeoverEventActionTypeBlock:
			d.Err = cognitoidp.NewNotAuthorizedException(msgBlocked)
			decision = cognitoidp.RiskDecisionTypeBlock
		case cognitoidp.AccountTakeoverEventActionTypeMfaIfConfigured:
			d.MFA = MFAIfConfigured
		case cognitoidp.AccountTakeoverEventActionTypeMfaRequired:
			d.MFA = MFARequired
		}
	} else {
		d.Notify = false // AUDIT records, never acts
	}
	d.Risk = eventRisk(decision, d.Level, d.Compromised)
	return d, nil
}

// CheckPassword runs the compromised-credentials check of a sign-up
// (EventFilterTypeSignUp) or password change (EventFilterTypePasswordChange)
// for clientID ("" for an admin operation, which the pool configuration
// governs). It returns InvalidPasswordException when an ENFORCED pool blocks
// the password, and whether the password was found compromised (for the auth
// event).
func (s *Service) CheckPassword(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, password string) (compromised bool, err error) {
	mode := Mode(pool)
	if mode == cognitoidp.AdvancedSecurityModeTypeOff || !s.breached.Contains(password) {
		return false, nil
	}
	if mode != cognitoidp.AdvancedSecurityModeTypeEnforced {
		return true, nil
	}
	rc, err := s.Effective(ctx, api.Deref(pool.Id), clientOrAll(clientID))
	if err != nil {
		return true, err
	}
	if compromisedAction(rc, event) == cognitoidp.CompromisedCredentialsEventActionTypeBlock {
		return true, cognitoidp.NewInvalidPasswordException(msgCompromisedPassword)
	}
	return true, nil
}

// score adds up the account-takeover signals of a sign-in.
func (s *Service) score(ctx context.Context, poolID string, in SignIn) (int, error) {
	score := 0
	if in.NewDevice {
		score += weightNewDevice
	}
	var hist []HistoryEntry
	if s.history != nil && in.User != nil {
		var err error
		if hist, err = s.history(ctx, poolID, in.User.Key); err != nil {
			return 0, fmt.Errorf("risk: reading the sign-in history of a user of %s: %w", poolID, err)
		}
		if len(hist) > historyWindow {
			hist = hist[:historyWindow]
		}
	}
	now := s.clock.Now()
	failures := 0
	knownIP := false
	var last *HistoryEntry
	for i := range hist {
		h := &hist[i]
		if !h.Success && now.Sub(h.Time) <= failureWindow {
			failures++
		}
		if h.Success {
			if h.IP != "" && h.IP == in.IP {
				knownIP = true
			}
			if last == nil {
				last = h
			}
		}
	}
	if in.IP != "" && !knownIP {
		score += weightNewIP
	}
	score += min(failures*weightFailedAttempt, maxFailedWeight)
	if last != nil && in.IP != "" && last.IP != "" && last.IP != in.IP {
		from, ok1 := s.locations.Find(last.IP)
		to, ok2 := s.locations.Find(in.IP)
		if ok1 && ok2 {
			hours := now.Sub(last.Time).Hours()
			if dist := distanceKm(from, to); dist > 1 && (hours <= 0 || dist/hours > maxTravelSpeed) {
				score += weightImpossible
			}
		}
	}
	return min(score, 100), nil
}

func level(score int) string {
	switch {
	case score >= highScore:
		return LevelHigh
	case score >= mediumScore:
		return LevelMedium
	}
	return LevelLow
}

func clientOrAll(clientID string) string {
	if clientID == "" {
		return ALL
	}
	return clientID
}

func exceptions(rc *cognitoidp.RiskConfigurationType) *cognitoidp.RiskExceptionConfigurationType {
	if rc == nil {
		return nil
	}
	return rc.RiskExceptionConfiguration
}

// compromisedAction is the configured action for a compromised password in
// event: NO_ACTION when there is no configuration or event is filtered out
// (EventFilter defaults to all events).
func compromisedAction(rc *cognitoidp.RiskConfigurationType, event cognitoidp.EventFilterType) cognitoidp.CompromisedCredentialsEventActionType {
	if rc == nil || rc.CompromisedCredentialsRiskConfiguration == nil {
		return cognitoidp.CompromisedCredentialsEventActionTypeNoAction
	}
	cc := rc.CompromisedCredentialsRiskConfiguration
	if len(cc.EventFilter) > 0 && !slices.Contains(cc.EventFilter, event) {
		return cognitoidp.CompromisedCredentialsEventActionTypeNoAction
	}
	if cc.Actions == nil || cc.Actions.EventAction == nil {
		return cognitoidp.CompromisedCredentialsEventActionTypeNoAction
	}
	return *cc.Actions.EventAction
}

// takeoverAction is the configured action for a risk level, or nil.
func takeoverAction(rc *cognitoidp.RiskConfigurationType, lvl string) *cognitoidp.AccountTakeoverActionType {
	if rc == nil || rc.AccountTakeoverRiskConfiguration == nil || rc.AccountTakeoverRiskConfiguration.Actions == nil {
		return nil
	}
	a := rc.AccountTakeoverRiskConfiguration.Actions
	switch lvl {
	case LevelHigh:
		return a.HighAction
	case LevelMedium:
		return a.MediumAction
	}
	return a.LowAction
}

func inRanges(ip string, ranges []string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, r := range ranges {
		if p, err := netip.ParsePrefix(r); err == nil && p.Contains(addr) {
			return true
		}
	}
	return false
}

func eventRisk(d cognitoidp.RiskDecisionType, lvl string, compromised bool) *cognitoidp.EventRiskType {
	return &cognitoidp.EventRiskType{
		RiskDecision:                   api.Ptr(d),
		RiskLevel:                      api.Ptr(cognitoidp.RiskLevelType(lvl)),
		CompromisedCredentialsDetected: api.Ptr(compromised),
	}
}
