// Package usersettings reads and writes one family's member of a user's
// Settings document (storage.User.Settings).
//
// The document is one JSON object shared by every family that keeps
// something per user; each family owns its own top-level members (the users
// family "pendingAttributes", the import jobs "smsMfaEnabled", the MFA
// family "mfa", ...) and must leave the others untouched. Get and Set do
// exactly that, so a family adding a member never clobbers another's.
package usersettings

import (
	"encoding/json"
	"fmt"

	"github.com/cogito-dev/cogito/internal/storage"
)

// members decodes the Settings object (empty for no document).
func members(u *storage.User) (map[string]json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(u.Settings) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(u.Settings, &m); err != nil {
		return nil, fmt.Errorf("usersettings: decoding settings of user %q: %w", u.Key, err)
	}
	if m == nil { // the document was "null"
		m = map[string]json.RawMessage{}
	}
	return m, nil
}

// Get decodes the member key of u's Settings into v and reports whether it
// was there. v is left as it was when the member is missing.
func Get(u *storage.User, key string, v any) (bool, error) {
	m, err := members(u)
	if err != nil {
		return false, err
	}
	raw, ok := m[key]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("usersettings: decoding %q of user %q: %w", key, u.Key, err)
	}
	return true, nil
}

// Set makes v the member key of u's Settings (in memory: the caller writes
// the user), keeping every other member; a nil v removes the member. A
// document left without members becomes nil.
func Set(u *storage.User, key string, v any) error {
	m, err := members(u)
	if err != nil {
		return err
	}
	if v == nil {
		delete(m, key)
	} else {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("usersettings: encoding %q: %w", key, err)
		}
		m[key] = b
	}
	if len(m) == 0 {
		u.Settings = nil
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("usersettings: encoding settings: %w", err)
	}
	u.Settings = b
	return nil
}

// Delete removes the member key of u's Settings.
func Delete(u *storage.User, key string) error { return Set(u, key, nil) }
