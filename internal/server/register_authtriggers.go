package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/risk"
)

// The sign-in side of triggers and threat protection: the hooks register
// gives the sign-in, sign-up and account families — threat protection's
// checks (built by registerRisk, after those families, so looked up when
// called), user migration for ForgotPassword (s.auth's) — and the one-click
// feedback links of risk notifications with the endpoint they point to.

// signInRisk is threat protection for sign-in (auth.Config.Risk): s.risk,
// which exists by the time a request arrives.
type signInRisk struct{ s *Server }

func (r signInRisk) AssessSignIn(ctx context.Context, in risk.SignIn) (*risk.Decision, error) {
	if r.s.risk == nil {
		return nil, nil
	}
	return r.s.risk.AssessSignIn(ctx, in)
}

func (r signInRisk) Notify(ctx context.Context, in risk.NotifyInput) error {
	if r.s.risk == nil {
		return nil
	}
	return r.s.risk.Notify(ctx, in)
}

func (r signInRisk) CheckPassword(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, pw string) (bool, error) {
	if r.s.risk == nil {
		return false, nil
	}
	return r.s.risk.CheckPassword(ctx, pool, clientID, event, pw)
}

// checkPassword is the compromised-credentials check of SignUp and
// ConfirmForgotPassword (signup.Config.CheckPassword).
func (s *Server) checkPassword(ctx context.Context, pool *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, pw string) error {
	_, err := signInRisk{s}.CheckPassword(ctx, pool, clientID, event, pw)
	return err
}

// migrateUser is ForgotPassword's user migration (signup.Config.MigrateUser).
func (s *Server) migrateUser(ctx context.Context, poolID, clientID, name string, metadata map[string]string) (*storage.User, error) {
	return s.auth.MigrateUser(ctx, poolID, clientID, name, metadata)
}

// feedbackPath is the one-click feedback endpoint of risk notifications, under
// a pool's path: GET /{poolId}/auth-event-feedback?username=…&event_id=…
// &token=…&value=valid|invalid records the user's feedback on the event, as
// UpdateAuthEventFeedback does with the event's FeedbackToken.
const feedbackPath = "/auth-event-feedback"

// feedbackLinks returns the "this was me" and "this wasn't me" links of a
// notification about event eventID of user u (auth.Config.FeedbackLinks).
func (s *Server) feedbackLinks(_ context.Context, poolID string, u *storage.User, eventID string) (valid, invalid string, err error) {
	tok, err := s.account.FeedbackToken(poolID, u.Sub, eventID)
	if err != nil {
		return "", "", err
	}
	link := func(value string) string {
		q := url.Values{"username": {u.Username}, "event_id": {eventID}, "token": {tok}, "value": {value}}
		return strings.TrimSuffix(s.publicBaseURL(), "/") + "/" + url.PathEscape(poolID) + feedbackPath + "?" + q.Encode()
	}
	return link("valid"), link("invalid"), nil
}

// feedbackRoutes serves the one-click feedback endpoint.
func (s *Server) feedbackRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{poolID}"+feedbackPath, s.authEventFeedback)
}

// authEventFeedback records one-click feedback and answers a short page.
func (s *Server) authEventFeedback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	value := cognitoidp.FeedbackValueTypeValid
	switch strings.ToLower(q.Get("value")) {
	case "valid":
	case "invalid":
		value = cognitoidp.FeedbackValueTypeInvalid
	default:
		feedbackPage(w, http.StatusBadRequest, "This link is not valid.")
		return
	}
	_, err := s.account.UpdateAuthEventFeedback(r.Context(), &cognitoidp.UpdateAuthEventFeedbackRequest{
		UserPoolId: api.Ptr(r.PathValue("poolID")), Username: api.Ptr(q.Get("username")),
		EventId: api.Ptr(q.Get("event_id")), FeedbackToken: api.Ptr(q.Get("token")), FeedbackValue: api.Ptr(value),
	})
	if err != nil {
		if ae, ok := awserr.As(err); ok {
			feedbackPage(w, http.StatusBadRequest, "Your feedback could not be recorded: "+ae.Message)
			return
		}
		s.log.ErrorContext(r.Context(), "recording auth event feedback", "err", err)
		feedbackPage(w, http.StatusInternalServerError, "Your feedback could not be recorded.")
		return
	}
	feedbackPage(w, http.StatusOK, "Thank you. Your feedback was recorded.")
}

func feedbackPage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign-in feedback</title></head><body><p>" +
		html.EscapeString(msg) + "</p></body></html>"))
}
