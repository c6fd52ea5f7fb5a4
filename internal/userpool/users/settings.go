package users

import (
	"encoding/json"
	"fmt"
	"maps"

	"github.com/cogito-dev/cogito/internal/storage"
)

// A user's Settings (storage.User.Settings) is one JSON object shared by the
// families that keep something per user; each owns its own top-level
// members and leaves the others untouched. This package owns:
//
//	"pendingAttributes": {"email": "new@example.com"}
//
// the values of attributes in the pool's
// AttributesRequireVerificationBeforeUpdate that an update asked for and
// that replace the current value once verified (VerifyUserAttribute).
const settingsPending = "pendingAttributes"

// decodeSettings reads the Settings object into its members.
func decodeSettings(u *storage.User) (map[string]json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(u.Settings) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(u.Settings, &m); err != nil {
		return nil, fmt.Errorf("users: decoding settings of user %q: %w", u.Key, err)
	}
	if m == nil { // the document was "null"
		m = map[string]json.RawMessage{}
	}
	return m, nil
}

// PendingAttributes returns the attribute values awaiting verification
// before they replace the current ones (never nil).
func PendingAttributes(u *storage.User) (map[string]string, error) {
	m, err := decodeSettings(u)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	if raw, ok := m[settingsPending]; ok {
		if err := json.Unmarshal(raw, &out); err != nil {
			return nil, fmt.Errorf("users: decoding pending attributes of user %q: %w", u.Key, err)
		}
		if out == nil {
			out = map[string]string{}
		}
	}
	return out, nil
}

// SetPendingAttributes replaces the user's pending attribute values in
// u.Settings (an empty map removes the member), keeping every other member.
func SetPendingAttributes(u *storage.User, pending map[string]string) error {
	m, err := decodeSettings(u)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		delete(m, settingsPending)
	} else {
		b, err := json.Marshal(maps.Clone(pending))
		if err != nil {
			return fmt.Errorf("users: encoding pending attributes: %w", err)
		}
		m[settingsPending] = b
	}
	if len(m) == 0 {
		u.Settings = nil
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("users: encoding settings: %w", err)
	}
	u.Settings = b
	return nil
}
