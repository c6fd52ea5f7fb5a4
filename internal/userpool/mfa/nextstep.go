package mfa

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

// The sign-in steps after a verified first factor (auth.NextStep): devices
// first (which device, and whether a remembered one stands in for MFA),
// then MFA, then the device's SRP proof, then tokens with the device's key
// or a new device's metadata. See defaults.go for every rule.
//
// The state of a sign-in between its challenges is flowState, carried in
// the sign-in Session (sealed by the sign-in code) and given back to
// Respond; codes are in it only as hashes. Attempts at a code are counted in
// the store, since the same Session may be sent again after a wrong code.

// Device states of a sign-in.
const (
	deviceSRP = "srp" // a confirmed device: DEVICE_SRP_AUTH is due
	deviceKey = "key" // an unconfirmed device: no proof, the tokens carry its key
)

// flowState is a sign-in's progress (Step.Data). Keep it small: the whole
// Session must stay under 2048 characters.
type flowState struct {
	// MFA: the second factor is satisfied or not asked.
	MFA bool `json:"m,omitempty"`
	// Answered: an MFA code was answered (the auth event's {Mfa, Success}).
	Answered bool `json:"a,omitempty"`
	// Factor is the MFA factor answered (Step.MFAFactor, the amr claim).
	Factor string `json:"fa,omitempty"`
	// Device is deviceSRP, deviceKey or "" (no device).
	Device string `json:"d,omitempty"`
	// DeviceOK: the device answered DEVICE_PASSWORD_VERIFIER.
	DeviceOK bool `json:"k,omitempty"`
	// Offer is what SELECT_MFA_TYPE or MFA_SETUP offered.
	Offer []string `json:"o,omitempty"`
	// Setup is the factor VerifySoftwareToken set up with the MFA_SETUP
	// Session.
	Setup string `json:"u,omitempty"`
	// Nonce names the attempt counter of the current code challenge and
	// binds its code hash.
	Nonce string `json:"n,omitempty"`
	// Code is the hash of the code sent (SMS_MFA, EMAIL_OTP).
	Code []byte `json:"c,omitempty"`
	// NewEmail is the address MFA_SETUP is setting up.
	NewEmail string `json:"e,omitempty"`
	// SRP is the device SRP state between DEVICE_SRP_AUTH and
	// DEVICE_PASSWORD_VERIFIER.
	SRP []byte `json:"s,omitempty"`
}

func (fs *flowState) encode() ([]byte, error) {
	b, err := json.Marshal(fs)
	if err != nil {
		return nil, fmt.Errorf("mfa: encoding sign-in state: %w", err)
	}
	return b, nil
}

func decodeFlow(data []byte) (*flowState, error) {
	fs := &flowState{}
	if err := json.Unmarshal(data, fs); err != nil {
		return nil, fmt.Errorf("mfa: decoding sign-in state: %w", err)
	}
	return fs, nil
}

func (fs *flowState) offers(f string) bool { return slices.Contains(fs.Offer, f) }

// Next decides what follows a verified first factor.
func (s *Service) Next(ctx context.Context, a *auth.Attempt) (*auth.Step, error) {
	fs := &flowState{}
	if a.FirstFactor != "" && a.FirstFactor != auth.FactorPassword {
		fs.MFA = true // no MFA after a passwordless first factor
	}
	if s.tracksDevices(a) && a.DeviceKey != "" {
		info, err := s.devices.Lookup(ctx, a.Pool, a.User, a.DeviceKey)
		if err != nil {
			return nil, err
		}
		if info == nil {
			return nil, cognitoidp.NewResourceNotFoundException(msgDeviceNotFound)
		}
		if info.Confirmed {
			fs.Device = deviceSRP
			if info.Remembered && a.Pool.DeviceConfiguration.ChallengeRequiredOnNewDevice {
				fs.MFA = true // the device's SRP proof stands in for MFA, email MFA included
			}
		} else {
			fs.Device = deviceKey
		}
	}
	pc, err := configFor(ctx, s.store, a.Pool)
	if err != nil {
		return nil, err
	}
	return s.advance(ctx, a, pc, fs)
}

