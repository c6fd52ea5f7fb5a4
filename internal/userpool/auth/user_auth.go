package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// Choice-based sign-in (USER_AUTH): InitiateAuth{USERNAME,
// PREFERRED_CHALLENGE?, PASSWORD? | SRP_A?} starts the preferred first factor
// when the user can use it, else answers SELECT_CHALLENGE with the
// AvailableChallenges; the SELECT_CHALLENGE answer (ANSWER, plus PASSWORD or
// SRP_A inline) starts the chosen one. Every step's state travels in a
// sealed Session of kind kindChoice. The rules are in defaults.go.

// availableOrder is the order of AvailableChallenges (unverified).
var availableOrder = []cognitoidp.ChallengeNameType{
	cognitoidp.ChallengeNameTypePassword,
	cognitoidp.ChallengeNameTypePasswordSrp,
	cognitoidp.ChallengeNameTypeEmailOtp,
	cognitoidp.ChallengeNameTypeSmsOtp,
	cognitoidp.ChallengeNameTypeWebAuthn,
}

// choice is a choice-based sign-in between steps: who signs in (nobody for
// a ghost, the stand-in of an unknown user), how, and how to retire the
// session the current request answered.
type choice struct {
	user *storage.User // nil for a ghost
	// name is the sign-in name a ghost was asked for (its simulated values
	// derive from it).
	name      string
	ghost     bool
	failures  int // the user's failure count when the step began
	deviceKey string
	// acr is the authentication levels asked for (acr.go), "" for none.
	acr string
	// done consumes the session the request answered, once the step
	// succeeds (a next challenge is ready or the factor is proven); nil at
	// InitiateAuth.
	done func() error
}

// finishStep retires the answered session, if any.
func (ch *choice) finishStep() error {
	if ch.done == nil {
		return nil
	}
	return ch.done()
}

// choiceUsername is the user a session of ch names: the internal username,
// or a ghost's stand-in id (the USER_ID_FOR_SRP USER_SRP_AUTH would show
// for the same name).
func (s *Service) choiceUsername(c *call, ch *choice) string {
	if ch.ghost {
		id, _, _ := s.simulated(c.poolID(), "name:"+c.schema.Key(ch.name))
		return id
	}
	return ch.user.Username
}

// ghostData is what a ghost's sessions carry.
type ghostData struct {
	Name string `json:"n"`
}

// userAuth is InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH.
func (s *Service) userAuth(ctx context.Context, c *call, params map[string]string) (*result, error) {
	name, err := required(params, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(params, name); err != nil {
		return nil, err
	}
	if c.session != "" {
		return s.signInAfterSignUp(ctx, c, name, params)
	}
	ch := &choice{name: name, deviceKey: params[pDeviceKey]}
	if ch.acr, err = s.acrRequest(ctx, c, name, params); err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, c, name)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		if !c.hideExistence() {
			return nil, c.unknownUser()
		}
		ch.ghost = true
	case err != nil:
		return nil, err
	default:
		ch.user = u
		if ch.failures, err = s.precheck(ctx, c, u); err != nil {
			return nil, err
		}
	}
	if err := s.preAuthentication(ctx, c, ch.user, name); err != nil {
		return nil, err
	}
	list, err := s.choices(ctx, c, ch)
	if err != nil {
		return nil, err
	}
	pref := cognitoidp.ChallengeNameType(params[pPreferred])
	if pref != "" && slices.Contains(list, pref) {
		return s.startFactor(ctx, c, ch, pref, params)
	}
	return s.selectChallenge(c, ch, list)
}

// choices lists the first factors of the sign-in ch. A user with none is a
// ghost when the client hides existence, else NotAuthorizedException.
func (s *Service) choices(ctx context.Context, c *call, ch *choice) ([]cognitoidp.ChallengeNameType, error) {
	if ch.ghost {
		return s.ghostFactors(c), nil
	}
	list, err := s.available(ctx, c, ch.user)
	if err != nil {
		return nil, err
	}
	if len(list) > 0 && ch.acr != "" {
		rule, err := s.mfaRule(ctx, c, ch.user)
		if err != nil {
			return nil, err
		}
		if list, err = reachable(list, rule, ch.acr); err != nil {
			return nil, s.failSignIn(ctx, c, ch.user, err)
		}
	}
	if len(list) > 0 {
		return list, nil
	}
	if !c.hideExistence() {
		return nil, s.failSignIn(ctx, c, ch.user, cognitoidp.NewNotAuthorizedException(msgNoFactors))
	}
	ch.ghost, ch.user = true, nil
	return s.ghostFactors(c), nil
}

