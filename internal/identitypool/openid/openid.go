// Package openid is the identity pools' OpenID Connect issuer: it signs the
// tokens GetOpenIdToken and GetOpenIdTokenForDeveloperIdentity return (RS512
// JWTs with Cognito's identity claims), verifies them when they come back as
// the "cognito-identity.amazonaws.com" login, and serves the JWKS and
// discovery document an STS needs to accept them in
// AssumeRoleWithWebIdentity.
//
// The signing key is one RSA-2048 key for the whole server, generated once
// and kept in the MetaStore sealed with the master key, so every replica signs
// with the same key. It is re-read every few seconds, so a key written by
// another replica (or restored after a test-mode reset) is picked up.
package openid

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AWSIssuer is the iss of the tokens Amazon Cognito issues.
const AWSIssuer = "https://cognito-identity.amazonaws.com"

// Claim names of the identity tokens.
const (
	// PoolARNClaim carries the identity pool's ARN.
	PoolARNClaim = "https://cognito-identity.amazonaws.com/identity-pool-arn"
	// TagsClaim carries principal tags the way STS reads session tags from a
	// web identity token: {"principal_tags": {"key": ["value"]}}.
	TagsClaim = "https://aws.amazon.com/tags"
)

// JWKSPath and DiscoveryPath are where, below the issuer, the keys and the
// discovery document are served (Cognito's own issuer serves its keys at
// /.well-known/jwks_uri).
const (
	JWKSPath      = "/.well-known/jwks_uri"
	DiscoveryPath = "/.well-known/openid-configuration"
)

// metaKey is the MetaStore key of the sealed signing key.
const metaKey = "identity-issuer-key"

// refresh is how long the signing key is used before the store is asked
// again whether it is still the one.
const refresh = 5 * time.Second

// Errors of Verify.
var (
	// ErrInvalid: not a token of this issuer (shape, signature, iss).
	ErrInvalid = errors.New("openid: invalid token")
	// ErrExpired: the token expired; the error is an *ExpiredError.
	ErrExpired = errors.New("openid: token expired")
)

// ExpiredError reports an expired token with the instants Cognito's message
// quotes.
type ExpiredError struct{ Now, ExpiresAt time.Time }

func (e *ExpiredError) Error() string {
	return fmt.Sprintf("openid: token expired at %d, checked at %d", e.ExpiresAt.Unix(), e.Now.Unix())
}

// Is makes errors.Is(err, ErrExpired) true.
func (e *ExpiredError) Is(target error) bool { return target == ErrExpired }

// Config holds the issuer's dependencies. Store, Sealer and URL are required.
type Config struct {
	Store  storage.MetaStore
	Sealer *keys.Sealer
	Clock  clock.Clock
	// URL is the iss of the tokens (no trailing slash).
	URL string
	// Region names the key (Cognito's kids look like "us-east-11").
	Region string
	Logger *slog.Logger
}

// Issuer signs and verifies identity tokens. It is safe for concurrent use.
type Issuer struct {
	store  storage.MetaStore
	sealer *keys.Sealer
	clock  clock.Clock
	url    string
	region string
	log    *slog.Logger

	mu  sync.Mutex
	cur *signingKey
}

type signingKey struct {
	sealed    []byte
	key       *rsa.PrivateKey
	kid       string
	checkedAt time.Time
}

// New returns an Issuer; the key is loaded (or generated) on first use.
func New(cfg Config) *Issuer {
	if cfg.Store == nil || cfg.Sealer == nil || cfg.URL == "" {
		panic("openid: Config.Store, Sealer and URL are required")
	}
	i := &Issuer{store: cfg.Store, sealer: cfg.Sealer, clock: cfg.Clock, url: strings.TrimRight(cfg.URL, "/"),
		region: cfg.Region, log: cfg.Logger}
	if i.clock == nil {
		i.clock = clock.Real{}
	}
	if i.log == nil {
		i.log = slog.New(slog.DiscardHandler)
	}
	return i
}

// URL is the issuer (the tokens' iss).
func (i *Issuer) URL() string { return i.url }

