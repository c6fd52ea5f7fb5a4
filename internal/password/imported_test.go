package password

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

const legacyPassword = "Legacy-Pass1"

// Hashes of legacyPassword written by other libraries (Python hashlib in the
// passlib and Django encodings), and argon2's reference example.
var importedVectors = []struct{ alg, hash, password string }{
	{HashPBKDF2SHA256, "$pbkdf2-sha256$29000$c2FsdHNhbHRzYWx0MTIzNA$hpxffocQSRvtMW/2AVNM3lpdbpr3lBQ7aGztF..xbVA", legacyPassword},
	{HashPBKDF2SHA256, "pbkdf2_sha256$260000$djangosalt$GTSJTgNAYUBuSObTTZ+j3n/CZdbeYvSeowwBleeh6Zw=", legacyPassword},
	{HashScrypt, "$scrypt$ln=14,r=8,p=1$c2FsdHNhbHRzYWx0MTIzNA$25Pqha/QZ7Jp12oBc9+7uc3JOLQNwFXKJ6kwXNCdsXE", legacyPassword},
	{HashArgon2id, "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "password"},
}

func TestImportedVectors(t *testing.T) {
	bc, err := bcrypt.GenerateFromPassword([]byte(legacyPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	vectors := append(importedVectors, struct{ alg, hash, password string }{HashBcrypt, string(bc), legacyPassword})
	// An argon2id hash with other parameters, made here.
	salt := []byte("0123456789abcdef")
	sum := argon2.IDKey([]byte(legacyPassword), salt, 1, 8*1024, 2, 32)
	vectors = append(vectors, struct{ alg, hash, password string }{HashArgon2id,
		"$argon2id$v=19$m=8192,t=1,p=2$" + base64.RawStdEncoding.EncodeToString(salt) + "$" + base64.RawStdEncoding.EncodeToString(sum), legacyPassword})
	for _, v := range vectors {
		c, err := NewImported("us-east-1_abc", "alice", v.alg, v.hash, time.Now())
		if err != nil {
			t.Fatalf("%s %s: %v", v.alg, v.hash, err)
		}
		if !c.Imported() {
			t.Errorf("%s: not marked imported", v.alg)
		}
		if !c.Matches("us-east-1_abc", "alice", v.password) {
			t.Errorf("%s %s: the right password does not match", v.alg, v.hash)
		}
		if c.Matches("us-east-1_abc", "alice", v.password+"x") {
			t.Errorf("%s: a wrong password matches", v.alg)
		}
		// It survives storage.
		b, err := c.Encode()
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: Decode: %v", v.alg, err)
		}
		if !d.Imported() || !d.Matches("us-east-1_abc", "alice", v.password) {
			t.Errorf("%s: lost in storage", v.alg)
		}
		// Replacing the password (the upgrade after a plaintext sign-in)
		// drops the hash and gives a working SRP verifier.
		if err := d.Replace("us-east-1_abc", "alice", v.password, false, time.Now(), 0, 0); err != nil {
			t.Fatal(err)
		}
		if d.Imported() || !d.Matches("us-east-1_abc", "alice", v.password) {
			t.Errorf("%s: upgrade failed", v.alg)
		}
	}
}

func TestImportedRefusesBadHashes(t *testing.T) {
	for _, tc := range []struct{ alg, hash string }{
		{HashBcrypt, "not-a-hash"},
		{HashBcrypt, ""},
		{HashArgon2id, "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"},
		{HashArgon2id, "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"},
		{HashScrypt, "$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"},
		{HashPBKDF2SHA256, "$pbkdf2-sha256$0$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"},
		{HashPBKDF2SHA256, "$pbkdf2-sha1$1000$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"},
		{"MD5", "$1$abc$def"},
	} {
		if _, err := NewImported("us-east-1_abc", "alice", tc.alg, tc.hash, time.Now()); !errors.Is(err, ErrBadHash) {
			t.Errorf("%s %q: err = %v; want ErrBadHash", tc.alg, tc.hash, err)
		}
	}
}
