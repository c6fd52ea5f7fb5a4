package hostedui

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
)

// SignUp serves /signup: GET shows the form (the username or the pool's
// username attribute, the pool's required attributes, a password, and the
// client's terms when it has both documents); POST calls SignUp, then asks
// for the confirmation code — or, for a user confirmed at once, signs them
// in.
func (s *Service) SignUp(w http.ResponseWriter, r *http.Request) {
	f, ok := s.begin(w, r)
	if !ok {
		return
	}
	if !s.selfSignUp(f) {
		s.Error(w, r, f.site, http.StatusForbidden, "invalid_request", msgNoSignUp)
		return
	}
	if r.Method != http.MethodPost {
		s.signUpPage(w, r, f, http.StatusOK, "", nil, "")
		return
	}
	ctx := r.Context()
	name := strings.TrimSpace(r.PostFormValue("username"))
	values := map[string]string{}
	for _, fl := range signUpFields(f.site.Pool) {
		values[fl.Name] = strings.TrimSpace(r.PostFormValue("attr:" + fl.Name))
	}
	var attrs []cognitoidp.AttributeType
	for _, ua := range f.site.Pool.UsernameAttributes {
		if string(ua) == "email" && strings.Contains(name, "@") || string(ua) == "phone_number" && strings.HasPrefix(name, "+") {
			values[string(ua)] = name
		}
	}
	for _, k := range sortedKeys(values) {
		if values[k] != "" {
			attrs = append(attrs, cognitoidp.AttributeType{Name: api.Ptr(k), Value: api.Ptr(values[k])})
		}
	}
	in := &cognitoidp.SignUpRequest{
		ClientId: api.Ptr(f.client.ID), Username: api.Ptr(name), Password: optional(r.PostFormValue("password")),
		UserAttributes: attrs, SecretHash: secretHash(f.client, name),
	}
	if err := in.Validate(); err != nil {
		s.signUpPage(w, r, f, http.StatusBadRequest, name, values, s.message(f, err))
		return
	}
	out, err := s.api.SignUp(ctx, in)
	if err != nil {
		s.signUpPage(w, r, f, http.StatusBadRequest, name, values, s.message(f, err))
		return
	}
	if err := s.setPending(w, f, name); err != nil {
		s.log.Error("hostedui: remembering a sign-up", "pool", f.site.PoolID, "err", err)
	}
	if out.UserConfirmed {
		s.signInConfirmed(w, r, f, name)
		return
	}
	s.confirmPage(w, r, f, http.StatusOK, name, confirmDescription(out.CodeDeliveryDetails), "")
}

func (s *Service) signUpPage(w http.ResponseWriter, r *http.Request, f *flow, status int, username string, values map[string]string, errMsg string) {
	p := s.newPage(w, r, f, titleSignUp, "/signup")
	p.Username, p.Error = username, errMsg
	p.UsernameType, p.UsernameAutocomplete = "text", "username"
	ua := f.site.Pool.UsernameAttributes
	if len(ua) == 1 && ua[0] == cognitoidp.UsernameAttributeTypeEmail {
		p.UsernameType, p.UsernameAutocomplete = "email", "email"
	} else if len(ua) == 1 && ua[0] == cognitoidp.UsernameAttributeTypePhoneNumber {
		p.UsernameType, p.UsernameAutocomplete = "tel", "tel"
	}
	p.Fields = signUpFields(f.site.Pool)
	for i := range p.Fields {
		p.Fields[i].Value = values[p.Fields[i].Name]
	}
	p.PasswordHint = passwordHint(f.site.Pool)
	if s.terms != nil {
		if docs, err := s.terms(r.Context(), f.site.PoolID, f.client.ID); err == nil {
			if tou, pp, ok := docs.Links(f.txn.Lang); ok {
				p.TermsURL, p.PrivacyURL = tou, pp
			}
		} else {
			s.log.Warn("hostedui: reading the client's terms", "pool", f.site.PoolID, "err", err)
		}
	}
	s.render(w, status, "signup", p)
}

