package token

import (
	"crypto/aes"
	"crypto/cipher"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/keys"
)

// FuzzParseJWS: any input parses or is refused without panicking, and what
// parses re-splits to the same signing input.
func FuzzParseJWS(f *testing.F) {
	for _, s := range []string{
		"", ".", "..", "a.b.c", "eyJraWQiOiJ4IiwiYWxnIjoiUlMyNTYifQ.e30.AA",
		"eyJraWQiOiJ4IiwiYWxnIjoibm9uZSJ9.e30.", "eyJhbGciOiJSUzI1NiJ9.e30.AA", "x.y.z.w",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		j, err := parseJWS(s)
		if err != nil {
			return
		}
		if j.kid == "" || !strings.HasPrefix(s, j.signingInput+".") || strings.Count(s, ".") != 2 {
			t.Fatalf("parseJWS(%q) = %+v", s, j)
		}
	})
}

// FuzzOpenRefresh: any input opens or is refused without panicking; only
// sealed handles open.
func FuzzOpenRefresh(f *testing.F) {
	sealer, err := keys.NewSealer(make([]byte, keys.MasterKeySize))
	if err != nil {
		f.Fatal(err)
	}
	block, _ := aes.NewCipher(sealer.DeriveKey(refreshKeyPurpose))
	aead, _ := cipher.NewGCM(block)
	s := &Service{refresh: aead}
	good := s.sealRefresh("00000000-0000-4000-8000-000000000000")
	for _, seed := range []string{"", "....", good, good + "=", strings.Replace(good, ".", "..", 1), refreshHeader + ".a.b.c.d"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		// Only tokens sealed with this key open, and the only handle ever
		// sealed with it (in any fuzz worker) is this one.
		id, ok := s.openRefresh(tok)
		if ok && id != "00000000-0000-4000-8000-000000000000" {
			t.Fatalf("openRefresh(%q) = %q", tok, id)
		}
	})
}
