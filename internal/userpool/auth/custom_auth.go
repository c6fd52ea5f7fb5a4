package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/trigger"
)

// Custom authentication (CUSTOM_AUTH; developer guide, "Custom
// authentication challenge Lambda triggers"). The define auth challenge
// trigger is a state machine over the session's history — each entry a
// challenge name, its result and, for custom challenges, the create
// trigger's challengeMetadata — and answers the next challenge, issueTokens
// or failAuthentication:
//
//   - InitiateAuth{USERNAME} starts with an empty history;
//     InitiateAuth{USERNAME, SRP_A, CHALLENGE_NAME: SRP_A} with
//     [{SRP_A, true}], after which the trigger may ask PASSWORD_VERIFIER:
//     the SRP exchange of USER_SRP_AUTH, whose answer (with the Session)
//     adds {PASSWORD_VERIFIER, true} — a wrong password fails the sign-in as
//     in USER_SRP_AUTH, counted for the lockout.
//   - CUSTOM_CHALLENGE runs the create auth challenge trigger: its
//     publicChallengeParameters (with USERNAME) are the ChallengeParameters,
//     its privateChallengeParameters and challengeMetadata wait in the
//     session for the ANSWER, which the verify trigger judges
//     (answerCorrect), adding {CUSTOM_CHALLENGE, answerCorrect, metadata}.
//   - issueTokens ends the sign-in as any other: NEW_PASSWORD_REQUIRED for a
//     FORCE_CHANGE_PASSWORD user whose password was verified, then the
//     NextStep hook (MFA only after a verified password, devices), then the
//     tokens; failAuthentication answers NotAuthorizedException "Incorrect
//     username or password.".
//
// The history, the private parameters and the metadata travel in the sealed
// Session (kindCustom), which stays within 2048 characters: state too large
// for it is kept in the store (CodeStore, until the session expires) and the
// Session names it. An unknown user, when the client hides user existence,
// goes through the same rounds with userNotFound set and never gets tokens.
// Rules Cognito does not document are in defaults.go.

// pChallengeName is the AuthParameters member that starts CUSTOM_AUTH with
// SRP (CHALLENGE_NAME: SRP_A).
const pChallengeName = "CHALLENGE_NAME"

// Session history entries' names (ChallengeResult.challengeName).
const (
	customSRPA     = "SRP_A"
	customVerifier = string(cognitoidp.ChallengeNameTypePasswordVerifier)
	customName     = string(cognitoidp.ChallengeNameTypeCustomChallenge)
)

// customState is what a custom authentication session carries between
// rounds (short member names: it is sealed into the Session).
type customState struct {
	History  []customEntry     `json:"h,omitempty"`
	Private  map[string]string `json:"p,omitempty"`
	Metadata *string           `json:"m,omitempty"`
	// Ref names state kept in the store because it did not fit.
	Ref string `json:"r,omitempty"`
}

// customEntry is one ChallengeResult of the history.
type customEntry struct {
	Name     string  `json:"n"`
	Result   bool    `json:"r,omitempty"`
	Metadata *string `json:"m,omitempty"`
}

// customFlow is a custom authentication between rounds.
type customFlow struct {
	user      *storage.User // nil: an unknown user (existence hidden)
	name      string        // the sign-in name, for an unknown user
	state     customState
	deviceKey string
	srpA      *big.Int // the client's SRP_A, at InitiateAuth only
	// raw is the Session the request answered ("" at InitiateAuth).
	raw string
	// done retires the session the request answered once the next step is
	// ready; nil at InitiateAuth.
	done func() error
}

// history is the session as the triggers see it.
func (f *customFlow) history() []trigger.ChallengeResult {
	out := make([]trigger.ChallengeResult, len(f.state.History))
	for i, e := range f.state.History {
		out[i] = trigger.ChallengeResult{ChallengeName: e.Name, ChallengeResult: e.Result, ChallengeMetadata: e.Metadata}
	}
	return out
}

