package hostedui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/oauth"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

// Login serves /login: GET shows the sign-in page (or, with a hosted
// session and no prompt to sign in again, completes the request at once);
// POST signs in with a username and password.
func (s *Service) Login(w http.ResponseWriter, r *http.Request) {
	f, ok := s.begin(w, r)
	if !ok {
		return
	}
	if r.Method != http.MethodPost {
		if f.txn.Prompt != oauth.PromptLogin && f.txn.Prompt != oauth.PromptSelectAccount {
			if u, at := s.oauth.SessionUser(r.Context(), r, f.site); u != nil && f.txn.Fresh(at, s.clock.Now()) {
				s.oauth.CompleteSignIn(w, r, f.txn, u, oauth.SignIn{AuthTime: at})
				return
			}
		}
		s.loginPage(w, r, f, http.StatusOK, f.txn.LoginHint, "", "")
		return
	}
	_, cognito := f.providers()
	if !cognito {
		s.loginPage(w, r, f, http.StatusBadRequest, "", msgNoCognito, "")
		return
	}
	name := strings.TrimSpace(r.PostFormValue("username"))
	pw := r.PostFormValue("password")
	if name == "" || pw == "" {
		s.loginPage(w, r, f, http.StatusBadRequest, name, msgMissingCredentials, "")
		return
	}
	step, err := s.auth.HostedSignIn(r.Context(), f.site.PoolID, f.client.ID, name, pw, nil)
	if err != nil {
		switch errorCode(err) {
		case cognitoidp.CodeUserNotConfirmedException:
			s.startConfirm(w, r, f, name)
			return
		case cognitoidp.CodePasswordResetRequiredException:
			s.startReset(w, r, f, name, msgResetRequired)
			return
		}
		s.loginPage(w, r, f, http.StatusBadRequest, name, s.message(f, err), "")
		return
	}
	s.next(w, r, f, step)
}

// loginPage shows the sign-in page.
func (s *Service) loginPage(w http.ResponseWriter, r *http.Request, f *flow, status int, username, errMsg, info string) {
	p := s.newPage(w, r, f, titleLogin, "/login")
	p.Username, p.Error, p.Info = username, errMsg, info
	p.Providers, p.Cognito = f.providers()
	s.render(w, status, "login", p)
}

// next carries a sign-in on after a step: the app gets its code or tokens
// when it is done, else the page of the next challenge.
func (s *Service) next(w http.ResponseWriter, r *http.Request, f *flow, step *auth.HostedStep) {
	if step.Done() {
		s.oauth.CompleteSignIn(w, r, f.txn, step.User, oauth.SignIn{AuthTime: step.AuthTime, EventID: step.EventID, DeviceKey: step.DeviceKey,
			FirstFactor: step.FirstFactor, MFAFactor: step.MFAFactor})
		return
	}
	s.challengePage(w, r, f, step, http.StatusOK, "")
}