// tracksDevices reports whether sign-in does device steps: a Devices
// family is wired and the pool tracks devices.
func (s *Service) tracksDevices(a *auth.Attempt) bool {
	return s.devices != nil && a.Pool.DeviceConfiguration != nil
}

// advance returns the next challenge of a sign-in, or its tokens.
func (s *Service) advance(ctx context.Context, a *auth.Attempt, pc *PoolConfig, fs *flowState) (*auth.Step, error) {
	if !fs.MFA {
		st, err := loadState(a.User)
		if err != nil {
			return nil, err
		}
		d := decide(pc, a.User, st)
		if a.RiskMFA != "" && d.factor == "" && len(d.choose) == 0 && !d.setup {
			if d, err = riskDecide(pc, a.User, st, a.RiskMFA); err != nil { // risk.go
				return nil, err
			}
		}
		switch {
		case d.factor != "":
			return s.askFactor(ctx, a, pc, fs, st, d.factor)
		case len(d.choose) > 0:
			fs.Offer = d.choose
			return challengeStep(cognitoidp.ChallengeNameTypeSelectMfaType, map[string]string{pCanChoose: jsonList(d.choose)}, fs)
		case d.setup:
			fs.Offer = d.canSetup
			return challengeStep(cognitoidp.ChallengeNameTypeMfaSetup, map[string]string{pCanSetup: jsonList(d.canSetup)}, fs)
		}
		fs.MFA = true
	}
	if fs.Device == deviceSRP && !fs.DeviceOK {
		return challengeStep(cognitoidp.ChallengeNameTypeDeviceSrpAuth, nil, fs)
	}
	return s.tokens(ctx, a, fs)
}

// tokens ends a sign-in: the device the tokens carry, a new device's
// metadata, and the challenges for the auth event.
func (s *Service) tokens(ctx context.Context, a *auth.Attempt, fs *flowState) (*auth.Step, error) {
	step := &auth.Step{MFAFactor: fs.Factor}
	if fs.Answered {
		step.Challenges = []cognitoidp.ChallengeResponseType{{
			ChallengeName:     api.Ptr(cognitoidp.ChallengeNameMfa),
			ChallengeResponse: api.Ptr(cognitoidp.ChallengeResponseSuccess),
		}}
	}
	switch {
	case fs.DeviceOK:
		step.DeviceKey = a.DeviceKey
		if err := s.devices.Authenticated(ctx, a.Pool, a.User, a.DeviceKey); err != nil {
			return nil, err
		}
	case fs.Device == deviceKey:
		step.DeviceKey = a.DeviceKey
	case s.tracksDevices(a) && a.DeviceKey == "":
		md, err := s.devices.NewDevice(ctx, a.Pool, a.Client.ID, a.User)
		if err != nil {
			return nil, err
		}
		step.NewDeviceMetadata = md
		step.DeviceKey = api.Deref(md.DeviceKey)
	}
	return step, nil
}

// decision is what MFA a sign-in needs: a factor to ask, factors to choose
// from, factors to set up, or (all empty) none.
type decision struct {
	factor   string
	choose   []string
	setup    bool
	canSetup []string
}

// decide applies the pool's enforcement to the user's factors.
func decide(pc *PoolConfig, u *storage.User, st *userState) decision {
	if pc.Mode != cognitoidp.UserPoolMfaTypeOn && pc.Mode != cognitoidp.UserPoolMfaTypeOptional {
		return decision{}
	}
	usable := func(f string) bool {
		switch f {
		case FactorSMS:
			return pc.SMS && u.Attributes[attrs.PhoneNumber] != ""
		case FactorEmail:
			return pc.Email && u.Attributes[attrs.Email] != ""
		case FactorTOTP:
			return st.totpReady() // works even once the pool turned TOTP off
		}
		return false
	}
	var on []string
	for _, f := range st.enabled() {
		if usable(f) {
			on = append(on, f)
		}
	}
	if len(on) == 0 {
		if pc.Mode == cognitoidp.UserPoolMfaTypeOptional {
			return decision{}
		}
		for _, f := range factorOrder { // required: whatever the user can receive
			if usable(f) {
				on = append(on, f)
			}
		}
	}
	if len(on) == 0 {
		var can []string
		for _, f := range factorOrder {
			if (f == FactorSMS && pc.SMS) || (f == FactorTOTP && pc.SoftwareToken) || (f == FactorEmail && pc.Email) {
				can = append(can, f)
			}
		}
		return decision{setup: true, canSetup: can}
	}
	if slices.Contains(on, st.Preferred) {
		return decision{factor: st.Preferred}
	}
	if len(on) == 1 {
		return decision{factor: on[0]}
	}
	return decision{choose: on}
}

