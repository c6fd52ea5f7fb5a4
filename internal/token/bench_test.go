package token

import (
	"context"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/cogito-dev/cogito/internal/keys"
)

// benchSubject is a typical user: a few attributes, one group.
func benchSubject(e *env, b *testing.B) Subject {
	sub := e.user(b, e.pool, "bench")
	sub.Attributes = map[string]string{
		"email": "bench@example.com", "email_verified": "true", "name": "Bench User",
		"phone_number": "+15555550123", "phone_number_verified": "false", "custom:tier": "gold",
	}
	sub.Groups = []string{"users"}
	return sub
}

// BenchmarkIssue measures minting: a refresh (Reissue: two RS256
// signatures) and a sign-in (Issue: the same plus a refresh token, i.e. one
// SQLite write and one AES-GCM seal).
func BenchmarkIssue(b *testing.B) {
	e := newEnv(b)
	sub := benchSubject(e, b)
	ctx := context.Background()
	b.Run("reissue", func(b *testing.B) {
		re := sub
		re.OriginJTI, re.AuthTime = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", t0
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.svc.Reissue(ctx, re, Validity{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sign-in", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.svc.Issue(ctx, sub, Validity{}, true); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyAccess measures Authorize: parse, one RS256 verification,
// the revocation check (one SQLite read).
func BenchmarkVerifyAccess(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	out, err := e.svc.Issue(ctx, benchSubject(e, b), Validity{}, true)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.Authorize(ctx, out.AccessToken); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSign compares signing one access-token payload with crypto/rsa
// directly (what signJWS does) and with go-jose.
func BenchmarkSign(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	kid, key, err := e.keys.Signer(ctx, e.pool, keys.UseAccess)
	if err != nil {
		b.Fatal(err)
	}
	out, err := e.svc.Issue(ctx, benchSubject(e, b), Validity{}, false)
	if err != nil {
		b.Fatal(err)
	}
	_, payload := parts(b, out.AccessToken)

	b.Run("crypto-rsa", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := signJWS(kid, key, payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-jose", func(b *testing.B) {
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			sig, err := signer.Sign(payload)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sig.CompactSerialize(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifySignature compares parsing and verifying one token with
// crypto/rsa directly (what VerifyAccess does) and with go-jose.
func BenchmarkVerifySignature(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	out, err := e.svc.Issue(ctx, benchSubject(e, b), Validity{}, false)
	if err != nil {
		b.Fatal(err)
	}
	_, key, _ := e.keys.Signer(ctx, e.pool, keys.UseAccess)
	pub := &key.PublicKey
	b.Run("crypto-rsa", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			j, err := parseJWS(out.AccessToken)
			if err != nil || !j.verify(pub) {
				b.Fatal("does not verify")
			}
		}
	})
	b.Run("go-jose", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sig, err := jose.ParseSigned(out.AccessToken, []jose.SignatureAlgorithm{jose.RS256})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sig.Verify(pub); err != nil {
				b.Fatal(err)
			}
		}
	})
}