// poolAllows reports whether the pool (and this server) offer factor as a
// first factor.
func (s *Service) poolAllows(c *call, factor cognitoidp.AuthFactorType) bool {
	if factor == cognitoidp.AuthFactorTypePassword {
		return true
	}
	if api.Deref(c.pool.UserPoolTier) == cognitoidp.UserPoolTierTypeLite {
		return false
	}
	if p := c.pool.Policies; p == nil || p.SignInPolicy == nil || !slices.Contains(p.SignInPolicy.AllowedFirstAuthFactors, factor) {
		return false
	}
	switch factor {
	case cognitoidp.AuthFactorTypeEmailOtp, cognitoidp.AuthFactorTypeSmsOtp:
		return s.sender != nil
	case cognitoidp.AuthFactorTypeWebAuthn:
		return s.passkeys != nil
	}
	return false
}

// verified reports whether u has attribute attr ("email", "phone_number")
// verified.
func verified(u *storage.User, attr string) bool {
	return u.Attributes[attr] != "" && u.Attributes[attr+"_verified"] == "true"
}

// available lists the first factors u can use, in availableOrder.
func (s *Service) available(ctx context.Context, c *call, u *storage.User) ([]cognitoidp.ChallengeNameType, error) {
	list := []cognitoidp.ChallengeNameType{}
	creds, err := credentials(u)
	if err != nil {
		return nil, err
	}
	if creds != nil {
		list = append(list, cognitoidp.ChallengeNameTypePassword, cognitoidp.ChallengeNameTypePasswordSrp)
	}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeEmailOtp) && verified(u, attrs.Email) {
		list = append(list, cognitoidp.ChallengeNameTypeEmailOtp)
	}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeSmsOtp) && verified(u, attrs.PhoneNumber) {
		list = append(list, cognitoidp.ChallengeNameTypeSmsOtp)
	}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeWebAuthn) {
		ok, err := s.passkeys.HasCredentials(ctx, c.pool, u)
		if err != nil {
			return nil, fmt.Errorf("auth: looking up the passkeys of a user of pool %s: %w", c.poolID(), err)
		}
		if ok {
			list = append(list, cognitoidp.ChallengeNameTypeWebAuthn)
		}
	}
	rule, err := s.mfaRule(ctx, c, u)
	if err != nil {
		return nil, err
	}
	return underMFA(list, rule), nil
}

// mfaRule is u's MFA rule, from the NextStep hook when it can tell it
// (MFAGate); without one no MFA is required.
func (s *Service) mfaRule(ctx context.Context, c *call, u *storage.User) (MFARule, error) {
	g, ok := s.next.(MFAGate)
	if !ok {
		return MFARule{}, nil
	}
	rule, err := g.FirstFactorRule(ctx, c.pool, u)
	if err != nil {
		return MFARule{}, fmt.Errorf("auth: the MFA rule of a user of pool %s: %w", c.poolID(), err)
	}
	return rule, nil
}

// underMFA drops the passwordless first factors from list when the user
// must do MFA: EMAIL_OTP and SMS_OTP always, WEB_AUTHN unless passkey MFA
// applies (defaults.go).
func underMFA(list []cognitoidp.ChallengeNameType, rule MFARule) []cognitoidp.ChallengeNameType {
	if !rule.Required {
		return list
	}
	return slices.DeleteFunc(list, func(f cognitoidp.ChallengeNameType) bool {
		switch f {
		case cognitoidp.ChallengeNameTypeEmailOtp, cognitoidp.ChallengeNameTypeSmsOtp:
			return true
		case cognitoidp.ChallengeNameTypeWebAuthn:
			return !rule.PasskeyMFA
		}
		return false
	})
}

