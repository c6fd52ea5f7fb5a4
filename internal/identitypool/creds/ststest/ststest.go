// Package ststest is a small STS double for tests: it answers
// AssumeRoleWithWebIdentity (the query protocol the SDKs speak) after a
// caller-supplied check of the web identity token, and records the calls.
package ststest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Call is one AssumeRoleWithWebIdentity request.
type Call struct {
	RoleARN, RoleSessionName, WebIdentityToken string
	DurationSeconds                            string
}

// Refusal is an STS error the check returns (Code like "InvalidIdentityToken").
type Refusal struct{ Code, Message string }

func (r *Refusal) Error() string { return r.Code + ": " + r.Message }

// Server is the running double.
type Server struct {
	URL string
	mu  sync.Mutex
	// calls are the requests received, in order.
	calls []Call
	// issued maps the access key ids handed out to the call that got them.
	issued map[string]Call
}

// Calls returns the requests received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Issued returns the call an access key id was handed out for.
func (s *Server) Issued(accessKeyID string) (Call, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.issued[accessKeyID]
	return c, ok
}

// New starts the double; check decides each call (nil accepts it, a
// *Refusal becomes that STS error, anything else AccessDenied).
func New(t testing.TB, check func(c Call) error) *Server {
	s := &Server{issued: map[string]Call{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
			writeError(w, "InvalidAction", "Could not parse the request.")
			return
		}
		if a := r.PostForm.Get("Action"); a != "AssumeRoleWithWebIdentity" {
			writeError(w, "InvalidAction", fmt.Sprintf("Could not find operation %s for version 2011-06-15.", a))
			return
		}
		c := Call{RoleARN: r.PostForm.Get("RoleArn"), RoleSessionName: r.PostForm.Get("RoleSessionName"),
			WebIdentityToken: r.PostForm.Get("WebIdentityToken"), DurationSeconds: r.PostForm.Get("DurationSeconds")}
		s.mu.Lock()
		s.calls = append(s.calls, c)
		s.mu.Unlock()
		if check != nil {
			if err := check(c); err != nil {
				if ref, ok := err.(*Refusal); ok {
					writeError(w, ref.Code, ref.Message)
				} else {
					writeError(w, "AccessDenied", err.Error())
				}
				return
			}
		}
		akid := "ASIASTS" + strings.ToUpper(randomHex(7))[:13]
		s.mu.Lock()
		s.issued[akid] = c
		s.mu.Unlock()
		exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>%s</AccessKeyId>
      <SecretAccessKey>%s</SecretAccessKey>
      <SessionToken>%s</SessionToken>
      <Expiration>%s</Expiration>
    </Credentials>
    <AssumedRoleUser><Arn>%s/%s</Arn><AssumedRoleId>AROA:%s</AssumedRoleId></AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`, akid, randomHex(20), "FwoGZXIvYXdzE"+randomHex(40), exp,
			xmlEscape(strings.Replace(c.RoleARN, ":role/", ":assumed-role/", 1)), xmlEscape(c.RoleSessionName),
			xmlEscape(c.RoleSessionName), randomHex(8))
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func writeError(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		xmlEscape(code), xmlEscape(msg), randomHex(8))
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