// challengePage shows the page of a sign-in challenge, with errMsg from a
// failed answer.
func (s *Service) challengePage(w http.ResponseWriter, r *http.Request, f *flow, step *auth.HostedStep, status int, errMsg string) {
	p := s.newPage(w, r, f, titleMFA, "/mfa")
	p.Error = errMsg
	p.Challenge, p.Session, p.Username = string(step.Challenge), step.Session, step.Username()
	dest := step.Parameters["CODE_DELIVERY_DESTINATION"]
	switch step.Challenge {
	case cognitoidp.ChallengeNameTypeSoftwareTokenMfa:
		p.Description, p.CodeLabel = msgTOTPDescription, "Code from your authenticator app"
		s.render(w, status, "mfa-code", p)
	case cognitoidp.ChallengeNameTypeSmsMfa, cognitoidp.ChallengeNameTypeSmsOtp:
		p.Description, p.CodeLabel = fmt.Sprintf(msgSMSDescription, orSomewhere(dest, "your phone")), "Code from the text message"
		s.render(w, status, "mfa-code", p)
	case cognitoidp.ChallengeNameTypeEmailOtp:
		p.Description, p.CodeLabel = fmt.Sprintf(msgEmailDescription, orSomewhere(dest, "your email address")), "Code from the email"
		s.render(w, status, "mfa-code", p)
	case cognitoidp.ChallengeNameTypeSelectMfaType:
		p.Step, p.Description = "select", msgSelectDescription
		p.Options = mfaOptions(step.Parameters["MFAS_CAN_CHOOSE"])
		s.render(w, status, "mfa-select", p)
	case cognitoidp.ChallengeNameTypeMfaSetup:
		s.setupPage(w, r, f, step, p, status)
	case cognitoidp.ChallengeNameTypeNewPasswordRequired:
		p.Title, p.Action = titleNewPassword, f.url("/newpassword")
		p.PasswordHint = passwordHint(f.site.Pool)
		p.Fields = requiredFields(f.site.Pool, step.Parameters["requiredAttributes"])
		s.render(w, status, "new-password", p)
	default:
		s.log.Warn("hostedui: a sign-in asked a challenge the pages cannot answer", "pool", f.site.PoolID, "challenge", string(step.Challenge))
		s.Error(w, r, f.site, http.StatusBadRequest, "invalid_request", msgUnsupportedChallenge)
	}
}

// setupPage shows MFA setup: the choice between the factors the user may set
// up, or the only one.
func (s *Service) setupPage(w http.ResponseWriter, r *http.Request, f *flow, step *auth.HostedStep, p *page, status int) {
	can := decodeList(step.Parameters["MFAS_CAN_SETUP"])
	var opts []option
	for _, c := range can {
		switch c {
		case string(cognitoidp.ChallengeNameTypeSoftwareTokenMfa):
			if s.api.AssociateSoftwareToken != nil && s.api.VerifySoftwareToken != nil {
				opts = append(opts, option{Value: c, Label: "Authenticator app"})
			}
		case string(cognitoidp.ChallengeNameTypeEmailOtp):
			opts = append(opts, option{Value: c, Label: "Codes by email"})
		}
	}
	switch {
	case len(opts) == 0:
		s.Error(w, r, f.site, http.StatusBadRequest, "invalid_request", msgCannotSetUp)
	case len(opts) == 1 && p.Error == "":
		s.startSetup(w, r, f, p, opts[0].Value, status)
	default:
		p.Step, p.Description, p.Options = "setup", msgSetupDescription, opts
		s.render(w, status, "mfa-select", p)
	}
}

// startSetup begins setting up factor: an authenticator app gets its secret
// (AssociateSoftwareToken with the session), email asks for the address.
func (s *Service) startSetup(w http.ResponseWriter, r *http.Request, f *flow, p *page, factor string, status int) {
	if factor == string(cognitoidp.ChallengeNameTypeEmailOtp) {
		p.Title = titleSetup
		s.render(w, status, "email-setup", p)
		return
	}
	out, err := s.api.AssociateSoftwareToken(r.Context(), &cognitoidp.AssociateSoftwareTokenRequest{Session: api.Ptr(p.Session)})
	if err != nil {
		s.loginPage(w, r, f, http.StatusBadRequest, "", s.message(f, err), "")
		return
	}
	p.Title = titleSetup
	p.Session = api.Deref(out.Session)
	s.totpPage(w, f, p, api.Deref(out.SecretCode), status)
}

func (s *Service) totpPage(w http.ResponseWriter, f *flow, p *page, secret string, status int) {
	p.Secret = secret
	p.SecretGroups = groupSecret(secret)
	issuer := f.client.Name
	if issuer == "" {
		issuer = f.site.PoolID
	}
	label := url.PathEscape(issuer) + ":" + url.PathEscape(p.Username)
	p.OTPAuthURI = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + url.QueryEscape(issuer)
	s.render(w, status, "totp-setup", p)
}

