// Package oauth serves a user pool's OAuth 2.0 and OpenID Connect endpoints
// as Cognito's managed login does: /oauth2/authorize, /oauth2/token,
// /oauth2/userInfo, /oauth2/revoke and /logout, with authorization codes,
// PKCE, the hosted session cookie, and the seam federation plugs into
// (federation.go).
package oauth

import "time"

// TxnLifetime is how long a login transaction (an authorize request waiting
// for the user to sign in) stays usable. (unverified: Cognito does not
// document it; an hour matches its hosted session.)
const TxnLifetime = time.Hour