// askFactor issues the challenge of one MFA factor, sending its code.
func (s *Service) askFactor(ctx context.Context, a *auth.Attempt, pc *PoolConfig, fs *flowState, st *userState, factor string) (*auth.Step, error) {
	fs.Offer = nil
	fs.Nonce = newNonce()
	fs.Code = nil
	switch factor {
	case FactorTOTP:
		return challengeStep(cognitoidp.ChallengeNameTypeSoftwareTokenMfa, nil, fs)
	case FactorSMS:
		params, hash, err := s.sendCode(ctx, a, pc, cognitoidp.DeliveryMediumTypeSms, a.User.Attributes[attrs.PhoneNumber], fs.Nonce)
		if err != nil {
			return nil, err
		}
		fs.Code = hash
		return challengeStep(cognitoidp.ChallengeNameTypeSmsMfa, params, fs)
	case FactorEmail:
		to := a.User.Attributes[attrs.Email]
		if fs.NewEmail != "" {
			to = fs.NewEmail
		}
		params, hash, err := s.sendCode(ctx, a, pc, cognitoidp.DeliveryMediumTypeEmail, to, fs.Nonce)
		if err != nil {
			return nil, err
		}
		fs.Code = hash
		return challengeStep(cognitoidp.ChallengeNameTypeEmailOtp, params, fs)
	}
	return nil, fmt.Errorf("mfa: unknown factor %q", factor)
}

// Respond answers a challenge Next or an earlier Respond issued.
func (s *Service) Respond(ctx context.Context, a *auth.Attempt, challenge cognitoidp.ChallengeNameType, responses map[string]string, data []byte) (*auth.Step, error) {
	fs, err := decodeFlow(data)
	if err != nil {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	pc, err := configFor(ctx, s.store, a.Pool)
	if err != nil {
		return nil, err
	}
	switch challenge {
	case cognitoidp.ChallengeNameTypeSmsMfa:
		return s.answerCode(ctx, a, pc, fs, responses, FactorSMS, pSMSCode)
	case cognitoidp.ChallengeNameTypeEmailOtp:
		name := pEmailCode
		if responses[pEmailCode] == "" && responses[pEmailMFACode] != "" {
			name = pEmailMFACode
		}
		return s.answerCode(ctx, a, pc, fs, responses, FactorEmail, name)
	case cognitoidp.ChallengeNameTypeSoftwareTokenMfa:
		return s.answerTOTP(ctx, a, pc, fs, responses)
	case cognitoidp.ChallengeNameTypeSelectMfaType:
		answer := responses[pAnswer]
		if answer == "" {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingParameter, pAnswer))
		}
		if answer == "EMAIL_MFA" {
			answer = FactorEmail
		}
		if !fs.offers(answer) {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgBadMFAType, answer))
		}
		st, err := loadState(a.User)
		if err != nil {
			return nil, err
		}
		return s.askFactor(ctx, a, pc, fs, st, answer)
	case cognitoidp.ChallengeNameTypeMfaSetup:
		return s.answerSetup(ctx, a, pc, fs, responses)
	case cognitoidp.ChallengeNameTypeDeviceSrpAuth:
		if fs.Device != deviceSRP || fs.DeviceOK || !s.tracksDevices(a) {
			return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
		}
		if err := sameDevice(a, responses); err != nil {
			return nil, err
		}
		params, state, err := s.devices.StartSRP(ctx, a.Pool, a.User, a.DeviceKey, responses)
		if err != nil {
			return nil, err
		}
		fs.SRP = state
		return challengeStep(cognitoidp.ChallengeNameTypeDevicePasswordVerifier, params, fs)
	case cognitoidp.ChallengeNameTypeDevicePasswordVerifier:
		if fs.Device != deviceSRP || len(fs.SRP) == 0 || !s.tracksDevices(a) {
			return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
		}
		if err := sameDevice(a, responses); err != nil {
			return nil, err
		}
		if err := s.devices.VerifySRP(ctx, a.Pool, a.User, a.DeviceKey, fs.SRP, responses); err != nil {
			return nil, err
		}
		fs.SRP, fs.DeviceOK = nil, true
		return s.advance(ctx, a, pc, fs)
	}
	return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
}