// Confirm serves /confirm: the sign-up confirmation code (action=confirm)
// or a new code (action=resend). A user who signed up in this browser is
// signed in once confirmed; anyone else goes to the sign-in page.
func (s *Service) Confirm(w http.ResponseWriter, r *http.Request) {
	f, ok := s.begin(w, r)
	if !ok {
		return
	}
	if r.Method != http.MethodPost {
		s.confirmPage(w, r, f, http.StatusOK, r.URL.Query().Get("username"), msgConfirmDescription, "")
		return
	}
	ctx := r.Context()
	name := strings.TrimSpace(r.PostFormValue("username"))
	if name == "" {
		s.loginPage(w, r, f, http.StatusBadRequest, "", msgSessionLost, "")
		return
	}
	if r.PostFormValue("action") == "resend" {
		in := &cognitoidp.ResendConfirmationCodeRequest{ClientId: api.Ptr(f.client.ID), Username: api.Ptr(name), SecretHash: secretHash(f.client, name)}
		out, err := s.resend(ctx, in)
		if err != nil {
			s.confirmPage(w, r, f, http.StatusBadRequest, name, msgConfirmDescription, s.message(f, err))
			return
		}
		p := confirmDescription(out.CodeDeliveryDetails)
		s.confirmPageInfo(w, r, f, name, p)
		return
	}
	in := &cognitoidp.ConfirmSignUpRequest{
		ClientId: api.Ptr(f.client.ID), Username: api.Ptr(name),
		ConfirmationCode: api.Ptr(strings.TrimSpace(r.PostFormValue("code"))), SecretHash: secretHash(f.client, name),
	}
	if s.api.ConfirmSignUp == nil {
		s.Error(w, r, f.site, http.StatusNotImplemented, "server_error", msgServerError)
		return
	}
	if err := in.Validate(); err != nil {
		s.confirmPage(w, r, f, http.StatusBadRequest, name, msgConfirmDescription, s.message(f, err))
		return
	}
	if _, err := s.api.ConfirmSignUp(ctx, in); err != nil {
		s.confirmPage(w, r, f, http.StatusBadRequest, name, msgConfirmDescription, s.message(f, err))
		return
	}
	if s.takePending(w, r, f, name) {
		s.signInConfirmed(w, r, f, name)
		return
	}
	s.loginPage(w, r, f, http.StatusOK, name, "", msgConfirmed)
}

func (s *Service) resend(ctx context.Context, in *cognitoidp.ResendConfirmationCodeRequest) (*cognitoidp.ResendConfirmationCodeResponse, error) {
	if s.api.ResendConfirmationCode == nil {
		return nil, fmt.Errorf("hostedui: ResendConfirmationCode is not served")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.api.ResendConfirmationCode(ctx, in)
}

func (s *Service) confirmPage(w http.ResponseWriter, r *http.Request, f *flow, status int, username, desc, errMsg string) {
	p := s.newPage(w, r, f, titleConfirm, "/confirm")
	p.Username, p.Description, p.Error = username, desc, errMsg
	s.render(w, status, "confirm", p)
}

func (s *Service) confirmPageInfo(w http.ResponseWriter, r *http.Request, f *flow, username, info string) {
	p := s.newPage(w, r, f, titleConfirm, "/confirm")
	p.Username, p.Description, p.Info = username, msgConfirmDescription, info
	s.render(w, http.StatusOK, "confirm", p)
}

// startConfirm sends an unconfirmed user who tried to sign in a new code
// and shows the confirmation page (Cognito's hosted UI does the same).
func (s *Service) startConfirm(w http.ResponseWriter, r *http.Request, f *flow, name string) {
	in := &cognitoidp.ResendConfirmationCodeRequest{ClientId: api.Ptr(f.client.ID), Username: api.Ptr(name), SecretHash: secretHash(f.client, name)}
	out, err := s.resend(r.Context(), in)
	if err != nil {
		s.confirmPage(w, r, f, http.StatusOK, name, msgConfirmDescription, s.message(f, err))
		return
	}
	s.confirmPage(w, r, f, http.StatusOK, name, confirmDescription(out.CodeDeliveryDetails), "")
}

// signInConfirmed signs in a user who just signed up (and confirmed) in this
// browser.
func (s *Service) signInConfirmed(w http.ResponseWriter, r *http.Request, f *flow, name string) {
	step, err := s.auth.HostedSignInConfirmed(r.Context(), f.site.PoolID, f.client.ID, name)
	if err != nil {
		s.loginPage(w, r, f, http.StatusOK, name, "", msgConfirmed)
		return
	}
	s.next(w, r, f, step)
}

// The pending sign-up: a sealed cookie naming who signed up in this browser
// (pool, client, username), so only they are signed in at once after
// confirming; anyone confirming with a code alone signs in with a password.

const pendingCookie = "cogito-signup"

type pending struct {
	PoolID, ClientID, Username string
	Expires                    time.Time
}

func (s *Service) setPending(w http.ResponseWriter, f *flow, name string) error {
	v, err := s.pending.seal(pending{PoolID: f.site.PoolID, ClientID: f.client.ID, Username: name, Expires: s.clock.Now().Add(pendingLifetime)}, pendingCookie)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: v, Path: f.site.CookiePath, MaxAge: int(pendingLifetime / time.Second),
		HttpOnly: true, Secure: f.site.Secure, SameSite: http.SameSiteLaxMode})
	return nil
}