// ghostFactors are the factors offered to an unknown user: the password and
// the pool's one-time passwords (defaults.go).
func (s *Service) ghostFactors(c *call) []cognitoidp.ChallengeNameType {
	list := []cognitoidp.ChallengeNameType{cognitoidp.ChallengeNameTypePassword, cognitoidp.ChallengeNameTypePasswordSrp}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeEmailOtp) {
		list = append(list, cognitoidp.ChallengeNameTypeEmailOtp)
	}
	if s.poolAllows(c, cognitoidp.AuthFactorTypeSmsOtp) {
		list = append(list, cognitoidp.ChallengeNameTypeSmsOtp)
	}
	return list
}

// choiceSession seals the session of the next step of ch, for challenge.
func (s *Service) choiceSession(c *call, ch *choice, challenge cognitoidp.ChallengeNameType, factor string, data []byte) (string, error) {
	sess := session{
		Username:  s.choiceUsername(c, ch),
		Challenge: challenge,
		Flow:      cognitoidp.AuthFlowTypeUserAuth,
		DeviceKey: ch.deviceKey,
		Kind:      kindChoice,
		Factor:    factor,
		Ghost:     ch.ghost,
		Data:      data,
		ACR:       ch.acr,
	}
	if ch.ghost && data == nil {
		b, err := json.Marshal(ghostData{Name: ch.name})
		if err != nil {
			return "", fmt.Errorf("auth: encoding a session: %w", err)
		}
		sess.Data = b
	}
	return s.newSession(c, sess)
}

// selectChallenge answers SELECT_CHALLENGE with the available factors.
func (s *Service) selectChallenge(c *call, ch *choice, list []cognitoidp.ChallengeNameType) (*result, error) {
	sess, err := s.choiceSession(c, ch, cognitoidp.ChallengeNameTypeSelectChallenge, "", nil)
	if err != nil {
		return nil, err
	}
	return &result{
		challenge:  cognitoidp.ChallengeNameTypeSelectChallenge,
		session:    sess,
		parameters: map[string]string{},
		available:  list,
	}, nil
}

// startFactor begins (or, with its answer inline, completes) the first
// factor the user chose; params are AuthParameters or ChallengeResponses.
func (s *Service) startFactor(ctx context.Context, c *call, ch *choice, factor cognitoidp.ChallengeNameType, params map[string]string) (*result, error) {
	switch factor {
	case cognitoidp.ChallengeNameTypePassword:
		pw := params[pPassword]
		if pw == "" {
			return s.askFactor(c, ch, factor)
		}
		return s.choicePassword(ctx, c, ch, pw, params)
	case cognitoidp.ChallengeNameTypePasswordSrp:
		aHex := params[pSRPA]
		if aHex == "" {
			return s.askFactor(c, ch, factor)
		}
		return s.choiceSRP(ctx, c, ch, aHex)
	case cognitoidp.ChallengeNameTypeEmailOtp, cognitoidp.ChallengeNameTypeSmsOtp:
		return s.startOTP(ctx, c, ch, factor)
	case cognitoidp.ChallengeNameTypeWebAuthn:
		return s.startPasskey(ctx, c, ch)
	}
	return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgChallengeNotAvailable, factor))
}

// askFactor answers the PASSWORD or PASSWORD_SRP challenge: the factor was
// chosen without its answer.
func (s *Service) askFactor(c *call, ch *choice, factor cognitoidp.ChallengeNameType) (*result, error) {
	sess, err := s.choiceSession(c, ch, factor, "", nil)
	if err != nil {
		return nil, err
	}
	if err := ch.finishStep(); err != nil {
		return nil, err
	}
	return &result{challenge: factor, session: sess, parameters: map[string]string{pUsername: s.choiceUsername(c, ch)}}, nil
}

// choicePassword checks the PASSWORD factor.
func (s *Service) choicePassword(ctx context.Context, c *call, ch *choice, pw string, params map[string]string) (*result, error) {
	if ch.ghost {
		return nil, incorrect()
	}
	u := ch.user
	creds, err := credentials(u)
	if err != nil {
		return nil, err
	}
	if creds == nil || !creds.Matches(u.PoolID, u.Username, pw) {
		return nil, s.wrongPassword(ctx, c, u)
	}
	if creds, err = s.upgradeImported(ctx, c, u, creds, pw); err != nil {
		return nil, err
	}
	if err := ch.finishStep(); err != nil {
		return nil, err
	}
	return s.passwordVerified(ctx, c, s.choiceAttempt(c, ch, params, FactorPassword), creds, ch.failures, pw)
}