// JWKSURL is where the issuer's keys are published.
func (i *Issuer) JWKSURL() string { return i.url + JWKSPath }

// Claims are what an identity token says.
type Claims struct {
	// Subject is the identity id, Audience the identity pool id.
	Subject, Audience string
	// AMR is "authenticated" or "unauthenticated", then the providers.
	AMR     []string
	PoolARN string
	// PrincipalTags become the TagsClaim (omitted when empty).
	PrincipalTags       map[string]string
	IssuedAt, ExpiresAt time.Time
}

// Authenticated reports whether amr says the identity logged in.
func (c *Claims) Authenticated() bool {
	return len(c.AMR) > 0 && c.AMR[0] == "authenticated"
}

type payload struct {
	Sub     string     `json:"sub"`
	Aud     string     `json:"aud"`
	AMR     []string   `json:"amr"`
	PoolARN string     `json:"https://cognito-identity.amazonaws.com/identity-pool-arn,omitempty"`
	Tags    *tagsClaim `json:"https://aws.amazon.com/tags,omitempty"`
	Iss     string     `json:"iss"`
	Exp     int64      `json:"exp"`
	Iat     int64      `json:"iat"`
}

type tagsClaim struct {
	PrincipalTags map[string][]string `json:"principal_tags"`
}

// Sign returns the compact JWS of c, signed with RS512 under the header
// Cognito uses ({"kid":…,"typ":"JWS","alg":"RS512"}).
func (i *Issuer) Sign(ctx context.Context, c *Claims) (string, error) {
	k, err := i.key(ctx)
	if err != nil {
		return "", err
	}
	p := payload{Sub: c.Subject, Aud: c.Audience, AMR: c.AMR, PoolARN: c.PoolARN, Iss: i.url,
		Exp: c.ExpiresAt.Unix(), Iat: c.IssuedAt.Unix()}
	if p.AMR == nil {
		p.AMR = []string{}
	}
	if len(c.PrincipalTags) > 0 {
		p.Tags = &tagsClaim{PrincipalTags: map[string][]string{}}
		for k, v := range c.PrincipalTags {
			p.Tags.PrincipalTags[k] = []string{v}
		}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("openid: %w", err)
	}
	header, _ := json.Marshal(struct {
		Kid string `json:"kid"`
		Typ string `json:"typ"`
		Alg string `json:"alg"`
	}{k.kid, "JWS", "RS512"})
	b64 := base64.RawURLEncoding
	input := b64.EncodeToString(header) + "." + b64.EncodeToString(body)
	digest := sha512.Sum512([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, k.key, crypto.SHA512, digest[:])
	if err != nil {
		return "", fmt.Errorf("openid: signing: %w", err)
	}
	return input + "." + b64.EncodeToString(sig), nil
}

// Verify checks a token this issuer signed: shape, alg RS512, key, signature,
// iss, then expiry. Errors wrap ErrInvalid or are an *ExpiredError (with the
// claims still returned), or are store failures.
func (i *Issuer) Verify(ctx context.Context, tok string) (*Claims, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(tok) > 64<<10 {
		return nil, ErrInvalid
	}
	b64 := base64.RawURLEncoding
	hb, err1 := b64.DecodeString(parts[0])
	pb, err2 := b64.DecodeString(parts[1])
	sig, err3 := b64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, ErrInvalid
	}
	var hdr struct {
		Kid  string          `json:"kid"`
		Alg  string          `json:"alg"`
		Crit json.RawMessage `json:"crit"`
	}
	if json.Unmarshal(hb, &hdr) != nil || hdr.Alg != "RS512" || hdr.Crit != nil {
		return nil, ErrInvalid
	}
	k, err := i.key(ctx)
	if err != nil {
		return nil, err
	}
	if hdr.Kid != k.kid {
		return nil, ErrInvalid
	}
	digest := sha512.Sum512([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&k.key.PublicKey, crypto.SHA512, digest[:], sig) != nil {
		return nil, ErrInvalid
	}
	var p payload
	dec := json.NewDecoder(bytes.NewReader(pb))
	if dec.Decode(&p) != nil || p.Iss != i.url || p.Sub == "" {
		return nil, ErrInvalid
	}
	c := &Claims{Subject: p.Sub, Audience: p.Aud, AMR: p.AMR, PoolARN: p.PoolARN,
		IssuedAt: time.Unix(p.Iat, 0).UTC(), ExpiresAt: time.Unix(p.Exp, 0).UTC()}
	if p.Tags != nil && len(p.Tags.PrincipalTags) > 0 {
		c.PrincipalTags = map[string]string{}
		for k, v := range p.Tags.PrincipalTags {
			if len(v) > 0 {
				c.PrincipalTags[k] = v[0]
			}
		}
	}
	if now := i.clock.Now(); now.Unix() >= p.Exp {
		return c, &ExpiredError{Now: now, ExpiresAt: c.ExpiresAt}
	}
	return c, nil
}

// JWKS returns the issuer's public keys as a JSON Web Key Set.
func (i *Issuer) JWKS(ctx context.Context) ([]byte, error) {
	k, err := i.key(ctx)
	if err != nil {
		return nil, err
	}
	pub := &k.key.PublicKey
	type jwk struct {
		Kty string `json:"kty"`
		Alg string `json:"alg"`
		Use string `json:"use"`
		Kid string `json:"kid"`
		N   string `json:"n"`
		E   string `json:"e"`
	}
	return json.Marshal(struct {
		Keys []jwk `json:"keys"`
	}{[]jwk{{
		Kty: "RSA", Alg: "RS512", Use: "sig", Kid: k.kid,
		N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// Discovery is the issuer's OpenID Connect discovery document.
func (i *Issuer) Discovery() map[string]any {
	return map[string]any{
		"issuer":                                i.url,
		"jwks_uri":                              i.JWKSURL(),
		"response_types_supported":              []string{"code", "id_token", "code id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS512"},
		"claims_supported":                      []string{"sub", "aud", "amr", "iss", "exp", "iat", PoolARNClaim},
	}
}

// key returns the signing key, re-reading the store every few seconds.
func (i *Issuer) key(ctx context.Context) (*signingKey, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	now := i.clock.Now()
	if i.cur != nil && now.Sub(i.cur.checkedAt) < refresh && !now.Before(i.cur.checkedAt) {
		return i.cur, nil
	}
	candidate := []byte(nil)
	if i.cur != nil {
		// After a test-mode reset the same key goes back in.
		candidate = i.cur.sealed
	} else {
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("openid: generating the issuer key: %w", err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			return nil, fmt.Errorf("openid: %w", err)
		}
		if candidate, err = i.sealer.Seal(der, []byte(metaKey)); err != nil {
			return nil, fmt.Errorf("openid: sealing the issuer key: %w", err)
		}
	}
	stored, err := i.store.GetOrPutMeta(ctx, metaKey, candidate)
	if err != nil {
		return nil, fmt.Errorf("openid: reading the issuer key: %w", err)
	}
	if i.cur != nil && bytes.Equal(stored, i.cur.sealed) {
		i.cur.checkedAt = now
		return i.cur, nil
	}
	der, err := i.sealer.Open(stored, []byte(metaKey))
	if err != nil {
		return nil, fmt.Errorf("openid: opening the issuer key: %w", err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("openid: parsing the issuer key: %w", err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("openid: the issuer key is not an RSA key")
	}
	if i.cur != nil {
		i.log.Info("identity issuer key changed in the store; using the stored key")
	}
	i.cur = &signingKey{sealed: stored, key: priv, kid: kidOf(i.region, &priv.PublicKey), checkedAt: now}
	return i.cur, nil
}

// kidOf names a key the way Cognito's identity issuer does: the region and a
// number (derived from the key, so every replica agrees).
func kidOf(region string, pub *rsa.PublicKey) string {
	sum := sha256.Sum256(pub.N.Bytes())
	return region + strconv.FormatUint(uint64(binary.BigEndian.Uint16(sum[:2]))%1000+1, 10)
}