// takePending reports (and clears) a pending sign-up of name in this
// browser.
func (s *Service) takePending(w http.ResponseWriter, r *http.Request, f *flow, name string) bool {
	c, err := r.Cookie(pendingCookie)
	if err != nil {
		return false
	}
	var p pending
	ok := s.pending.open(c.Value, pendingCookie, &p) && p.PoolID == f.site.PoolID && p.ClientID == f.client.ID &&
		strings.EqualFold(p.Username, name) && s.clock.Now().Before(p.Expires)
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: "", Path: f.site.CookiePath, MaxAge: -1,
		HttpOnly: true, Secure: f.site.Secure, SameSite: http.SameSiteLaxMode})
	return ok
}

// secretHash is SECRET_HASH for a client with a secret (the pages act for
// the client, which holds it), nil otherwise.
func secretHash(c *clients.Client, username string) *string {
	if !c.HasSecret() {
		return nil
	}
	return api.Ptr(signup.SecretHash(c.ID, c.Secrets[len(c.Secrets)-1].Value, username))
}

func confirmDescription(d *cognitoidp.CodeDeliveryDetailsType) string {
	if d == nil || d.Destination == nil {
		return msgConfirmDescription
	}
	return fmt.Sprintf(msgCodeSent, *d.Destination)
}

// signUpFields are the sign-up page's attribute fields: the pool's required
// attributes but the one the username field stands for.
func signUpFields(pool *cognitoidp.UserPoolType) []field {
	var out []field
	for _, a := range pool.SchemaAttributes {
		if a.Name == nil || a.Required == nil || !*a.Required {
			continue
		}
		name := *a.Name
		if name == "sub" || slices.Contains(pool.UsernameAttributes, cognitoidp.UsernameAttributeType(name)) && len(pool.UsernameAttributes) == 1 {
			continue
		}
		out = append(out, attributeField(name))
	}
	return out
}

// requiredFields are the fields of NEW_PASSWORD_REQUIRED's
// requiredAttributes (["userAttributes.name", ...]).
func requiredFields(pool *cognitoidp.UserPoolType, raw string) []field {
	var out []field
	for _, v := range decodeList(raw) {
		out = append(out, attributeField(strings.TrimPrefix(v, "userAttributes.")))
	}
	return out
}

// attributeField is the input of an attribute.
func attributeField(name string) field {
	f := field{Name: name, Label: name, Type: "text"}
	if l, ok := attributeLabels[name]; ok {
		f.Label = l
	} else if c, ok := strings.CutPrefix(name, "custom:"); ok {
		f.Label = c
	}
	switch name {
	case "email":
		f.Type, f.Autocomplete = "email", "email"
	case "phone_number":
		f.Type, f.Autocomplete = "tel", "tel"
	case "birthdate":
		f.Autocomplete = "bday"
	case "given_name":
		f.Autocomplete = "given-name"
	case "family_name":
		f.Autocomplete = "family-name"
	case "name":
		f.Autocomplete = "name"
	case "address":
		f.Autocomplete = "street-address"
	case "website", "picture", "profile":
		f.Type, f.Autocomplete = "text", "url"
	}
	return f
}

var attributeLabels = map[string]string{
	"email": "Email address", "phone_number": "Phone number (+ and country code)", "name": "Name",
	"given_name": "Given name", "family_name": "Family name", "middle_name": "Middle name",
	"nickname": "Nickname", "preferred_username": "Preferred username", "birthdate": "Birthdate (YYYY-MM-DD)",
	"gender": "Gender", "address": "Address", "locale": "Locale", "zoneinfo": "Time zone",
	"website": "Website", "picture": "Picture URL", "profile": "Profile URL", "updated_at": "Updated at",
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
