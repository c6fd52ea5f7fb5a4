package hostedui

import (
	"net/http"

	"github.com/cogito-dev/cogito/internal/oauth"
)

// Error shows an error page in plain words (oauth.Pages): code is the OAuth
// or Cognito error, shown small for whoever must fix the app; description
// is what the person reads. site is nil when the request names no pool.
func (s *Service) Error(w http.ResponseWriter, r *http.Request, site *oauth.Site, status int, code, description string) {
	text, known := errorText(code)
	detail := code
	if known && description != "" {
		detail += ": " + description // for whoever must fix the app
	} else if description != "" {
		text = description
	}
	p := &page{Lang: "en", Title: titleError, Description: text, Detail: detail}
	s.render(w, status, "error", p)
}

// ErrorPage serves /error?error=…: Cognito's error page, where its hosted UI
// sends people it cannot send back to the app.
func (s *Service) ErrorPage(w http.ResponseWriter, r *http.Request) {
	site, err := s.oauth.Resolve(r)
	if err != nil {
		site = nil
	}
	code := r.URL.Query().Get("error")
	if len(code) > 64 {
		code = code[:64]
	}
	s.Error(w, r, site, http.StatusBadRequest, code, "")
}

// errorText is the plain-words text of an error code; known is false for
// codes without one of their own.
func errorText(code string) (text string, known bool) {
	switch code {
	case "redirect_mismatch":
		return "The app sent you here with a return address it has not registered, so we cannot send you back to it. Contact the app's support.", true
	case "invalid_client", "unauthorized_client":
		return "The app that sent you here is not set up to sign in here. Contact the app's support.", true
	case "invalid_scope":
		return "The app asked for access it is not allowed to request. Contact the app's support.", true
	case "not_found":
		return msgNoSite, true
	case "":
		return "Something went wrong with the request that brought you here.", false
	}
	return "The request that brought you here is not valid. Go back to the app and try again.", false
}