// passwordVerified reports whether the history holds a verified password.
func (f *customFlow) passwordVerified() bool {
	for _, e := range f.state.History {
		if e.Name == customVerifier && e.Result {
			return true
		}
	}
	return false
}

// username is the name the flow's sessions and ChallengeParameters carry.
func (f *customFlow) username() string {
	if f.user != nil {
		return f.user.Username
	}
	return f.name
}

func (f *customFlow) input(c *call) *trigger.AuthInput { return c.authInput(f.user, f.name) }

// finishStep retires the answered session, if any.
func (f *customFlow) finishStep() error {
	if f.done == nil {
		return nil
	}
	done := f.done
	f.done = nil
	return done()
}

// customAuth is InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH.
func (s *Service) customAuth(ctx context.Context, c *call, params map[string]string) (*result, error) {
	name, err := required(params, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(params, name); err != nil {
		return nil, err
	}
	if s.triggers == nil || !trigger.HasCustomAuth(c.pool) {
		return nil, cognitoidp.NewInvalidUserPoolConfigurationException(msgCustomAuthNotConfigured)
	}
	f := &customFlow{name: name, deviceKey: params[pDeviceKey]}
	withSRP := params[pChallengeName] == customSRPA
	if withSRP {
		aHex, err := required(params, pSRPA)
		if err != nil {
			return nil, err
		}
		if f.srpA, err = srp.ParsePublic(aHex); err != nil {
			return nil, cognitoidp.NewInvalidParameterException(msgInvalidSRPA)
		}
	}
	u, err := s.findUser(ctx, c, name)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		if !c.hideExistence() {
			return nil, c.unknownUser()
		}
	case err != nil:
		return nil, err
	default:
		f.user = u
		if withSRP {
			// The password is checked: the lockout applies.
			if _, err := s.precheck(ctx, c, u); err != nil {
				return nil, err
			}
		} else if !c.hideExistence() {
			if err := stateError(u); err != nil {
				return nil, s.failSignIn(ctx, c, u, err)
			}
		}
	}
	if err := s.preAuthentication(ctx, c, f.user, name); err != nil {
		return nil, err
	}
	if withSRP {
		f.state.History = append(f.state.History, customEntry{Name: customSRPA, Result: true})
	}
	return s.customDefine(ctx, c, f)
}

// customDefine asks the define auth challenge trigger what follows the
// history of f, and carries it out.
func (s *Service) customDefine(ctx context.Context, c *call, f *customFlow) (*result, error) {
	if len(f.state.History) >= customMaxRounds {
		return nil, s.customFailed(ctx, c, f, incorrect())
	}
	d, err := s.triggers.DefineAuthChallenge(ctx, c.pool, f.input(c), f.history())
	if err != nil {
		return nil, s.customFailed(ctx, c, f, err)
	}
	if d == nil { // the pool lost its trigger meanwhile
		return nil, s.customFailed(ctx, c, f, cognitoidp.NewInvalidUserPoolConfigurationException(msgCustomAuthNotConfigured))
	}
	switch {
	case d.FailAuthentication:
		return nil, s.customFailed(ctx, c, f, incorrect())
	case d.IssueTokens:
		r, err := s.customIssue(ctx, c, f)
		if err != nil && f.deviceKey != "" && awserr.Is(err, "ResourceNotFoundException") {
			// "Device does not exist.": Amplify forgets its device and sends
			// the same answer again, without DEVICE_KEY: the session stays
			// usable, and then names no device.
			if f.raw != "" {
				now := s.clock.Now()
				if _, cerr := s.store.IncrementCounter(ctx, c.poolID(), deviceRefusedCounter(f.raw), now, now.Add(c.client.AuthSessionValidity())); cerr != nil {
					return nil, fmt.Errorf("auth: remembering a refused device of pool %s: %w", c.poolID(), cerr)
				}
			}
			return nil, err
		}
		if ferr := f.finishStep(); ferr != nil && err == nil {
			return nil, ferr
		}
		return r, err
	}
	switch api.Deref(d.ChallengeName) {
	case customName:
		return s.customChallenge(ctx, c, f)
	case customVerifier:
		if f.srpA != nil && len(f.state.History) == 1 {
			return s.customSRP(ctx, c, f)
		}
	}
	// Another challenge, one this sign-in cannot ask (PASSWORD_VERIFIER
	// without SRP_A), or none at all (defaults.go).
	return nil, s.customFailed(ctx, c, f, cognitoidp.NewInvalidLambdaResponseException(msgCustomBadDefine))
}