// MFA serves POST /mfa: the answer to an MFA challenge (a code), the MFA
// type chosen, and the steps of MFA setup.
func (s *Service) MFA(w http.ResponseWriter, r *http.Request) {
	f, ok := s.begin(w, r)
	if !ok {
		return
	}
	if r.Method != http.MethodPost {
		redirectTo(w, r, f.url("/login"))
		return
	}
	ctx := r.Context()
	challenge := cognitoidp.ChallengeNameType(r.PostFormValue("challenge"))
	session := r.PostFormValue("session")
	username := r.PostFormValue("username")
	if session == "" || username == "" || challenge == "" {
		s.loginPage(w, r, f, http.StatusBadRequest, "", msgSessionLost, "")
		return
	}
	current := &auth.HostedStep{Challenge: challenge, Session: session, Parameters: map[string]string{"USERNAME": username}}
	responses := map[string]string{"USERNAME": username}
	switch r.PostFormValue("step") {
	case "code":
		code := strings.TrimSpace(r.PostFormValue("code"))
		switch challenge {
		case cognitoidp.ChallengeNameTypeSoftwareTokenMfa:
			responses["SOFTWARE_TOKEN_MFA_CODE"] = code
		case cognitoidp.ChallengeNameTypeSmsMfa:
			responses["SMS_MFA_CODE"] = code
		case cognitoidp.ChallengeNameTypeEmailOtp:
			responses["EMAIL_OTP_CODE"] = code
		case cognitoidp.ChallengeNameTypeSmsOtp:
			responses["SMS_OTP_CODE"] = code
		default:
			s.loginPage(w, r, f, http.StatusBadRequest, "", msgSessionLost, "")
			return
		}
	case "select":
		responses["ANSWER"] = r.PostFormValue("answer")
	case "setup":
		p := s.newPage(w, r, f, titleSetup, "/mfa")
		p.Challenge, p.Session, p.Username = string(challenge), session, username
		s.startSetup(w, r, f, p, r.PostFormValue("answer"), http.StatusOK)
		return
	case "totp":
		out, err := s.api.VerifySoftwareToken(ctx, &cognitoidp.VerifySoftwareTokenRequest{
			Session: api.Ptr(session), UserCode: api.Ptr(strings.TrimSpace(r.PostFormValue("code"))),
			FriendlyDeviceName: optional(strings.TrimSpace(r.PostFormValue("device"))),
		})
		if err != nil {
			if errorCode(err) == cognitoidp.CodeNotAuthorizedException {
				s.loginPage(w, r, f, http.StatusBadRequest, "", msgSessionExpired, "")
				return
			}
			p := s.newPage(w, r, f, titleSetup, "/mfa")
			p.Challenge, p.Session, p.Username, p.Error = string(challenge), session, username, s.message(f, err)
			s.totpPage(w, f, p, r.PostFormValue("secret"), http.StatusBadRequest)
			return
		}
		session = api.Deref(out.Session)
	case "email":
		responses["EMAIL"] = strings.TrimSpace(r.PostFormValue("email"))
	default:
		s.loginPage(w, r, f, http.StatusBadRequest, "", msgSessionLost, "")
		return
	}
	step, err := s.auth.HostedRespond(ctx, f.site.PoolID, f.client.ID, challenge, session, responses)
	if err != nil {
		s.answerFailed(w, r, f, current, err)
		return
	}
	s.next(w, r, f, step)
}

// answerFailed shows a failed answer: on the same challenge page while the
// session lasts (a wrong code may be retried), else the sign-in page.
func (s *Service) answerFailed(w http.ResponseWriter, r *http.Request, f *flow, current *auth.HostedStep, err error) {
	code := errorCode(err)
	if code == cognitoidp.CodeCodeMismatchException || code == cognitoidp.CodeInvalidPasswordException ||
		code == cognitoidp.CodeInvalidParameterException || code == cognitoidp.CodeExpiredCodeException {
		s.challengePage(w, r, f, current, http.StatusBadRequest, s.message(f, err))
		return
	}
	s.loginPage(w, r, f, http.StatusBadRequest, "", s.message(f, err), "")
}

