package password

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"

	"github.com/cogito-dev/cogito/internal/srp"
)

// Hash algorithms of imported passwords (CreateUserImportJob's
// PasswordHashingAlgorithm).
const (
	HashBcrypt       = "BCRYPT"
	HashScrypt       = "SCRYPT"
	HashArgon2id     = "ARGON2ID"
	HashPBKDF2SHA256 = "PBKDF2_SHA256"
)

// Imported hashes are given in the usual encoded forms (Cognito documents no
// format; these are the ones password libraries write):
//
//	BCRYPT         $2a$10$…, $2b$…, $2y$… (modular crypt)
//	ARGON2ID       $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>  (PHC; base64 without padding)
//	SCRYPT         $scrypt$ln=15,r=8,p=1$<salt>$<hash>           (PHC/passlib; N=32768 also accepted for ln)
//	PBKDF2_SHA256  $pbkdf2-sha256$<rounds>$<salt>$<hash>         (passlib, adapted base64)
//	               pbkdf2_sha256$<rounds>$<salt>$<base64 hash>    (Django; the salt is used as written)
//
// ErrBadHash reports an encoded hash that is not one of these.
var ErrBadHash = errors.New("password: not a hash of the given algorithm")

// Bounds on imported hash parameters, so one sign-in can't be made to cost
// seconds of CPU or gigabytes of memory.
const (
	maxArgonMemoryKiB = 1 << 20 // 1 GiB
	maxArgonTime      = 20
	maxScryptLogN     = 20
	maxPBKDF2Rounds   = 10_000_000
	maxHashLen        = 512
)

type importedHash struct {
	alg     string
	encoded string
}

// NewImported makes credentials from a password hash imported from another
// system: the user signs in with the password the hash was made from. Until
// then no SRP verifier exists, so the credentials hold one made from a
// random secret nobody knows (an SRP sign-in fails as with a wrong password)
// and Matches checks the imported hash instead. Replace (a new password, or
// the upgrade after the first plaintext sign-in) drops the imported hash.
func NewImported(poolID, username, algorithm, encoded string, now time.Time) (*Credentials, error) {
	if poolID == "" || username == "" {
		return nil, ErrInvalid
	}
	if err := CheckImportedHash(algorithm, encoded); err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	salt, v := srp.NewVerifier(srp.PoolName(poolID), username, base64.RawStdEncoding.EncodeToString(secret))
	c := &Credentials{salt: salt, verifier: srp.VerifierBytes(v), imported: &importedHash{alg: algorithm, encoded: encoded}}
	c.set(false, now, 0)
	return c, nil
}

// Imported reports whether the credentials still hold an imported hash (the
// user has not signed in with a plaintext password since the import).
func (c *Credentials) Imported() bool { return c.imported != nil }

// CheckImportedHash reports whether encoded is a well-formed hash of the
// algorithm, with parameters in bounds.
func CheckImportedHash(algorithm, encoded string) error {
	if len(encoded) == 0 || len(encoded) > maxHashLen {
		return ErrBadHash
	}
	_, err := parseImported(algorithm, encoded)
	return err
}

// checker verifies a password against a parsed hash.
type checker func(password string) bool

func parseImported(algorithm, encoded string) (checker, error) {
	switch algorithm {
	case HashBcrypt:
		if _, err := bcrypt.Cost([]byte(encoded)); err != nil {
			return nil, ErrBadHash
		}
		return func(pw string) bool { return bcrypt.CompareHashAndPassword([]byte(encoded), []byte(pw)) == nil }, nil
	case HashArgon2id:
		return parseArgon2id(encoded)
	case HashScrypt:
		return parseScrypt(encoded)
	case HashPBKDF2SHA256:
		return parsePBKDF2(encoded)
	}
	return nil, fmt.Errorf("%w: unknown algorithm %q", ErrBadHash, algorithm)
}

// phcParams reads "k=v,k=v".
func phcParams(s string) (map[string]int, bool) {
	out := map[string]int{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, false
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, false
		}
		out[k] = n
	}
	return out, true
}