// choiceAttempt is the Attempt of a choice-based sign-in whose first factor
// is proven.
func (s *Service) choiceAttempt(c *call, ch *choice, params map[string]string, factor string) *Attempt {
	a := c.attempt(ch.user, cognitoidp.AuthFlowTypeUserAuth, params)
	if a.DeviceKey == "" {
		a.DeviceKey = ch.deviceKey
	}
	a.FirstFactor = factor
	a.acr = ch.acr
	return a
}

// choiceSRP starts the PASSWORD_SRP factor: PASSWORD_VERIFIER as
// USER_SRP_AUTH answers it, with a Session marking the sign-in as
// choice-based.
func (s *Service) choiceSRP(ctx context.Context, c *call, ch *choice, aHex string) (*result, error) {
	A, err := srp.ParsePublic(aHex)
	if err != nil {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidSRPA)
	}
	var r *result
	switch {
	case ch.ghost:
		id, salt, v := s.simulated(c.poolID(), "name:"+c.schema.Key(ch.name))
		r, err = s.srpChallenge(c, id, A, salt, v)
	default:
		creds, cerr := credentials(ch.user)
		if cerr != nil {
			return nil, cerr
		}
		if creds == nil {
			_, salt, v := s.simulated(c.poolID(), "user:"+ch.user.Key)
			r, err = s.srpChallenge(c, ch.user.Username, A, salt, v)
		} else {
			r, err = s.srpChallenge(c, ch.user.Username, A, creds.Salt(), creds.Verifier())
		}
	}
	if err != nil {
		return nil, err
	}
	if r.session, err = s.choiceSession(c, ch, cognitoidp.ChallengeNameTypePasswordVerifier, FactorPassword, nil); err != nil {
		return nil, err
	}
	if err := ch.finishStep(); err != nil {
		return nil, err
	}
	return r, nil
}

// srpFlow is the AuthFlow of a PASSWORD_VERIFIER answer: USER_AUTH when the
// answer brings the Session choiceSRP issued with the challenge (for the
// same user, pool and client), else USER_SRP_AUTH. The Session is only a
// marker: SECRET_BLOCK carries the exchange.
func (s *Service) srpFlow(c *call, rawSession, userID string) (flow cognitoidp.AuthFlowType, deviceKey, acr string) {
	sess, err := s.peekSession(rawSession)
	if err != nil || sess.Kind != kindChoice || sess.Challenge != cognitoidp.ChallengeNameTypePasswordVerifier ||
		sess.PoolID != c.poolID() || sess.ClientID != c.client.ID || sess.Username != userID {
		return cognitoidp.AuthFlowTypeUserSrpAuth, "", ""
	}
	return sess.Flow, sess.DeviceKey, sess.ACR
}

// factorVerified continues a choice-based sign-in whose passwordless first
// factor is proven: it clears the failure count, applies the state checks
// ENABLED defers until now, and asks the NextStep hook what follows.
func (s *Service) factorVerified(ctx context.Context, c *call, a *Attempt, failures int) (*result, error) {
	u := a.User
	if failures > 0 {
		if err := s.clearFailures(ctx, u); err != nil {
			return nil, err
		}
	}
	if c.hideExistence() {
		if err := stateError(u); err != nil {
			return nil, s.failSignIn(ctx, c, u, err, factorChallenge(a.FirstFactor, true))
		}
	}
	if err := s.assess(ctx, c, a, ""); err != nil {
		return nil, err
	}
	return s.proceed(ctx, c, a)
}

// isChoiceSession reports whether raw is a session of a choice-based
// sign-in step (it is opened properly by the step).
func (s *Service) isChoiceSession(raw string) bool {
	sess, err := s.peekSession(raw)
	return err == nil && sess.Kind == kindChoice
}

