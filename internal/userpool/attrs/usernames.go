package attrs

import (
	"context"
	"errors"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Key is a username as the pool compares it: lowercased when usernames are
// case-insensitive.
func (s *Schema) Key(username string) string {
	if s.CaseSensitive {
		return username
	}
	return strings.ToLower(username)
}

// AliasValue normalizes an alias value for the alias index: emails are
// always compared case-insensitively; preferred_username follows the pool's
// case sensitivity; phone numbers as given.
func (s *Schema) AliasValue(kind, v string) string {
	switch kind {
	case Email:
		return strings.ToLower(v)
	case PreferredUsername:
		return s.Key(v)
	}
	return v
}

// Aliases returns the alias values a user with attrs claims: email and phone
// used as usernames always; email and phone aliases once verified;
// preferred_username whenever set as an alias.
func (s *Schema) Aliases(attrs Values) []storage.Alias {
	var out []storage.Alias
	for _, kind := range []string{Email, PhoneNumber} {
		v := attrs[kind]
		if v == "" {
			continue
		}
		if s.UsernameAttributes[kind] || (s.AliasAttributes[kind] && attrs[kind+"_verified"] == "true") {
			out = append(out, storage.Alias{Kind: kind, Value: s.AliasValue(kind, v)})
		}
	}
	if v := attrs[PreferredUsername]; v != "" && s.AliasAttributes[PreferredUsername] {
		out = append(out, storage.Alias{Kind: PreferredUsername, Value: s.AliasValue(PreferredUsername, v)})
	}
	return out
}

// UsesUsernameAttributes reports whether users sign up with an email or phone as username.
func (s *Schema) UsesUsernameAttributes() bool { return len(s.UsernameAttributes) > 0 }

// NewUsername checks the name a user is created with and returns the
// internal username: for pools with UsernameAttributes it is the new user's
// sub, and the email or phone the name was is added to attrs. It also refuses
// usernames shaped like an enabled alias, as Cognito does.
func (s *Schema) NewUsername(given, sub string, attrs Values) (string, error) {
	if s.UsesUsernameAttributes() {
		switch {
		case s.UsernameAttributes[Email] && ValidEmail(given):
			attrs[Email] = given
		case s.UsernameAttributes[PhoneNumber] && ValidPhone(given):
			attrs[PhoneNumber] = given
		default:
			msg := "Username should be either an email or a phone number."
			if !s.UsernameAttributes[PhoneNumber] {
				msg = "Username should be an email."
			} else if !s.UsernameAttributes[Email] {
				msg = "Username should be a phone number."
			}
			return "", cognitoidp.NewInvalidParameterException(msg)
		}
		return sub, nil
	}
	if s.AliasAttributes[Email] && ValidEmail(given) {
		return "", cognitoidp.NewInvalidParameterException(MsgUsernameLooksLikeAlias)
	}
	if s.AliasAttributes[PhoneNumber] && ValidPhone(given) {
		return "", cognitoidp.NewInvalidParameterException(MsgUsernameLooksLikePhone)
	}
	return given, nil
}

// Lookup finds the user a name designates wherever Cognito accepts an alias:
// the username itself, then (for pools with UsernameAttributes) the email or
// phone number, then (for alias pools) a verified email or phone or the
// preferred_username, then the sub. storage.ErrNotFound when none.
func (s *Schema) Lookup(ctx context.Context, st storage.UserStore, name string) (*storage.User, error) {
	if name == "" {
		return nil, storage.ErrNotFound
	}
	u, err := st.GetUser(ctx, s.PoolID, s.Key(name))
	if err == nil || !errors.Is(err, storage.ErrNotFound) {
		return u, err
	}
	for _, kind := range []string{Email, PhoneNumber, PreferredUsername} {
		if !s.UsernameAttributes[kind] && !s.AliasAttributes[kind] {
			continue
		}
		if kind == Email && !ValidEmail(name) || kind == PhoneNumber && !ValidPhone(name) {
			continue
		}
		u, err := st.GetUserByAlias(ctx, s.PoolID, storage.Alias{Kind: kind, Value: s.AliasValue(kind, name)})
		if err == nil || !errors.Is(err, storage.ErrNotFound) {
			return u, err
		}
	}
	if looksLikeUUID(name) {
		return st.GetUserBySub(ctx, s.PoolID, strings.ToLower(name))
	}
	return nil, storage.ErrNotFound
}

func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return false
			}
		}
	}
	return true
}

// AliasClash converts a *storage.UniqueError from a user write into Cognito's
// exception: a taken username is UsernameExistsException; a taken alias is
// AliasExistsException (or UsernameExistsException when the alias is the
// pool's username attribute).
func (s *Schema) AliasClash(err error) error {
	var ue *storage.UniqueError
	if !errors.As(err, &ue) {
		return err
	}
	switch ue.Field {
	case "username", "sub":
		return cognitoidp.NewUsernameExistsException("User already exists")
	case Email, PhoneNumber:
		what := "email"
		if ue.Field == PhoneNumber {
			what = "phone_number"
		}
		if s.UsernameAttributes[ue.Field] {
			return cognitoidp.NewUsernameExistsException("An account with the given " + what + " already exists.")
		}
		return cognitoidp.NewAliasExistsException("An account with the " + what + " already exists.")
	case PreferredUsername:
		return cognitoidp.NewAliasExistsException("An account with the preferred_username already exists.")
	}
	return cognitoidp.NewAliasExistsException("An account with the given alias already exists.")
}