// customFailed ends a custom authentication with answer: the session dies,
// and a known user's failed sign-in is recorded.
func (s *Service) customFailed(ctx context.Context, c *call, f *customFlow, answer error) error {
	if err := f.finishStep(); err != nil && !isCognito(err) {
		return err
	}
	if f.user != nil && isCognito(answer) {
		return s.failSignIn(ctx, c, f.user, answer)
	}
	return answer
}

// customChallenge runs the create auth challenge trigger and answers
// CUSTOM_CHALLENGE.
func (s *Service) customChallenge(ctx context.Context, c *call, f *customFlow) (*result, error) {
	out, err := s.triggers.CreateAuthChallenge(ctx, c.pool, f.input(c), customName, f.history())
	if err != nil {
		return nil, s.customFailed(ctx, c, f, err)
	}
	if out == nil {
		out = &trigger.CreateAuthChallengeResponse{}
	}
	f.state.Private, f.state.Metadata = out.PrivateChallengeParameters, out.ChallengeMetadata
	sess, err := s.customSession(ctx, c, f, cognitoidp.ChallengeNameTypeCustomChallenge)
	if err != nil {
		return nil, err
	}
	if err := f.finishStep(); err != nil {
		return nil, err
	}
	params := maps.Clone(out.PublicChallengeParameters)
	if params == nil {
		params = map[string]string{}
	}
	if params[pUsername] == "" {
		params[pUsername] = f.username()
	}
	return &result{challenge: cognitoidp.ChallengeNameTypeCustomChallenge, session: sess, parameters: params}, nil
}

// customSRP answers PASSWORD_VERIFIER as USER_SRP_AUTH does, with a Session
// that brings the answer back to the custom flow.
func (s *Service) customSRP(ctx context.Context, c *call, f *customFlow) (*result, error) {
	var r *result
	var err error
	switch {
	case f.user == nil:
		id, salt, v := s.simulated(c.poolID(), "name:"+c.schema.Key(f.name))
		r, err = s.srpChallenge(c, id, f.srpA, salt, v)
		f.name = id // the simulated USER_ID_FOR_SRP names the ghost from now on
	default:
		creds, cerr := credentials(f.user)
		if cerr != nil {
			return nil, cerr
		}
		if creds == nil {
			_, salt, v := s.simulated(c.poolID(), "user:"+f.user.Key)
			r, err = s.srpChallenge(c, f.user.Username, f.srpA, salt, v)
		} else {
			r, err = s.srpChallenge(c, f.user.Username, f.srpA, creds.Salt(), creds.Verifier())
		}
	}
	if err != nil {
		return nil, err
	}
	if r.session, err = s.customSession(ctx, c, f, cognitoidp.ChallengeNameTypePasswordVerifier); err != nil {
		return nil, err
	}
	return r, nil
}

// isCustomSession reports whether raw is a session of a custom
// authentication (the PASSWORD_VERIFIER answer opens it properly).
func (s *Service) isCustomSession(raw string) bool {
	sess, err := s.peekSession(raw)
	return err == nil && sess.Kind == kindCustom
}

