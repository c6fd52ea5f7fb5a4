package hostedui

import (
	"net/http"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// ForgotPassword serves /forgotPassword: GET asks for the username; POST
// calls ForgotPassword and shows the reset page.
func (s *Service) ForgotPassword(w http.ResponseWriter, r *http.Request) {
	f, ok := s.begin(w, r)
	if !ok {
		return
	}
	if s.api.ForgotPassword == nil || s.api.ConfirmForgotPassword == nil {
		s.Error(w, r, f.site, http.StatusNotImplemented, "server_error", msgServerError)
		return
	}
	if r.Method != http.MethodPost {
		p := s.newPage(w, r, f, titleForgot, "/forgotPassword")
		p.Username = f.txn.LoginHint
		s.render(w, http.StatusOK, "forgot", p)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("username"))
	s.startReset(w, r, f, name, "")
}

// startReset sends a password-reset code to name and shows the reset page
// (info says why, when the reset was not asked for).
func (s *Service) startReset(w http.ResponseWriter, r *http.Request, f *flow, name, info string) {
	in := &cognitoidp.ForgotPasswordRequest{ClientId: api.Ptr(f.client.ID), Username: api.Ptr(name), SecretHash: secretHash(f.client, name)}
	err := in.Validate()
	var out *cognitoidp.ForgotPasswordResponse
	if err == nil && s.api.ForgotPassword != nil {
		out, err = s.api.ForgotPassword(r.Context(), in)
	}
	if err != nil || out == nil {
		p := s.newPage(w, r, f, titleForgot, "/forgotPassword")
		p.Username, p.Error = name, s.message(f, err)
		s.render(w, http.StatusBadRequest, "forgot", p)
		return
	}
	p := s.newPage(w, r, f, titleReset, "/resetpassword")
	p.Username, p.Info = name, info
	p.Description = confirmDescription(out.CodeDeliveryDetails)
	p.PasswordHint = passwordHint(f.site.Pool)
	s.render(w, http.StatusOK, "reset", p)
}

// ResetPassword serves /resetpassword: POST confirms the reset with the
// code and a new password (ConfirmForgotPassword), then shows the sign-in
// page.
func (s *Service) ResetPassword(w http.ResponseWriter, r *http.Request) {
	f, ok := s.begin(w, r)
	if !ok {
		return
	}
	if r.Method != http.MethodPost {
		redirectTo(w, r, f.url("/forgotPassword"))
		return
	}
	name := strings.TrimSpace(r.PostFormValue("username"))
	in := &cognitoidp.ConfirmForgotPasswordRequest{
		ClientId: api.Ptr(f.client.ID), Username: api.Ptr(name),
		ConfirmationCode: api.Ptr(strings.TrimSpace(r.PostFormValue("code"))),
		Password:         api.Ptr(r.PostFormValue("password")), SecretHash: secretHash(f.client, name),
	}
	err := in.Validate()
	if err == nil && s.api.ConfirmForgotPassword != nil {
		_, err = s.api.ConfirmForgotPassword(r.Context(), in)
	}
	if err != nil {
		p := s.newPage(w, r, f, titleReset, "/resetpassword")
		p.Username, p.Error = name, s.message(f, err)
		p.Description = msgResetDescription
		p.PasswordHint = passwordHint(f.site.Pool)
		s.render(w, http.StatusBadRequest, "reset", p)
		return
	}
	s.loginPage(w, r, f, http.StatusOK, name, "", msgPasswordChanged)
}
