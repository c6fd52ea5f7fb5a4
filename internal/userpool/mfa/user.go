package mfa

import (
	"context"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/importjobs"
	"github.com/cogito-dev/cogito/internal/userpool/users"
	"github.com/cogito-dev/cogito/internal/userpool/usersettings"
)

// A user's MFA state is the member settingsKey of their Settings document
// (usersettings), this JSON object:
//
//	{
//	  "sms": true, "email": true, "totp": true, "webAuthn": true,
//	                          // factors turned on (SetUserMFAPreference)
//	  "legacySms": true,      // SMS turned on the legacy way (SetUserSettings, import)
//	  "preferred": "SOFTWARE_TOKEN_MFA",
//	  "token": {              // the software token (AssociateSoftwareToken)
//	    "secret": "...",      // sealed secret (base64 of the sealed bytes)
//	    "verified": true,     // VerifySoftwareToken succeeded
//	    "lastStep": 58765432, // last TOTP time step accepted (replay guard)
//	    "name": "phone",      // FriendlyDeviceName
//	    "created": "..."      // when associated
//	  }
//	}
//
// The import jobs' legacy member importjobs.SettingsMFAEnabled (true: SMS
// MFA on) is read as "legacySms" and folded into this member on the first
// write.
const settingsKey = "mfa"

// Factor names as Cognito spells them in UserMFASettingList,
// PreferredMfaSetting, MFAS_CAN_CHOOSE and MFAS_CAN_SETUP.
const (
	FactorSMS   = "SMS_MFA"
	FactorTOTP  = "SOFTWARE_TOKEN_MFA"
	FactorEmail = "EMAIL_OTP"
)

// factorOrder is the order factors are listed in.
var factorOrder = []string{FactorSMS, FactorTOTP, FactorEmail}

// userState is the member settingsKey.
type userState struct {
	SMS       bool           `json:"sms,omitempty"`
	LegacySMS bool           `json:"legacySms,omitempty"`
	Email     bool           `json:"email,omitempty"`
	TOTP      bool           `json:"totp,omitempty"`
	WebAuthn  bool           `json:"webAuthn,omitempty"`
	Preferred string         `json:"preferred,omitempty"`
	Token     *softwareToken `json:"token,omitempty"`
}

// softwareToken is the user's TOTP authenticator.
type softwareToken struct {
	Secret   []byte    `json:"secret"`
	Verified bool      `json:"verified,omitempty"`
	LastStep int64     `json:"lastStep,omitempty"`
	Name     string    `json:"name,omitempty"`
	Created  time.Time `json:"created"`
}

// loadState reads u's MFA state (zero when they have none).
func loadState(u *storage.User) (*userState, error) {
	st := &userState{}
	found, err := usersettings.Get(u, settingsKey, st)
	if err != nil {
		return nil, fmt.Errorf("mfa: %w", err)
	}
	if !found {
		var legacy bool
		if _, err := usersettings.Get(u, importjobs.SettingsMFAEnabled, &legacy); err != nil {
			return nil, fmt.Errorf("mfa: %w", err)
		}
		st.LegacySMS = legacy
	}
	return st, nil
}

// saveState writes st into u.Settings (in memory), dropping the legacy
// import member it replaces.
func saveState(u *storage.User, st *userState) error {
	if err := usersettings.Delete(u, importjobs.SettingsMFAEnabled); err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	var v any = st
	if *st == (userState{}) {
		v = nil
	}
	if err := usersettings.Set(u, settingsKey, v); err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	return nil
}

// totpReady reports a verified software token.
func (st *userState) totpReady() bool { return st.Token != nil && st.Token.Verified }

// smsOn reports SMS MFA turned on either way.
func (st *userState) smsOn() bool { return st.SMS || st.LegacySMS }

// enabled lists the factors the user turned on, in factorOrder (TOTP only
// with a verified token), for sign-in.
func (st *userState) enabled() []string {
	var out []string
	if st.smsOn() {
		out = append(out, FactorSMS)
	}
	if st.TOTP && st.totpReady() {
		out = append(out, FactorTOTP)
	}
	if st.Email {
		out = append(out, FactorEmail)
	}
	return out
}

// Info is the user's MFA settings as GetUser, AdminGetUser and ListUsers
// show them; the users and account families take it as their MFA hook. It
// reads only the user record.
func Info(_ context.Context, _ *cognitoidp.UserPoolType, u *storage.User) (users.MFAInfo, error) {
	st, err := loadState(u)
	if err != nil {
		return users.MFAInfo{}, err
	}
	info := users.MFAInfo{}
	for _, f := range st.enabled() {
		if f == FactorSMS && !st.SMS {
			continue // the legacy way shows only in MFAOptions
		}
		info.Enabled = append(info.Enabled, f)
		if f == st.Preferred {
			info.Preferred = f
		}
	}
	if st.smsOn() {
		info.Options = []cognitoidp.MFAOptionType{{
			DeliveryMedium: api.Ptr(cognitoidp.DeliveryMediumTypeSms),
			AttributeName:  api.Ptr(attrs.PhoneNumber),
		}}
	}
	return info, nil
}