// sameDevice refuses a DEVICE_KEY answer naming another device than the
// one the sign-in began with.
func sameDevice(a *auth.Attempt, responses map[string]string) error {
	if k := responses[pDeviceKey]; k != "" && k != a.DeviceKey {
		return cognitoidp.NewInvalidParameterException(msgDeviceKeyMismatch)
	}
	return nil
}

// answerCode checks the code of an SMS_MFA or EMAIL_OTP challenge.
func (s *Service) answerCode(ctx context.Context, a *auth.Attempt, pc *PoolConfig, fs *flowState, responses map[string]string, factor, param string) (*auth.Step, error) {
	code := responses[param]
	if code == "" {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingParameter, param))
	}
	if len(fs.Code) == 0 || fs.Nonce == "" {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	if err := s.checkAttempts(ctx, a.User, fs); err != nil {
		return nil, err
	}
	if !codeMatches(fs.Code, a.User, fs.Nonce, code) {
		return nil, s.wrongCode(ctx, a.User, fs)
	}
	fs.Code, fs.Nonce = nil, ""
	fs.MFA, fs.Answered, fs.Factor = true, true, factor
	switch {
	case factor == FactorSMS:
		s.phoneVerified(ctx, a)
	case factor == FactorEmail && fs.NewEmail != "":
		if err := s.setUpEmail(ctx, a, fs.NewEmail); err != nil {
			return nil, err
		}
		fs.NewEmail = ""
	}
	return s.advance(ctx, a, pc, fs)
}

// answerTOTP checks the code of a SOFTWARE_TOKEN_MFA challenge.
func (s *Service) answerTOTP(ctx context.Context, a *auth.Attempt, pc *PoolConfig, fs *flowState, responses map[string]string) (*auth.Step, error) {
	code := responses[pTOTPCode]
	if code == "" {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingParameter, pTOTPCode))
	}
	if fs.Nonce == "" {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	if err := s.checkAttempts(ctx, a.User, fs); err != nil {
		return nil, err
	}
	_, err := s.checkTOTP(ctx, a.User, code, false, "", false)
	if errors.Is(err, errCodeMismatch) {
		return nil, s.wrongCode(ctx, a.User, fs)
	}
	if err != nil {
		return nil, err
	}
	fs.Nonce = ""
	fs.MFA, fs.Answered, fs.Factor = true, true, FactorTOTP
	return s.advance(ctx, a, pc, fs)
}

// answerSetup continues MFA_SETUP: after VerifySoftwareToken with its
// Session, or with an EMAIL to set up.
func (s *Service) answerSetup(ctx context.Context, a *auth.Attempt, pc *PoolConfig, fs *flowState, responses map[string]string) (*auth.Step, error) {
	if fs.Setup == FactorTOTP {
		fs.Setup, fs.Offer = "", nil
		fs.MFA, fs.Answered, fs.Factor = true, true, FactorTOTP
		return s.advance(ctx, a, pc, fs)
	}
	email := responses[pEmail]
	if email == "" || !fs.offers(FactorEmail) || !pc.Email {
		return nil, cognitoidp.NewInvalidParameterException(msgSetupIncomplete)
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return nil, cognitoidp.NewInvalidParameterException(msgBadEmail)
	}
	fs.NewEmail = email
	st, err := loadState(a.User)
	if err != nil {
		return nil, err
	}
	return s.askFactor(ctx, a, pc, fs, st, FactorEmail)
}

