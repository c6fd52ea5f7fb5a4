package federation

import (
	"html/template"
	"net/http"
)

// errorTemplate is the page shown when an IdP's answer cannot be tied to a
// sign-in (no redirect_uri to send the error to), as Cognito shows its
// error page.
var errorTemplate = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in error</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.4rem}</style></head>
<body><main><h1>Something went wrong</h1><p role="alert">{{.}}</p></main></body>
</html>
`))

// errorPage shows the error page with status: the managed login's (Config.Pages)
// when there is one, else a plain one.
func (s *Service) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if s.pages != nil {
		code := errInvalidRequest
		if status >= http.StatusInternalServerError {
			code = errServerError
		}
		s.pages.Error(w, r, nil, status, code, msg)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = errorTemplate.Execute(w, msg)
}
