package oauth

import (
	"net/http"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
)

// This file is the seam between the authorization endpoint and federation
// (sign-in through an external OIDC, social or SAML identity provider, built
// in internal/federation).
//
// The flow:
//
//  1. /oauth2/authorize (or the hosted login page's provider button) has
//     checked the request: the client, its redirect URI, flows and scopes.
//     When identity_provider (or idp_identifier) names an external provider,
//     it builds a Txn and calls Federation.Start, which redirects the browser
//     to the provider. Start keeps the transaction across the round trip,
//     e.g. in its own state value or cookie, sealed with Completer.SealTxn.
//  2. The provider answers at the federation's endpoint under the same
//     domain (Txn.BaseURL + "/oauth2/idpresponse" or "/saml2/idpresponse").
//     The federation handler recovers the Txn with Completer.OpenTxn,
//     verifies the provider's answer, creates or updates the user (or finds
//     the linked native user), and calls Completer.Complete, which starts the
//     hosted session and redirects to the client's redirect_uri with the
//     code or the tokens, exactly as a Cognito sign-in would.
//  3. When the provider refuses or anything fails (a trigger, a mapping),
//     the handler calls Completer.Fail, which redirects the error to the
//     client's redirect_uri (the URI was checked in step 1).

// Txn is a login transaction: an authorize request that was checked and now
// waits for the user to be authenticated (by the hosted login pages or by an
// external identity provider). It travels sealed (Completer.SealTxn), so a
// browser can neither read nor alter it.
type Txn struct {
	// PoolID and ClientID: the pool and app client of the request.
	PoolID   string `json:"p"`
	ClientID string `json:"c"`
	// RedirectURI is the request's redirect_uri, one of the client's
	// CallbackURLs (checked).
	RedirectURI string `json:"r"`
	// ResponseType is "code" or "token".
	ResponseType string `json:"t"`
	// Scopes are the scopes to grant: the requested ones the client allows,
	// or all the client's scopes when none were requested.
	Scopes []string `json:"s,omitempty"`
	// State, Nonce: echoed back (state in the redirect, nonce in the ID
	// token).
	State string `json:"st,omitempty"`
	Nonce string `json:"n,omitempty"`
	// CodeChallenge and CodeChallengeMethod are the PKCE parameters ("S256").
	CodeChallenge       string `json:"cc,omitempty"`
	CodeChallengeMethod string `json:"ccm,omitempty"`
	// IdentityProvider is the provider the user signs in with: "COGNITO"
	// (the hosted login pages) or an identity provider's name (resolved from
	// idp_identifier when that was given). Empty: the user chooses.
	IdentityProvider string `json:"idp,omitempty"`
	// LoginHint, Lang and Prompt are the request's login_hint, lang and
	// prompt parameters, passed on to the pages (or the provider).
	LoginHint string `json:"lh,omitempty"`
	Lang      string `json:"lang,omitempty"`
	Prompt    string `json:"pr,omitempty"`
	// ACR is the authentication levels acr_values asked for, as level
	// digits in priority order (auth.ParseACRValues), "" for none; MaxAge
	// is max_age in seconds when HasMaxAge (Fresh).
	ACR       string `json:"acr,omitempty"`
	MaxAge    int64  `json:"ma,omitempty"`
	HasMaxAge bool   `json:"hma,omitempty"`
	// BaseURL is where this pool's managed login is served for this request,
	// without a trailing slash: "https://{prefix}.auth.{region}.amazoncognito.com",
	// a custom domain, or "https://localhost:9443/{poolId or prefix}" when
	// selected by path. Federation builds its callback URL from it.
	BaseURL string `json:"b"`
	// Created is when the authorize request arrived; a Txn is good for
	// TxnLifetime.
	Created time.Time `json:"at"`
}

// Federation signs users in through external identity providers. The
// authorize endpoint calls Start when the request names one; the
// implementation lives in internal/federation.
type Federation interface {
	// Start redirects the browser to the identity provider idpName of pool
	// (a provider the client's SupportedIdentityProviders lists; checked) to
	// authenticate the user for txn. It writes the whole response, errors
	// included (for an error it may call Completer.Fail).
	Start(w http.ResponseWriter, r *http.Request, pool *cognitoidp.UserPoolType, client *clients.Client, idpName string, txn *Txn)
}

// Completer is what a federation handler calls back into: the oauth
// Service implements it.
type Completer interface {
	// SealTxn seals txn for a round trip through the browser.
	SealTxn(txn *Txn) (string, error)
	// OpenTxn opens what SealTxn produced; an error when it was altered,
	// belongs to another purpose, or is older than TxnLifetime.
	OpenTxn(sealed string) (*Txn, error)
	// Complete finishes a sign-in for txn: user (of txn.PoolID, enabled)
	// authenticated at authTime. It sets the hosted session cookie and
	// redirects to txn.RedirectURI with a code (response_type=code) or the
	// tokens (token), and the state. It writes the whole response, errors
	// included.
	Complete(w http.ResponseWriter, r *http.Request, txn *Txn, user *storage.User, authTime time.Time)
	// Fail redirects to txn.RedirectURI with error (an RFC 6749 code such as
	// "access_denied", "invalid_request" or "server_error") and
	// error_description, and the state.
	Fail(w http.ResponseWriter, r *http.Request, txn *Txn, code, description string)
}