// customPasswordVerified continues a custom authentication whose password
// u just proved in the PASSWORD_VERIFIER answer with Session raw.
func (s *Service) customPasswordVerified(ctx context.Context, c *call, raw string, responses map[string]string, u *storage.User, creds *password.Credentials, failures int) (*result, error) {
	sess, err := s.openSessionOf(ctx, c, raw, kindCustom, cognitoidp.ChallengeNameTypePasswordVerifier)
	if err != nil {
		return nil, err
	}
	if sess.Ghost || sess.Username != u.Username {
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	}
	st, err := s.loadCustomState(ctx, c, sess)
	if err != nil {
		return nil, err
	}
	if failures > 0 {
		if err := s.clearFailures(ctx, u); err != nil {
			return nil, err
		}
	}
	if c.hideExistence() {
		if err := stateError(u); err != nil {
			return nil, s.failSignIn(ctx, c, u, err, passwordChallenge(true))
		}
	}
	if creds.Expired(s.clock.Now()) {
		return nil, s.failSignIn(ctx, c, u, cognitoidp.NewNotAuthorizedException(msgTemporaryExpired), passwordChallenge(true))
	}
	f := &customFlow{user: u, state: st, deviceKey: sess.DeviceKey, raw: raw}
	if dk := responses[pDeviceKey]; dk != "" {
		f.deviceKey = dk
	}
	f.done = s.customDone(ctx, c, raw, sess, st)
	f.state.Ref = ""
	f.state.History = append(f.state.History, customEntry{Name: customVerifier, Result: true})
	return s.customDefine(ctx, c, f)
}

// respondCustom answers CUSTOM_CHALLENGE: the verify auth challenge trigger
// judges the ANSWER, then the define trigger decides what follows.
func (s *Service) respondCustom(ctx context.Context, c *call, raw string, responses map[string]string) (*result, error) {
	sess, err := s.openSessionOf(ctx, c, raw, kindCustom, cognitoidp.ChallengeNameTypeCustomChallenge)
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
	answer, err := required(responses, pAnswer)
	if err != nil {
		return nil, err
	}
	if s.triggers == nil {
		return nil, cognitoidp.NewInvalidUserPoolConfigurationException(msgCustomAuthNotConfigured)
	}
	st, err := s.loadCustomState(ctx, c, sess)
	if err != nil {
		return nil, err
	}
	f := &customFlow{name: sess.Username, state: st, deviceKey: sess.DeviceKey, raw: raw}
	if dk := responses[pDeviceKey]; dk != "" {
		f.deviceKey = dk
	} else if f.deviceKey != "" {
		n, err := s.store.GetCounter(ctx, c.poolID(), deviceRefusedCounter(raw), s.clock.Now())
		if err != nil {
			return nil, fmt.Errorf("auth: reading a counter of pool %s: %w", c.poolID(), err)
		}
		if n.Value > 0 {
			f.deviceKey = "" // the answer again, without the device refused
		}
	}
	if !sess.Ghost {
		u, err := s.getUser(ctx, c, sess.Username)
		if errors.Is(err, storage.ErrNotFound) {
			return nil, c.unknownUser()
		}
		if err != nil {
			return nil, err
		}
		if !c.hideExistence() {
			if err := stateError(u); err != nil {
				return nil, s.failSignIn(ctx, c, u, err)
			}
		}
		f.user = u
	}
	f.done = s.customDone(ctx, c, raw, sess, st)
	v, err := s.triggers.VerifyAuthChallengeResponse(ctx, c.pool, f.input(c), st.Private, answer)
	if err != nil {
		return nil, s.customFailed(ctx, c, f, err)
	}
	ok := v != nil && v.AnswerCorrect
	f.state.History = append(f.state.History, customEntry{Name: customName, Result: ok, Metadata: st.Metadata})
	f.state.Private, f.state.Metadata, f.state.Ref = nil, nil, ""
	return s.customDefine(ctx, c, f)
}

// customIssue ends a custom authentication the define trigger accepted.
func (s *Service) customIssue(ctx context.Context, c *call, f *customFlow) (*result, error) {
	if f.user == nil {
		return nil, incorrect() // nobody to issue tokens to
	}
	u := f.user
	if c.hideExistence() {
		if err := stateError(u); err != nil {
			return nil, s.failSignIn(ctx, c, u, err)
		}
	}
	a := c.attempt(u, cognitoidp.AuthFlowTypeCustomAuth, map[string]string{pDeviceKey: f.deviceKey})
	a.FirstFactor = FactorCustom
	withPassword := f.passwordVerified()
	if withPassword {
		a.FirstFactor = FactorPassword
	}
	if err := s.assess(ctx, c, a, ""); err != nil {
		return nil, err
	}
	if withPassword && u.Status == string(cognitoidp.UserStatusTypeForceChangePassword) {
		return s.newPasswordChallenge(ctx, c, a)
	}
	return s.proceed(ctx, c, a)
}

