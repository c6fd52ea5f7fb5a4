package token

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// b64 is the JOSE base64url alphabet without padding; Strict rejects
// non-canonical trailing bits, so a token has one spelling.
var b64 = base64.RawURLEncoding.Strict()

// signJWS returns the compact serialization of payload signed with RS256,
// with Cognito's header {"kid":…,"alg":"RS256"}. It signs with crypto/rsa
// directly: go-jose would write {"alg":…,"kid":…} and costs slightly more
// (BenchmarkSign compares them).
func signJWS(kid string, key *rsa.PrivateKey, payload []byte) (string, error) {
	header := make([]byte, 0, len(kid)+32)
	header = append(header, `{"kid":`...)
	header = appendString(header, kid)
	header = append(header, `,"alg":"RS256"}`...)

	sigLen := b64.EncodedLen(key.Size())
	buf := make([]byte, 0, b64.EncodedLen(len(header))+1+b64.EncodedLen(len(payload))+1+sigLen)
	buf = b64.AppendEncode(buf, header)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, payload)
	digest := sha256.Sum256(buf)
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("token: signing: %w", err)
	}
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, sig)
	return string(buf), nil
}

// jws is a parsed, not yet verified, compact JWS.
type jws struct {
	kid          string
	signingInput string // header.payload, as received
	payload      []byte
	sig          []byte
}

// errMalformed is any token that is not a compact RS256 JWS.
var errMalformed = errors.New("token: malformed JWS")

// maxTokenLen bounds what parseJWS decodes; our tokens are far shorter (the
// API model allows token strings of any length, but no Cognito token comes
// near this).
const maxTokenLen = 64 << 10

// parseJWS splits and decodes a compact JWS, checking the header asks for
// RS256 with a kid and nothing we do not understand.
func parseJWS(tok string) (*jws, error) {
	if len(tok) > maxTokenLen {
		return nil, errMalformed
	}
	h, rest, ok := strings.Cut(tok, ".")
	if !ok {
		return nil, errMalformed
	}
	p, s, ok := strings.Cut(rest, ".")
	if !ok || strings.IndexByte(s, '.') >= 0 || h == "" || p == "" || s == "" {
		return nil, errMalformed
	}
	hb, err := b64.DecodeString(h)
	if err != nil {
		return nil, errMalformed
	}
	var hdr struct {
		Kid  string          `json:"kid"`
		Alg  string          `json:"alg"`
		Crit json.RawMessage `json:"crit"`
		Zip  json.RawMessage `json:"zip"`
	}
	if err := json.Unmarshal(hb, &hdr); err != nil || hdr.Alg != "RS256" || hdr.Kid == "" || hdr.Crit != nil || hdr.Zip != nil {
		return nil, errMalformed
	}
	pb, err := b64.DecodeString(p)
	if err != nil {
		return nil, errMalformed
	}
	sb, err := b64.DecodeString(s)
	if err != nil {
		return nil, errMalformed
	}
	return &jws{kid: hdr.Kid, signingInput: tok[:len(h)+1+len(p)], payload: pb, sig: sb}, nil
}

// verify checks the RS256 signature with pub.
func (j *jws) verify(pub *rsa.PublicKey) bool {
	digest := sha256.Sum256([]byte(j.signingInput))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], j.sig) == nil
}

// claimSet builds a JWT payload whose members keep the order they were added
// in. Values are encoded into one arena as they are added.
type claimSet struct {
	arena []byte
	items []claimItem
}

type claimItem struct {
	name       string
	start, end int // the value's bytes in arena
}

func newClaimSet(n int) *claimSet {
	return &claimSet{arena: make([]byte, 0, 64*n), items: make([]claimItem, 0, n)}
}

func (c *claimSet) add(name string, start int) {
	c.items = append(c.items, claimItem{name: name, start: start, end: len(c.arena)})
}

func (c *claimSet) str(name, v string) {
	start := len(c.arena)
	c.arena = appendString(c.arena, v)
	c.add(name, start)
}

func (c *claimSet) num(name string, n int64) {
	start := len(c.arena)
	c.arena = strconv.AppendInt(c.arena, n, 10)
	c.add(name, start)
}

func (c *claimSet) boolean(name string, b bool) {
	start := len(c.arena)
	c.arena = strconv.AppendBool(c.arena, b)
	c.add(name, start)
}

func (c *claimSet) strs(name string, vs []string) {
	start := len(c.arena)
	c.arena = append(c.arena, '[')
	for i, v := range vs {
		if i > 0 {
			c.arena = append(c.arena, ',')
		}
		c.arena = appendString(c.arena, v)
	}
	c.arena = append(c.arena, ']')
	c.add(name, start)
}

// raw adds a value that is already JSON.
func (c *claimSet) raw(name string, v []byte) {
	start := len(c.arena)
	c.arena = append(c.arena, v...)
	c.add(name, start)
}

// apply makes a trigger's changes: suppressed claims go, added ones replace
// a claim of the same name in place or are appended sorted by name.
// Protected claims are left alone.
func (c *claimSet) apply(o Override, access bool) error {
	if len(o.Add) == 0 && len(o.Suppress) == 0 {
		return nil
	}
	for _, name := range o.Suppress {
		if protectedClaim(name, access) {
			continue
		}
		c.items = slices.DeleteFunc(c.items, func(it claimItem) bool { return it.name == name })
	}
	names := make([]string, 0, len(o.Add))
	for name := range o.Add {
		if !protectedClaim(name, access) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		v, err := json.Marshal(o.Add[name])
		if err != nil {
			return fmt.Errorf("token: claim %q: %w", name, err)
		}
		start := len(c.arena)
		c.arena = append(c.arena, v...)
		if i := slices.IndexFunc(c.items, func(it claimItem) bool { return it.name == name }); i >= 0 {
			c.items[i] = claimItem{name: name, start: start, end: len(c.arena)}
			continue
		}
		c.add(name, start)
	}
	return nil
}

// marshal writes the JSON object.
func (c *claimSet) marshal() []byte {
	n := 2
	for _, it := range c.items {
		n += len(it.name) + 4 + it.end - it.start
	}
	out := make([]byte, 0, n+16)
	out = append(out, '{')
	for i, it := range c.items {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendString(out, it.name)
		out = append(out, ':')
		out = append(out, c.arena[it.start:it.end]...)
	}
	return append(out, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Unlike encoding/json it leaves
// <, > and & alone (as Cognito's tokens do); invalid UTF-8 becomes U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