// b64 decodes PHC base64 (standard alphabet, padding optional) and passlib's
// adapted base64 ('.' for '+').
func b64(s string) ([]byte, error) {
	s = strings.ReplaceAll(strings.TrimRight(s, "="), ".", "+")
	return base64.RawStdEncoding.DecodeString(s)
}

func parseArgon2id(encoded string) (checker, error) {
	// $argon2id$v=19$m=65536,t=3,p=4$salt$hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v=19" {
		return nil, ErrBadHash
	}
	p, ok := phcParams(parts[3])
	if !ok || p["m"] == 0 || p["t"] == 0 || p["p"] == 0 || p["m"] > maxArgonMemoryKiB || p["t"] > maxArgonTime || p["p"] > 255 {
		return nil, ErrBadHash
	}
	salt, err1 := b64(parts[4])
	want, err2 := b64(parts[5])
	if err1 != nil || err2 != nil || len(salt) == 0 || len(want) < 16 {
		return nil, ErrBadHash
	}
	return func(pw string) bool {
		got := argon2.IDKey([]byte(pw), salt, uint32(p["t"]), uint32(p["m"]), uint8(p["p"]), uint32(len(want)))
		return subtle.ConstantTimeCompare(got, want) == 1
	}, nil
}

func parseScrypt(encoded string) (checker, error) {
	// $scrypt$ln=15,r=8,p=1$salt$hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 5 || parts[0] != "" || parts[1] != "scrypt" {
		return nil, ErrBadHash
	}
	p, ok := phcParams(parts[2])
	if !ok || p["r"] == 0 || p["p"] == 0 {
		return nil, ErrBadHash
	}
	n := 0
	switch {
	case p["ln"] > 0 && p["ln"] <= maxScryptLogN:
		n = 1 << p["ln"]
	case p["N"] > 1 && p["N"] <= 1<<maxScryptLogN && p["N"]&(p["N"]-1) == 0:
		n = p["N"]
	default:
		return nil, ErrBadHash
	}
	if p["r"]*p["p"] >= 1<<20 || p["r"] > 64 {
		return nil, ErrBadHash
	}
	salt, err1 := b64(parts[3])
	want, err2 := b64(parts[4])
	if err1 != nil || err2 != nil || len(salt) == 0 || len(want) < 16 {
		return nil, ErrBadHash
	}
	return func(pw string) bool {
		got, err := scrypt.Key([]byte(pw), salt, n, p["r"], p["p"], len(want))
		return err == nil && subtle.ConstantTimeCompare(got, want) == 1
	}, nil
}

func parsePBKDF2(encoded string) (checker, error) {
	var (
		rounds     int
		salt, want []byte
		err        error
	)
	switch parts := strings.Split(encoded, "$"); {
	case len(parts) == 5 && parts[0] == "" && parts[1] == "pbkdf2-sha256":
		if rounds, err = strconv.Atoi(parts[2]); err != nil {
			return nil, ErrBadHash
		}
		if salt, err = b64(parts[3]); err != nil {
			return nil, ErrBadHash
		}
		if want, err = b64(parts[4]); err != nil {
			return nil, ErrBadHash
		}
	case len(parts) == 4 && parts[0] == "pbkdf2_sha256":
		if rounds, err = strconv.Atoi(parts[1]); err != nil {
			return nil, ErrBadHash
		}
		salt = []byte(parts[2])
		if want, err = base64.StdEncoding.DecodeString(parts[3]); err != nil {
			return nil, ErrBadHash
		}
	default:
		return nil, ErrBadHash
	}
	if rounds <= 0 || rounds > maxPBKDF2Rounds || len(salt) == 0 || len(want) < 16 {
		return nil, ErrBadHash
	}
	return func(pw string) bool {
		got, err := pbkdf2.Key(sha256.New, pw, salt, rounds, len(want))
		return err == nil && subtle.ConstantTimeCompare(got, want) == 1
	}, nil
}

// matchesImported checks password against the imported hash.
func (h *importedHash) matches(password string) bool {
	check, err := parseImported(h.alg, h.encoded)
	return err == nil && check(password)
}
