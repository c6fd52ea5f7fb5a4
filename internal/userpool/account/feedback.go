package account

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// A feedback token authorizes UpdateAuthEventFeedback for one auth event of
// one user, without credentials: Cognito puts such tokens in the links of its
// risk notification emails ("this was me" / "this wasn't me"). Cogito's is
//
//	base64url( keys.Sealer.Seal( {"p": poolID, "s": sub, "e": eventID}, feedbackAD ) )
//
// unpadded: AES-256-GCM under the master key, so every replica can open it
// and nobody can make one for another event. It binds the user's sub, not
// the username, so a user deleted and created again under the same name
// cannot use the old user's tokens. It does not expire (Cognito documents no
// lifetime; unverified).

// feedbackAD is the associated data binding a sealed feedback token to its
// purpose.
var feedbackAD = []byte("cogito/account/feedback-token/v1")

type feedbackClaims struct {
	Pool  string `json:"p"`
	Sub   string `json:"s"`
	Event string `json:"e"`
}

// FeedbackToken returns the token that lets its holder give feedback on the
// auth event eventID of the user with sub in poolID through
// UpdateAuthEventFeedback (sign-in puts it in risk notifications).
func (s *Service) FeedbackToken(poolID, sub, eventID string) (string, error) {
	if s.sealer == nil {
		return "", errors.New("account: no sealer configured for feedback tokens")
	}
	b, err := json.Marshal(feedbackClaims{Pool: poolID, Sub: sub, Event: eventID})
	if err != nil {
		return "", fmt.Errorf("account: encoding a feedback token: %w", err)
	}
	sealed, err := s.sealer.Seal(b, feedbackAD)
	if err != nil {
		return "", fmt.Errorf("account: sealing a feedback token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// feedbackTokenValid reports whether tok is a feedback token for the event of
// the user with sub in poolID.
func (s *Service) feedbackTokenValid(tok, poolID, sub, eventID string) bool {
	if s.sealer == nil {
		return false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return false
	}
	b, err := s.sealer.Open(sealed, feedbackAD)
	if err != nil {
		return false
	}
	var c feedbackClaims
	if err := json.Unmarshal(b, &c); err != nil {
		return false
	}
	return c.Pool == poolID && c.Sub == sub && c.Event == eventID
}