// respondChoice answers a step of choice-based sign-in: SELECT_CHALLENGE,
// PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP or WEB_AUTHN.
func (s *Service) respondChoice(ctx context.Context, c *call, challenge cognitoidp.ChallengeNameType, raw string, responses map[string]string) (*result, error) {
	var accept []cognitoidp.ChallengeNameType
	switch challenge {
	case cognitoidp.ChallengeNameTypeSelectChallenge:
		accept = []cognitoidp.ChallengeNameType{
			cognitoidp.ChallengeNameTypeSelectChallenge, cognitoidp.ChallengeNameTypePassword,
			cognitoidp.ChallengeNameTypePasswordSrp, cognitoidp.ChallengeNameTypeWebAuthn,
		}
	case cognitoidp.ChallengeNameTypePassword, cognitoidp.ChallengeNameTypePasswordSrp:
		accept = []cognitoidp.ChallengeNameType{cognitoidp.ChallengeNameTypeSelectChallenge, challenge}
	default:
		accept = []cognitoidp.ChallengeNameType{challenge}
	}
	sess, err := s.openSessionOf(ctx, c, raw, kindChoice, accept...)
	if err != nil {
		return nil, err
	}
	name, err := required(responses, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(responses, name); err != nil {
		return nil, err
	}
	ch, err := s.resume(ctx, c, sess, raw, responses)
	if err != nil {
		return nil, err
	}
	switch challenge {
	case cognitoidp.ChallengeNameTypeEmailOtp, cognitoidp.ChallengeNameTypeSmsOtp:
		return s.verifyOTP(ctx, c, ch, sess, raw, challenge, responses)
	case cognitoidp.ChallengeNameTypeWebAuthn:
		return s.verifyPasskey(ctx, c, ch, sess, responses)
	}
	answer := challenge
	if challenge == cognitoidp.ChallengeNameTypeSelectChallenge {
		v, err := required(responses, pAnswer)
		if err != nil {
			return nil, err
		}
		answer = cognitoidp.ChallengeNameType(v)
	}
	if answer == cognitoidp.ChallengeNameTypeWebAuthn && sess.Challenge == cognitoidp.ChallengeNameTypeWebAuthn && responses[pCredential] != "" {
		return s.verifyPasskey(ctx, c, ch, sess, responses)
	}
	list, err := s.choices(ctx, c, ch)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(list, answer) {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgChallengeNotAvailable, answer))
	}
	return s.startFactor(ctx, c, ch, answer, responses)
}

// resume rebuilds the sign-in a choice session continues: the user (read
// again, checked as at InitiateAuth) or the ghost.
func (s *Service) resume(ctx context.Context, c *call, sess *session, raw string, responses map[string]string) (*choice, error) {
	ch := &choice{deviceKey: sess.DeviceKey, acr: sess.ACR}
	if dk := responses[pDeviceKey]; dk != "" {
		ch.deviceKey = dk
	}
	ch.done = func() error { return s.consumeSession(ctx, c, raw, sess) }
	if sess.Ghost && sess.Challenge != cognitoidp.ChallengeNameTypeEmailOtp && sess.Challenge != cognitoidp.ChallengeNameTypeSmsOtp {
		var g ghostData
		if err := json.Unmarshal(sess.Data, &g); err != nil || g.Name == "" {
			return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
		}
		ch.ghost, ch.name = true, g.Name
		return ch, nil
	}
	if sess.Ghost {
		ch.ghost = true
		return ch, nil
	}
	u, err := s.getUser(ctx, c, sess.Username)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, c.unknownUser()
	}
	if err != nil {
		return nil, err
	}
	ch.user, ch.name = u, u.Username
	if ch.failures, err = s.precheck(ctx, c, u); err != nil {
		return nil, err
	}
	return ch, nil
}

// signInAfterSignUp is USER_AUTH with the Session of ConfirmSignUp (or of
// SignUp): tokens for that user, once, without credentials.
func (s *Service) signInAfterSignUp(ctx context.Context, c *call, name string, params map[string]string) (*result, error) {
	sess, err := s.openSessionOf(ctx, c, c.session, kindSignUp, "")
	if err != nil {
		return nil, err
	}
	invalid := cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	u, err := s.findUser(ctx, c, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	if u.Username != sess.Username {
		return nil, invalid
	}
	a := c.attempt(u, cognitoidp.AuthFlowTypeUserAuth, params)
	a.FirstFactor = sess.firstFactor()
	if err := stateError(u); err != nil {
		return nil, s.failSignIn(ctx, c, u, err, factorChallenge(a.FirstFactor, true))
	}
	if err := s.consumeSession(ctx, c, c.session, sess); err != nil {
		return nil, err
	}
	return s.proceed(ctx, c, a)
}
