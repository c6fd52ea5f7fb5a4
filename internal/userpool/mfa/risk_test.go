package mfa

import (
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

func TestRiskDecide(t *testing.T) {
	optional := &PoolConfig{Mode: cognitoidp.UserPoolMfaTypeOptional, SMS: true, Email: true, SoftwareToken: true}
	off := &PoolConfig{Mode: cognitoidp.UserPoolMfaTypeOff, SMS: true, Email: true}
	emailOnly := &PoolConfig{Mode: cognitoidp.UserPoolMfaTypeOptional, Email: true}
	both := &storage.User{Attributes: map[string]string{"email": "a@example.com", "phone_number": "+15551234567"}}
	phone := &storage.User{Attributes: map[string]string{"phone_number": "+15551234567"}}
	none := &storage.User{Attributes: map[string]string{}}
	totp := &userState{Token: &softwareToken{Verified: true}}
	for _, c := range []struct {
		name   string
		pc     *PoolConfig
		u      *storage.User
		st     *userState
		demand string
		factor string
		choose []string
		err    bool
	}{
		{"one factor", optional, phone, &userState{}, auth.RiskMFAIfConfigured, FactorSMS, nil, false},
		{"a choice", optional, both, &userState{}, auth.RiskMFARequired, "", []string{FactorSMS, FactorEmail}, false},
		{"the preferred one", optional, both, &userState{Preferred: FactorEmail}, auth.RiskMFARequired, FactorEmail, nil, false},
		{"TOTP", optional, none, totp, auth.RiskMFARequired, FactorTOTP, nil, false},
		{"none possible, if configured", emailOnly, phone, &userState{}, auth.RiskMFAIfConfigured, "", nil, false},
		{"none possible, required", emailOnly, phone, &userState{}, auth.RiskMFARequired, "", nil, true},
		{"MFA off, if configured", off, both, &userState{}, auth.RiskMFAIfConfigured, "", nil, false},
		{"MFA off, required", off, both, &userState{}, auth.RiskMFARequired, "", nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := riskDecide(c.pc, c.u, c.st, c.demand)
			if c.err {
				if ae, ok := awserr.As(err); !ok || ae.Code != "NotAuthorizedException" {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err != nil || d.factor != c.factor || !slices.Equal(d.choose, c.choose) || d.setup {
				t.Errorf("decision = %+v, %v", d, err)
			}
		})
	}
}