// NewPassword serves POST /newpassword: the NEW_PASSWORD_REQUIRED answer.
func (s *Service) NewPassword(w http.ResponseWriter, r *http.Request) {
	f, ok := s.begin(w, r)
	if !ok {
		return
	}
	if r.Method != http.MethodPost {
		redirectTo(w, r, f.url("/login"))
		return
	}
	session, username := r.PostFormValue("session"), r.PostFormValue("username")
	if session == "" || username == "" {
		s.loginPage(w, r, f, http.StatusBadRequest, "", msgSessionLost, "")
		return
	}
	responses := map[string]string{"USERNAME": username, "NEW_PASSWORD": r.PostFormValue("password")}
	var required []string
	for k, v := range r.PostForm {
		if name, ok := strings.CutPrefix(k, "attr:"); ok && len(v) == 1 {
			responses["userAttributes."+name] = strings.TrimSpace(v[0])
			required = append(required, "userAttributes."+name)
		}
	}
	current := &auth.HostedStep{
		Challenge: cognitoidp.ChallengeNameTypeNewPasswordRequired, Session: session,
		Parameters: map[string]string{"USERNAME": username, "requiredAttributes": encodeList(required)},
	}
	step, err := s.auth.HostedRespond(r.Context(), f.site.PoolID, f.client.ID, cognitoidp.ChallengeNameTypeNewPasswordRequired, session, responses)
	if err != nil {
		s.answerFailed(w, r, f, current, err)
		return
	}
	s.next(w, r, f, step)
}

// mfaOptions are the MFA types a user may choose (MFAS_CAN_CHOOSE).
func mfaOptions(raw string) []option {
	var out []option
	for _, v := range decodeList(raw) {
		label := v
		switch cognitoidp.ChallengeNameType(v) {
		case cognitoidp.ChallengeNameTypeSoftwareTokenMfa:
			label = "Authenticator app"
		case cognitoidp.ChallengeNameTypeSmsMfa:
			label = "Text message (SMS)"
		case cognitoidp.ChallengeNameTypeEmailOtp:
			label = "Email"
		}
		out = append(out, option{Value: v, Label: label})
	}
	return out
}

// decodeList reads a challenge parameter holding a JSON list of strings.
func decodeList(raw string) []string {
	var out []string
	_ = json.Unmarshal([]byte(raw), &out)
	return out
}

func encodeList(v []string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// groupSecret shows a TOTP secret in groups of four.
func groupSecret(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func orSomewhere(dest, fallback string) string {
	if dest == "" {
		return fallback
	}
	return dest
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func redirectTo(w http.ResponseWriter, r *http.Request, to string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
}

// passwordHint describes the pool's password policy.
func passwordHint(pool *cognitoidp.UserPoolType) string {
	min := int32(password.DefaultMinimumLength)
	var pp *cognitoidp.PasswordPolicyType
	if pool.Policies != nil {
		pp = pool.Policies.PasswordPolicy
	}
	if pp != nil && pp.MinimumLength != nil {
		min = *pp.MinimumLength
	}
	parts := []string{fmt.Sprintf("at least %d characters", min)}
	if pp != nil {
		if pp.RequireLowercase {
			parts = append(parts, "a lowercase letter")
		}
		if pp.RequireUppercase {
			parts = append(parts, "an uppercase letter")
		}
		if pp.RequireNumbers {
			parts = append(parts, "a number")
		}
		if pp.RequireSymbols {
			parts = append(parts, "a symbol")
		}
	}
	return "Use " + strings.Join(parts, ", ") + "."
}
