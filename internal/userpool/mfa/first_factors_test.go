package mfa

import (
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// TestFirstFactorRule: whether a user must do MFA before choice-based
// sign-in offers its first factors (auth.MFAGate).
func TestFirstFactorRule(t *testing.T) {
	e := newEnv(t)
	phone := []string{"phone_number", "+12065551234"}
	for _, c := range []struct {
		name     string
		mode     cognitoidp.UserPoolMfaType
		factors  []string
		attrs    []string
		state    func(*userState)
		required bool
		want     []string
	}{
		{"off", "OFF", nil, phone, func(s *userState) { s.SMS = true }, false, nil},
		{"optional, nothing on", "OPTIONAL", []string{FactorSMS}, phone, nil, false, nil},
		{"optional, sms on", "OPTIONAL", []string{FactorSMS}, phone, func(s *userState) { s.SMS = true }, true, []string{FactorSMS}},
		{"on, nothing on", "ON", []string{FactorSMS}, phone, nil, true, []string{FactorSMS}},
		{"on, nothing usable", "ON", []string{FactorTOTP}, nil, nil, true, []string{FactorTOTP}},
	} {
		t.Run(c.name, func(t *testing.T) {
			poolID := e.pool(sesPool)
			if c.mode != "OFF" {
				e.configure(poolID, c.mode, c.factors...)
			}
			e.user(poolID, "kim", c.attrs...)
			if c.state != nil {
				e.setState(poolID, "kim", false, c.state)
			}
			pool, err := pools.Load(e.ctx, e.svc.store, poolID)
			if err != nil {
				t.Fatal(err)
			}
			rule, err := e.svc.FirstFactorRule(e.ctx, pool, e.load(poolID, "kim"))
			if err != nil {
				t.Fatal(err)
			}
			if rule.Required != c.required || !slices.Equal(rule.Factors, c.want) || rule.PasskeyMFA {
				t.Errorf("rule = %+v, want required %v factors %v", rule, c.required, c.want)
			}
		})
	}
}

// TestFirstFactorRulePasskeyMFA: passkey MFA shows in the rule once the
// pool counts passkeys as MFA and the user turned it on.
func TestFirstFactorRulePasskeyMFA(t *testing.T) {
	e := newEnv(t)
	poolID := e.passkeyMFAPool(cognitoidp.UserPoolMfaTypeOptional)
	e.user(poolID, "pk", "phone_number", "+12065551234")
	e.setState(poolID, "pk", false, func(s *userState) { s.SMS, s.WebAuthn = true, true })
	pool, err := pools.Load(e.ctx, e.svc.store, poolID)
	if err != nil {
		t.Fatal(err)
	}
	rule, err := e.svc.FirstFactorRule(e.ctx, pool, e.load(poolID, "pk"))
	if err != nil {
		t.Fatal(err)
	}
	if !rule.Required || !rule.PasskeyMFA {
		t.Errorf("rule = %+v, want required with passkey MFA", rule)
	}
}