// setUpEmail makes the address MFA_SETUP confirmed the user's verified
// email and turns email MFA on.
func (s *Service) setUpEmail(ctx context.Context, a *auth.Attempt, email string) error {
	schema := schemaOf(a.Pool)
	u, err := s.updateState(ctx, a.User, func(fresh *storage.User, st *userState) error {
		if fresh.Attributes == nil {
			fresh.Attributes = map[string]string{}
		}
		fresh.Attributes[attrs.Email] = email
		fresh.Attributes[attrs.EmailVerified] = "true"
		fresh.Aliases = schema.Aliases(fresh.Attributes)
		st.Email = true
		if st.Preferred == "" {
			st.Preferred = FactorEmail
		}
		return nil
	})
	var ue *storage.UniqueError
	if errors.As(err, &ue) {
		return schema.AliasClash(err)
	}
	if err != nil {
		return err
	}
	*a.User = *u
	return nil
}

// phoneVerified marks the phone number an SMS code reached verified. It
// changes nothing when another user holds the number as an alias, and
// failures only go to the log: the sign-in itself succeeded.
func (s *Service) phoneVerified(ctx context.Context, a *auth.Attempt) {
	if a.User.Attributes[attrs.PhoneNumberVerified] == "true" {
		return
	}
	schema := schemaOf(a.Pool)
	phone := a.User.Attributes[attrs.PhoneNumber]
	u, err := s.store.UpdateUser(ctx, a.User.PoolID, a.User.Key, func(fresh *storage.User) error {
		if fresh.Attributes[attrs.PhoneNumber] != phone || fresh.Attributes[attrs.PhoneNumberVerified] == "true" {
			return storage.ErrSkip
		}
		fresh.Attributes[attrs.PhoneNumberVerified] = "true"
		fresh.Aliases = schema.Aliases(fresh.Attributes)
		fresh.UpdatedAt = s.clock.Now()
		return nil
	})
	if err != nil {
		if !errors.Is(err, storage.ErrSkip) {
			s.log.WarnContext(ctx, "marking a phone number verified after SMS MFA", "pool", a.User.PoolID, "err", err)
		}
		return
	}
	*a.User = *u
}

// checkAttempts refuses a Session that used up its wrong codes.
func (s *Service) checkAttempts(ctx context.Context, u *storage.User, fs *flowState) error {
	n, err := s.store.GetCounter(ctx, u.PoolID, attemptCounter(fs.Nonce), s.clock.Now())
	if err != nil {
		return fmt.Errorf("mfa: reading a counter of pool %s: %w", u.PoolID, err)
	}
	if n.Value >= maxCodeAttempts {
		return cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	return nil
}

// wrongCode counts a wrong code and answers it.
func (s *Service) wrongCode(ctx context.Context, u *storage.User, fs *flowState) error {
	now := s.clock.Now()
	if _, err := s.store.IncrementCounter(ctx, u.PoolID, attemptCounter(fs.Nonce), now, now.Add(attemptCounterLife)); err != nil {
		return fmt.Errorf("mfa: counting a wrong code in pool %s: %w", u.PoolID, err)
	}
	return cognitoidp.NewCodeMismatchException(msgCodeMismatch)
}

func attemptCounter(nonce string) string { return "mfa-code-attempts:" + nonce }

// challengeStep is a Step issuing challenge with params and the state.
func challengeStep(challenge cognitoidp.ChallengeNameType, params map[string]string, fs *flowState) (*auth.Step, error) {
	data, err := fs.encode()
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = map[string]string{}
	}
	return &auth.Step{Challenge: challenge, Parameters: params, Data: data}, nil
}

// jsonList is a factor list as the JSON array string clients parse.
func jsonList(fs []string) string {
	if fs == nil {
		fs = []string{}
	}
	b, _ := json.Marshal(fs) // a []string always encodes
	return string(b)
}

// newNonce is a random name for one challenge's code and attempts.
func newNonce() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil { // crypto/rand does not fail
		panic("mfa: crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
