package oauth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/auth"
)

var b64 = base64.RawURLEncoding

// txnAAD binds sealed transactions to their purpose and format.
var txnAAD = []byte("cogito/oauth-txn/v1")

// SealTxn seals txn for a round trip through the browser.
func (s *Service) SealTxn(txn *Txn) (string, error) {
	b, err := json.Marshal(txn)
	if err != nil {
		return "", fmt.Errorf("oauth: encoding a login transaction: %w", err)
	}
	return b64.EncodeToString(s.txnAEAD.Seal(nil, nil, b, txnAAD)), nil
}

// ErrBadTxn is OpenTxn's answer for anything but an unexpired transaction
// of ours.
var ErrBadTxn = errors.New("oauth: invalid or expired login transaction")

// OpenTxn opens what SealTxn produced.
func (s *Service) OpenTxn(sealed string) (*Txn, error) {
	raw, err := b64.DecodeString(sealed)
	if err != nil || len(sealed) > 8192 {
		return nil, ErrBadTxn
	}
	b, err := s.txnAEAD.Open(nil, nil, raw, txnAAD)
	if err != nil {
		return nil, ErrBadTxn
	}
	var txn Txn
	if err := json.Unmarshal(b, &txn); err != nil {
		return nil, ErrBadTxn
	}
	if !s.clock.Now().Before(txn.Created.Add(TxnLifetime)) {
		return nil, ErrBadTxn
	}
	return &txn, nil
}

// SignIn describes a completed sign-in beyond the user: when, and the auth
// event and device it recorded.
type SignIn struct {
	AuthTime  time.Time
	EventID   string
	DeviceKey string
	// FirstFactor and MFAFactor are the factors the user signed in with
	// (auth.HostedStep's), for acr and amr; "" when unknown (a hosted
	// session reused, federation).
	FirstFactor, MFAFactor string
	// IdPLevel and IdPAMR: a federated sign-in's level and methods
	// (CompleteFederated).
	IdPLevel string
	IdPAMR   []string
}

// CompleteFederated finishes a federated sign-in for txn (as Complete does)
// through identity provider p, whose answer carried claims: when txn asked
// for levels, the provider's acr maps back to a level through p's
// AcrMapping (an unmapped value is the lowest level) and its amr becomes
// the tokens' amr.
func (s *Service) CompleteFederated(w http.ResponseWriter, r *http.Request, txn *Txn, user *storage.User, authTime time.Time, p *cognitoidp.IdentityProviderType, claims map[string]any) {
	in := SignIn{AuthTime: authTime}
	if txn.ACR != "" && p != nil {
		acr, _ := claims["acr"].(string)
		in.IdPLevel = auth.IdPLevel(p, acr)
		switch v := claims["amr"].(type) {
		case []any:
			for _, m := range v {
				if s, ok := m.(string); ok {
					in.IdPAMR = append(in.IdPAMR, s)
				}
			}
		case []string:
			in.IdPAMR = append(in.IdPAMR, v...)
		}
	}
	s.CompleteSignIn(w, r, txn, user, in)
}

// IdPACRValues is the acr_values to pass identity provider p for txn's
// levels (through p's AcrMapping; "" for none).
func IdPACRValues(p *cognitoidp.IdentityProviderType, txn *Txn) string {
	if txn.ACR == "" || p == nil {
		return ""
	}
	return auth.IdPACRValues(p, txn.ACR)
}

// Fresh reports whether a sign-in at authTime is recent enough for txn's
// max_age (always, without one).
func (txn *Txn) Fresh(authTime, now time.Time) bool {
	return !txn.HasMaxAge || now.Sub(authTime) <= time.Duration(txn.MaxAge)*time.Second
}

// Complete finishes a sign-in for txn (the federation seam, Completer).
func (s *Service) Complete(w http.ResponseWriter, r *http.Request, txn *Txn, user *storage.User, authTime time.Time) {
	s.CompleteSignIn(w, r, txn, user, SignIn{AuthTime: authTime})
}

// CompleteSignIn finishes a sign-in for txn: it starts the hosted session
// (the cookie, for silent re-authorization) and redirects to the client with
// a code or the tokens.
func (s *Service) CompleteSignIn(w http.ResponseWriter, r *http.Request, txn *Txn, user *storage.User, in SignIn) {
	if user == nil || user.PoolID != txn.PoolID || !user.Enabled {
		s.Fail(w, r, txn, errServerError, "")
		return
	}
	if in.AuthTime.IsZero() {
		in.AuthTime = s.clock.Now()
	}
	if err := s.setSession(w, r, txn, user, in.AuthTime); err != nil {
		s.log.Error("oauth: starting the hosted session", "pool", txn.PoolID, "err", err)
		s.Fail(w, r, txn, errServerError, "")
		return
	}
	s.respond(w, r, txn, user, in)
}

