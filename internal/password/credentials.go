package password

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/cogito-dev/cogito/internal/srp"
)

// Credentials is what Cogito keeps of a user's password: the SRP salt and
// verifier that USER_SRP_AUTH needs (the same thing Cognito keeps), whether
// the password is temporary and until when, and the verifiers of previous
// passwords for PasswordHistorySize. Encoded, it is the opaque
// storage.User.Password document.
//
// The verifier is computed for the user's internal username
// (USER_ID_FOR_SRP, the name clients put in the SRP formulas) and for the
// pool name (the pool id after '_'). Both are fixed for the life of a user —
// Cognito cannot rename users and pools are not moved — so the verifier
// never needs recomputing without the password.
//
// The salt is drawn once, by New, and kept by Replace: all verifiers of a
// user share it, so checking a password against the current one and the
// whole history costs one modular exponentiation (about a millisecond)
// instead of one per remembered password. Matches, Reuses and Replace each
// compute one verifier.
//
// The zero value is not usable; make Credentials with New or Decode. Its
// String, GoString and LogValue never show salts or verifiers.
type Credentials struct {
	salt      []byte // canonical salt bytes (srp.NewSalt)
	verifier  []byte // srp.VerifierBytes of v
	temporary bool
	setAt     time.Time
	expiresAt time.Time // zero: does not expire
	history   []entry   // previous passwords, newest first
	// imported, when set, is a hash imported from another system that the
	// password is checked against instead of the verifier (NewImported).
	imported *importedHash
}

type entry struct {
	salt     []byte
	verifier []byte
	setAt    time.Time
}

// ErrReused is returned by Replace for a password that the history policy
// forbids; the service answers PasswordHistoryPolicyViolationException.
var ErrReused = errors.New("password: reuses a recent password")

// ErrInvalid is returned by New for an empty pool id, username or password,
// and by Decode for a document that is not a credentials document.
var ErrInvalid = errors.New("password: invalid credentials")

// New makes the credentials for password, the password of the user whose
// internal username is username in pool poolID. A validity above zero makes
// the password expire at now+validity (temporary passwords get the pool's
// TemporaryPasswordValidityDays; permanent ones pass 0).
func New(poolID, username, password string, temporary bool, now time.Time, validity time.Duration) (*Credentials, error) {
	if poolID == "" || username == "" || password == "" {
		return nil, ErrInvalid
	}
	salt, v := srp.NewVerifier(srp.PoolName(poolID), username, password)
	c := &Credentials{salt: salt, verifier: srp.VerifierBytes(v)}
	c.set(temporary, now, validity)
	return c, nil
}

func (c *Credentials) set(temporary bool, now time.Time, validity time.Duration) {
	c.temporary = temporary
	c.setAt = now.UTC()
	c.expiresAt = time.Time{}
	if validity > 0 {
		c.expiresAt = c.setAt.Add(validity)
	}
}

// verifierFor computes the verifier bytes of password under salt.
func verifierFor(poolID, username, password string, salt []byte) []byte {
	return srp.VerifierBytes(srp.Verifier(srp.PoolName(poolID), username, password, salt))
}

// Matches reports whether password is the current password, comparing
// verifiers in constant time. It does not look at expiry (see Expired).
func (c *Credentials) Matches(poolID, username, password string) bool {
	if c.imported != nil {
		return c.imported.matches(password)
	}
	return subtle.ConstantTimeCompare(verifierFor(poolID, username, password, c.salt), c.verifier) == 1
}

// Reuses reports whether password is one of the last historySize passwords:
// the current one and the historySize-1 before it (Cognito: users "can't set
// a password that matches any of n previous passwords"). historySize 0
// allows any password, including the current one.
func (c *Credentials) Reuses(poolID, username, password string, historySize int) bool {
	return c.reuses(poolID, username, password, historySize, nil)
}

// reuses is Reuses with the verifier under the current salt possibly already
// computed (own), so Replace pays for one exponentiation only.
func (c *Credentials) reuses(poolID, username, password string, historySize int, own []byte) bool {
	if historySize <= 0 {
		return false
	}
	cache := map[string][]byte{}
	if own != nil {
		cache[string(c.salt)] = own
	}
	get := func(salt []byte) []byte {
		v, ok := cache[string(salt)]
		if !ok {
			v = verifierFor(poolID, username, password, salt)
			cache[string(salt)] = v
		}
		return v
	}
	hit := subtle.ConstantTimeCompare(get(c.salt), c.verifier)
	for i, e := range c.history {
		if i >= historySize-1 {
			break
		}
		hit |= subtle.ConstantTimeCompare(get(e.salt), e.verifier)
	}
	return hit == 1
}

// Replace makes password the current password. With historySize above zero
// it first refuses, with ErrReused, a password that Reuses reports; then the
// current verifier moves into the history, which keeps the historySize-1
// newest entries (none when historySize is 0). temporary, now and validity
// are as for New. The salt stays the same (see Credentials).
func (c *Credentials) Replace(poolID, username, password string, temporary bool, now time.Time, validity time.Duration, historySize int) error {
	if poolID == "" || username == "" || password == "" {
		return ErrInvalid
	}
	v := verifierFor(poolID, username, password, c.salt)
	if c.reuses(poolID, username, password, historySize, v) {
		return ErrReused
	}
	keep := min(max(historySize-1, 0), MaxHistorySize)
	hist := make([]entry, 0, keep)
	if keep > 0 {
		hist = append(hist, entry{salt: c.salt, verifier: c.verifier, setAt: c.setAt})
		for _, e := range c.history {
			if len(hist) == keep {
				break
			}
			hist = append(hist, e)
		}
	}
	c.history = hist
	c.verifier = v
	c.imported = nil
	c.set(temporary, now, validity)
	return nil
}