// customSession seals the session of the next round of f, for challenge.
// State too large for the Session is kept in the store (a known user's
// only: the store keeps it under the user).
func (s *Service) customSession(ctx context.Context, c *call, f *customFlow, challenge cognitoidp.ChallengeNameType) (string, error) {
	data, err := json.Marshal(f.state)
	if err != nil {
		return "", fmt.Errorf("auth: encoding a custom authentication session: %w", err)
	}
	sess := session{
		Username: f.username(), Challenge: challenge, Flow: cognitoidp.AuthFlowTypeCustomAuth,
		DeviceKey: f.deviceKey, Kind: kindCustom, Ghost: f.user == nil, Data: data,
	}
	raw, err := s.newSession(c, sess)
	if !errors.Is(err, errSessionTooLong) {
		return raw, err
	}
	if f.user == nil {
		// Nowhere to keep it: the ghost's sign-in fails as it would at its
		// end (defaults.go).
		return "", incorrect()
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", fmt.Errorf("auth: crypto/rand: %w", err)
	}
	ref := base64.RawURLEncoding.EncodeToString(id[:])
	now := s.clock.Now()
	if err := s.store.PutCode(ctx, &storage.Code{
		PoolID: c.poolID(), UserKey: f.user.Key, Purpose: customStatePurpose + ref,
		Data: data, CreatedAt: now, ExpiresAt: now.Add(c.client.AuthSessionValidity()),
	}); err != nil {
		return "", fmt.Errorf("auth: keeping a custom authentication session of pool %s: %w", c.poolID(), err)
	}
	if sess.Data, err = json.Marshal(customState{Ref: ref}); err != nil {
		return "", fmt.Errorf("auth: encoding a custom authentication session: %w", err)
	}
	return s.newSession(c, sess)
}

// deviceRefusedCounter names the counter marking a custom authentication
// Session whose device was refused ("Device does not exist.").
func deviceRefusedCounter(raw string) string { return "custom-auth-nodevice:" + digest(raw) }

// customStatePurpose prefixes the CodeStore purpose of custom
// authentication state kept in the store.
const customStatePurpose = "custom-auth-state:"

// loadCustomState reads the state of an open custom authentication
// session, from the store when the session names it there.
func (s *Service) loadCustomState(ctx context.Context, c *call, sess *session) (customState, error) {
	var st customState
	invalid := cognitoidp.NewNotAuthorizedException(msgSessionInvalid)
	if err := json.Unmarshal(sess.Data, &st); err != nil {
		return st, invalid
	}
	if st.Ref == "" || sess.Ghost {
		return st, nil
	}
	code, err := s.store.GetCode(ctx, c.poolID(), c.schema.Key(sess.Username), customStatePurpose+st.Ref)
	if errors.Is(err, storage.ErrNotFound) {
		return st, invalid
	}
	if err != nil {
		return st, fmt.Errorf("auth: reading a custom authentication session of pool %s: %w", c.poolID(), err)
	}
	ref := st.Ref
	st = customState{}
	if err := json.Unmarshal(code.Data, &st); err != nil {
		return st, invalid
	}
	st.Ref = ref
	return st, nil
}

// customDone retires the answered session raw: it is consumed, and its
// state in the store, if any, deleted.
func (s *Service) customDone(ctx context.Context, c *call, raw string, sess *session, st customState) func() error {
	return func() error {
		if err := s.consumeSession(ctx, c, raw, sess); err != nil {
			return err
		}
		if st.Ref != "" {
			err := s.store.DeleteCode(ctx, c.poolID(), c.schema.Key(sess.Username), customStatePurpose+st.Ref)
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				s.log.WarnContext(ctx, "custom authentication state not deleted", "pool", c.poolID(), "err", err)
			}
		}
		return nil
	}
}