// respond redirects to txn's client with a new code or tokens for user.
func (s *Service) respond(w http.ResponseWriter, r *http.Request, txn *Txn, user *storage.User, in SignIn) {
	ctx := r.Context()
	if txn.ResponseType == "token" {
		issued, err := s.auth.IssueOAuth(ctx, txn.PoolID, txn.ClientID, user, auth.OAuthGrant{
			Scopes: txn.Scopes, Nonce: txn.Nonce, AuthTime: in.AuthTime, EventID: in.EventID, DeviceKey: in.DeviceKey,
			ACR: txn.ACR, FirstFactor: in.FirstFactor, MFAFactor: in.MFAFactor, IdPLevel: in.IdPLevel, IdPAMR: in.IdPAMR,
		})
		if err != nil {
			s.failIssue(w, r, txn, err)
			return
		}
		frag := make([]string, 0, 5)
		if slices.Contains(txn.Scopes, ScopeOpenID) {
			frag = append(frag, "id_token="+url.QueryEscape(issued.IDToken))
		}
		frag = append(frag, "access_token="+url.QueryEscape(issued.AccessToken), "token_type=Bearer",
			"expires_in="+strconv.Itoa(int(issued.ExpiresIn)))
		if txn.State != "" {
			frag = append(frag, "state="+url.QueryEscape(txn.State))
		}
		redirect(w, r, withFragment(txn.RedirectURI, strings.Join(frag, "&")))
		return
	}
	code, err := s.newCode(ctx, txn, user, in)
	if err != nil {
		s.log.Error("oauth: issuing an authorization code", "pool", txn.PoolID, "err", err)
		s.Fail(w, r, txn, errServerError, "")
		return
	}
	q := url.Values{"code": {code}}
	if txn.State != "" {
		q.Set("state", txn.State)
	}
	redirect(w, r, withQuery(txn.RedirectURI, q))
}

// failIssue reports a failure to issue tokens: a Lambda trigger's refusal
// goes to the client with its message, as Cognito's hosted UI does.
func (s *Service) failIssue(w http.ResponseWriter, r *http.Request, txn *Txn, err error) {
	if code, msg, ok := cognitoError(err); ok {
		s.Fail(w, r, txn, errInvalidRequest, cognitoDescription(code, msg))
		return
	}
	s.log.Error("oauth: issuing tokens", "pool", txn.PoolID, "err", err)
	s.Fail(w, r, txn, errServerError, "")
}

// Fail redirects an error to txn's client, with the state.
func (s *Service) Fail(w http.ResponseWriter, r *http.Request, txn *Txn, code, description string) {
	q := url.Values{"error": {code}}
	if description != "" {
		q.Set("error_description", description)
	}
	if txn.State != "" {
		q.Set("state", txn.State)
	}
	redirect(w, r, withQuery(txn.RedirectURI, q))
}

// withQuery adds q to u's query (u is a registered callback URL, which may
// have one already).
func withQuery(u string, q url.Values) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + q.Encode()
}

func withFragment(u, frag string) string { return u + "#" + frag }

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
}

// session is what the hosted session cookie seals.
type session struct {
	PoolID   string    `json:"p"`
	UserKey  string    `json:"k"`
	Sub      string    `json:"s"`
	AuthTime time.Time `json:"a"`
	Expires  time.Time `json:"e"`
}

func sessionAAD(poolID string) []byte { return []byte("cogito/oauth-session/v1/" + poolID) }

// setSession starts (or renews) the hosted session of user on txn's site.
func (s *Service) setSession(w http.ResponseWriter, r *http.Request, txn *Txn, user *storage.User, authTime time.Time) error {
	now := s.clock.Now()
	b, err := json.Marshal(session{PoolID: user.PoolID, UserKey: user.Key, Sub: user.Sub, AuthTime: authTime.UTC(), Expires: now.Add(SessionLifetime).UTC()})
	if err != nil {
		return err
	}
	path, secure := cookieScope(r, txn.BaseURL)
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: b64.EncodeToString(s.sessionAEAD.Seal(nil, nil, b, sessionAAD(user.PoolID))),
		Path: path, MaxAge: int(SessionLifetime / time.Second), HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// cookieScope is the Path of a site's cookies (from its BaseURL) and
// whether they are Secure.
func cookieScope(r *http.Request, base string) (string, bool) {
	path := "/"
	if u, err := url.Parse(base); err == nil && u.Path != "" && u.Path != "/" {
		path = strings.TrimRight(u.Path, "/") + "/"
	}
	return path, isSecure(r)
}

// SessionUser returns the user of the request's hosted session on site,
// if it is valid: unexpired, for this pool, of a user who still exists and
// may sign in. nil otherwise.
func (s *Service) SessionUser(ctx context.Context, r *http.Request, site *Site) (*storage.User, time.Time) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 4096 {
		return nil, time.Time{}
	}
	raw, err := b64.DecodeString(c.Value)
	if err != nil {
		return nil, time.Time{}
	}
	b, err := s.sessionAEAD.Open(nil, nil, raw, sessionAAD(site.PoolID))
	if err != nil {
		return nil, time.Time{}
	}
	var sess session
	if json.Unmarshal(b, &sess) != nil || sess.PoolID != site.PoolID || !s.clock.Now().Before(sess.Expires) {
		return nil, time.Time{}
	}
	u, err := s.store.GetUser(ctx, site.PoolID, sess.UserKey)
	if err != nil || u.Sub != sess.Sub || !u.Enabled {
		return nil, time.Time{}
	}
	switch u.Status {
	case "CONFIRMED", "EXTERNAL_PROVIDER":
	default:
		return nil, time.Time{}
	}
	return u, sess.AuthTime
}

// ClearSession ends the hosted session on site.
func (s *Service) ClearSession(w http.ResponseWriter, r *http.Request, site *Site) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: site.CookiePath, MaxAge: -1,
		HttpOnly: true, Secure: site.Secure, SameSite: http.SameSiteLaxMode,
	})
}