// Expired reports whether the password has an expiry and now is at or past
// it.
func (c *Credentials) Expired(now time.Time) bool {
	return !c.expiresAt.IsZero() && !now.Before(c.expiresAt)
}

// Temporary reports whether the password must be changed at the next
// sign-in (admin-set temporary passwords).
func (c *Credentials) Temporary() bool { return c.temporary }

// SetAt returns when the password was set.
func (c *Credentials) SetAt() time.Time { return c.setAt }

// ExpiresAt returns when the password expires, if it does.
func (c *Credentials) ExpiresAt() (time.Time, bool) { return c.expiresAt, !c.expiresAt.IsZero() }

// HistoryLen returns the number of previous passwords remembered.
func (c *Credentials) HistoryLen() int { return len(c.history) }

// Salt returns a copy of the SRP salt; send srp.SaltHex(salt) as SALT.
func (c *Credentials) Salt() []byte { return append([]byte(nil), c.salt...) }

// Verifier returns the SRP verifier v for srp.NewServerSession and
// srp.ServerKey.
func (c *Credentials) Verifier() *big.Int { return new(big.Int).SetBytes(c.verifier) }

// The encoded document. Field names are short and stable: this is stored.
type document struct {
	Version   int        `json:"v"`
	Salt      []byte     `json:"salt"`
	Verifier  []byte     `json:"verifier"`
	Temporary bool       `json:"temporary,omitempty"`
	SetAt     time.Time  `json:"set_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	History   []docEntry `json:"history,omitempty"`
	Imported  *docImport `json:"imported,omitempty"`
}

// docImport is an imported password hash.
type docImport struct {
	Algorithm string `json:"alg"`
	Hash      string `json:"hash"`
}

type docEntry struct {
	Salt     []byte    `json:"salt"`
	Verifier []byte    `json:"verifier"`
	SetAt    time.Time `json:"set_at"`
}

const documentVersion = 1

// maxSalt bounds a decoded salt.
const maxSalt = 64

// Encode returns the JSON document for storage.User.Password.
func (c *Credentials) Encode() ([]byte, error) {
	d := document{Version: documentVersion, Salt: c.salt, Verifier: c.verifier, Temporary: c.temporary, SetAt: c.setAt}
	if !c.expiresAt.IsZero() {
		t := c.expiresAt
		d.ExpiresAt = &t
	}
	for _, e := range c.history {
		d.History = append(d.History, docEntry{Salt: e.salt, Verifier: e.verifier, SetAt: e.setAt})
	}
	if c.imported != nil {
		d.Imported = &docImport{Algorithm: c.imported.alg, Hash: c.imported.encoded}
	}
	return json.Marshal(d)
}

// Decode reads a document written by Encode, checking that every salt and
// verifier is well formed.
func Decode(b []byte) (*Credentials, error) {
	var d document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if d.Version != documentVersion {
		return nil, fmt.Errorf("%w: version %d", ErrInvalid, d.Version)
	}
	if !validPair(d.Salt, d.Verifier) || len(d.History) > MaxHistorySize {
		return nil, ErrInvalid
	}
	c := &Credentials{salt: d.Salt, verifier: d.Verifier, temporary: d.Temporary, setAt: d.SetAt.UTC()}
	if d.ExpiresAt != nil {
		c.expiresAt = d.ExpiresAt.UTC()
	}
	if d.Imported != nil {
		if CheckImportedHash(d.Imported.Algorithm, d.Imported.Hash) != nil {
			return nil, ErrInvalid
		}
		c.imported = &importedHash{alg: d.Imported.Algorithm, encoded: d.Imported.Hash}
	}
	for _, e := range d.History {
		if !validPair(e.Salt, e.Verifier) {
			return nil, ErrInvalid
		}
		c.history = append(c.history, entry{salt: e.Salt, verifier: e.Verifier, setAt: e.SetAt.UTC()})
	}
	return c, nil
}

func validPair(salt, verifier []byte) bool {
	if len(salt) == 0 || len(salt) > maxSalt {
		return false
	}
	v, err := srp.ParseVerifier(verifier)
	// Stored verifiers are in VerifierBytes form; anything else would
	// never compare equal.
	return err == nil && subtle.ConstantTimeCompare(srp.VerifierBytes(v), verifier) == 1
}

// String describes the credentials without salts or verifiers.
func (c Credentials) String() string {
	s := fmt.Sprintf("password.Credentials{temporary:%t set:%s history:%d", c.temporary, c.setAt.Format(time.RFC3339), len(c.history))
	if !c.expiresAt.IsZero() {
		s += " expires:" + c.expiresAt.Format(time.RFC3339)
	}
	return s + " verifier:REDACTED}"
}

// GoString is String, so %#v does not print the fields.
func (c Credentials) GoString() string { return c.String() }

// LogValue logs the metadata only.
func (c Credentials) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.Bool("temporary", c.temporary),
		slog.Time("set_at", c.setAt),
		slog.Int("history", len(c.history)),
		slog.String("verifier", "REDACTED"),
	}
	if !c.expiresAt.IsZero() {
		attrs = append(attrs, slog.Time("expires_at", c.expiresAt))
	}
	return slog.GroupValue(attrs...)
}
