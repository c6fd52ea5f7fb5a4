// Package authenticatortest is a software WebAuthn authenticator and client
// for tests: it answers PublicKeyCredentialCreationOptions and
// PublicKeyCredentialRequestOptions (in their JSON forms, as Cognito sends
// them) with the RegistrationResponseJSON and AuthenticationResponseJSON a
// browser would produce — real ES256 key pairs, authenticator data, "none"
// or "packed" self attestation in CBOR, and assertion signatures — so the
// passkeys family can be tested end to end without a browser.
//
// Options let a test produce the faulty responses a server must refuse: a
// foreign origin, another relying party's id hash, a stale challenge, no
// user presence, a broken signature, a signature counter that goes back.
package authenticatortest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
)

// COSE algorithm ES256 and the attestation formats this authenticator makes.
const (
	AlgES256 = -7

	AttestationNone   = "none"
	AttestationPacked = "packed"
)

// Authenticator flags (WebAuthn §6.1).
const (
	flagUP = 0x01
	flagUV = 0x04
	flagBE = 0x08
	flagBS = 0x10
	flagAT = 0x40
)

// Authenticator is one software authenticator holding any number of
// credentials. Its fields are its model: set them before use. It is safe for
// concurrent use.
type Authenticator struct {
	// AAGUID identifies the authenticator model (zero for none).
	AAGUID [16]byte
	// Attestation is AttestationNone (default) or AttestationPacked (self
	// attestation: signed with the credential's own key).
	Attestation string
	// UserVerifying: the authenticator verifies the user (sets UV).
	UserVerifying bool
	// Attachment is "platform" or "cross-platform" ("" reports none).
	Attachment string
	// Transports are reported at registration (nil: none).
	Transports []string
	// CounterStep is added to a credential's signature counter by every
	// assertion; 0 keeps it at 0, as synced passkeys do.
	CounterStep uint32
	// BackupEligible sets BE (and BS) in the authenticator data.
	BackupEligible bool

	mu    sync.Mutex
	creds []*Credential
}

// Credential is one key pair the authenticator created.
type Credential struct {
	ID         []byte
	RPID       string
	UserHandle []byte
	Key        *ecdsa.PrivateKey

	mu        sync.Mutex
	signCount uint32
}

// SignCount is the credential's current signature counter.
func (c *Credential) SignCount() uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.signCount
}

// SetSignCount sets the counter (a test rewinding a cloned authenticator).
func (c *Credential) SetSignCount(n uint32) {
	c.mu.Lock()
	c.signCount = n
	c.mu.Unlock()
}

// IDString is the credential id as base64url, as the API shows it.
func (c *Credential) IDString() string { return b64(c.ID) }

// Options are what a test changes about one ceremony; the zero value is a
// well-behaved browser at Origin.
type Options struct {
	// Origin is clientDataJSON.origin (required).
	Origin string
	// RPID, when set, is hashed into the authenticator data instead of the
	// relying party id the options name.
	RPID string
	// Challenge, when set, replaces the options' challenge in clientDataJSON.
	Challenge string
	// Type, when set, replaces clientDataJSON.type.
	Type string
	// CrossOrigin marks the ceremony as run in a cross-origin iframe.
	CrossOrigin bool
	// NoUserPresence clears UP.
	NoUserPresence bool
	// NoUserVerification clears UV even when the authenticator verifies.
	NoUserVerification bool
	// CorruptSignature flips a bit of the assertion (or packed attestation)
	// signature.
	CorruptSignature bool
	// Credential selects the credential an assertion uses (by id); nil picks
	// the first allowed one.
	Credential *Credential
	// UserHandle, when set, replaces the assertion's userHandle.
	UserHandle []byte
}

// New returns an authenticator with "none" attestation that verifies users,
// attaches as a platform authenticator over the "internal" transport and
// counts signatures by one.
func New() *Authenticator {
	return &Authenticator{
		Attestation:   AttestationNone,
		UserVerifying: true,
		Attachment:    "platform",
		Transports:    []string{"internal"},
		CounterStep:   1,
	}
}

// Credentials lists the credentials created so far.
func (a *Authenticator) Credentials() []*Credential {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.creds)
}

// creationOptions is the part of PublicKeyCredentialCreationOptionsJSON the
// authenticator reads.
type creationOptions struct {
	Challenge string `json:"challenge"`
	RP        struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"rp"`
	User struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		DisplayName string `json:"displayName"`
	} `json:"user"`
	PubKeyCredParams   []pubKeyParam `json:"pubKeyCredParams"`
	ExcludeCredentials []descriptor  `json:"excludeCredentials"`
	Selection          struct {
		UserVerification string `json:"userVerification"`
	} `json:"authenticatorSelection"`
}

type pubKeyParam struct {
	Type string `json:"type"`
	Alg  int    `json:"alg"`
}

type descriptor struct {
	Type       string   `json:"type"`
	ID         string   `json:"id"`
	Transports []string `json:"transports,omitempty"`
}

// requestOptions is the part of PublicKeyCredentialRequestOptionsJSON the
// authenticator reads.
type requestOptions struct {
	Challenge        string       `json:"challenge"`
	RPID             string       `json:"rpId"`
	AllowCredentials []descriptor `json:"allowCredentials"`
	UserVerification string       `json:"userVerification"`
}

// ErrExcluded is what Register answers when the authenticator already holds
// one of the excluded credentials (a browser's InvalidStateError).
var ErrExcluded = errors.New("authenticatortest: the authenticator holds an excluded credential")

// ErrNoCredential is what Assert answers when it holds no allowed
// credential (a browser's NotAllowedError).
var ErrNoCredential = errors.New("authenticatortest: no allowed credential")

// Register answers a credential creation: options is the
// PublicKeyCredentialCreationOptionsJSON (CredentialCreationOptions of
// StartWebAuthnRegistration). It returns the RegistrationResponseJSON and the
// new credential.
func (a *Authenticator) Register(options []byte, o Options) ([]byte, *Credential, error) {
	var opts creationOptions
	if err := json.Unmarshal(options, &opts); err != nil {
		return nil, nil, fmt.Errorf("authenticatortest: creation options: %w", err)
	}
	if opts.Challenge == "" || opts.RP.ID == "" || opts.User.ID == "" {
		return nil, nil, errors.New("authenticatortest: creation options lack challenge, rp.id or user.id")
	}
	if !slices.ContainsFunc(opts.PubKeyCredParams, func(p pubKeyParam) bool { return p.Type == "public-key" && p.Alg == AlgES256 }) {
		return nil, nil, errors.New("authenticatortest: ES256 is not among pubKeyCredParams")
	}
	if opts.Selection.UserVerification == "required" && !a.UserVerifying {
		return nil, nil, errors.New("authenticatortest: user verification required but not supported")
	}
	userHandle, err := base64.RawURLEncoding.DecodeString(opts.User.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("authenticatortest: user.id: %w", err)
	}
	a.mu.Lock()
	for _, ex := range opts.ExcludeCredentials {
		for _, c := range a.creds {
			if c.RPID == opts.RP.ID && ex.ID == c.IDString() {
				a.mu.Unlock()
				return nil, nil, ErrExcluded
			}
		}
	}
	a.mu.Unlock()

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	id := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return nil, nil, err
	}
	cred := &Credential{ID: id, RPID: opts.RP.ID, UserHandle: userHandle, Key: key}

	clientData, err := a.clientData("webauthn.create", opts.Challenge, o)
	if err != nil {
		return nil, nil, err
	}
	cose, err := coseKey(&key.PublicKey)
	if err != nil {
		return nil, nil, err
	}
	attested := make([]byte, 0, 18+len(id)+len(cose))
	attested = append(attested, a.AAGUID[:]...)
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(id)))
	attested = append(attested, id...)
	attested = append(attested, cose...)
	authData := a.authData(opts.RP.ID, o, flagAT, 0, attested)

	attStmt := map[string]any{}
	format := a.Attestation
	switch format {
	case "", AttestationNone:
		format = AttestationNone
	case AttestationPacked:
		sig, err := sign(key, authData, clientData, o.CorruptSignature)
		if err != nil {
			return nil, nil, err
		}
		attStmt = map[string]any{"alg": AlgES256, "sig": sig}
	default:
		return nil, nil, fmt.Errorf("authenticatortest: unknown attestation format %q", format)
	}
	attObj, err := webauthncbor.Marshal(map[string]any{"fmt": format, "attStmt": attStmt, "authData": authData})
	if err != nil {
		return nil, nil, err
	}
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, nil, err
	}
	transports := a.Transports
	if transports == nil {
		transports = []string{}
	}
	resp := map[string]any{
		"id":    b64(id),
		"rawId": b64(id),
		"type":  "public-key",
		"response": map[string]any{
			"clientDataJSON":     b64(clientData),
			"attestationObject":  b64(attObj),
			"transports":         transports,
			"publicKeyAlgorithm": AlgES256,
			"publicKey":          b64(spki),
			"authenticatorData":  b64(authData),
		},
		"clientExtensionResults": map[string]any{},
	}
	if a.Attachment != "" {
		resp["authenticatorAttachment"] = a.Attachment
	}
	out, err := json.Marshal(resp)
	if err != nil {
		return nil, nil, err
	}
	a.mu.Lock()
	a.creds = append(a.creds, cred)
	a.mu.Unlock()
	return out, cred, nil
}

// Assert answers a credential request: options is the
// PublicKeyCredentialRequestOptionsJSON (the CREDENTIAL_REQUEST_OPTIONS
// challenge parameter). It returns the AuthenticationResponseJSON.
func (a *Authenticator) Assert(options []byte, o Options) ([]byte, error) {
	var opts requestOptions
	if err := json.Unmarshal(options, &opts); err != nil {
		return nil, fmt.Errorf("authenticatortest: request options: %w", err)
	}
	if opts.Challenge == "" || opts.RPID == "" {
		return nil, errors.New("authenticatortest: request options lack challenge or rpId")
	}
	if opts.UserVerification == "required" && !a.UserVerifying {
		return nil, errors.New("authenticatortest: user verification required but not supported")
	}
	cred := o.Credential
	if cred == nil {
		cred = a.pick(opts)
		if cred == nil {
			return nil, ErrNoCredential
		}
	}
	clientData, err := a.clientData("webauthn.get", opts.Challenge, o)
	if err != nil {
		return nil, err
	}
	cred.mu.Lock()
	cred.signCount += a.CounterStep
	count := cred.signCount
	cred.mu.Unlock()
	authData := a.authData(opts.RPID, o, 0, count, nil)
	sig, err := sign(cred.Key, authData, clientData, o.CorruptSignature)
	if err != nil {
		return nil, err
	}
	userHandle := cred.UserHandle
	if o.UserHandle != nil {
		userHandle = o.UserHandle
	}
	resp := map[string]any{
		"id":    cred.IDString(),
		"rawId": cred.IDString(),
		"type":  "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64(clientData),
			"authenticatorData": b64(authData),
			"signature":         b64(sig),
			"userHandle":        b64(userHandle),
		},
		"clientExtensionResults": map[string]any{},
	}
	if a.Attachment != "" {
		resp["authenticatorAttachment"] = a.Attachment
	}
	return json.Marshal(resp)
}

// pick returns the first credential for the relying party that the options
// allow (any of them when the list is empty).
func (a *Authenticator) pick(opts requestOptions) *Credential {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.creds {
		if c.RPID != opts.RPID {
			continue
		}
		if len(opts.AllowCredentials) == 0 {
			return c
		}
		for _, d := range opts.AllowCredentials {
			if d.ID == c.IDString() {
				return c
			}
		}
	}
	return nil
}

// clientData is the clientDataJSON of a ceremony, members in the order
// browsers write them.
func (a *Authenticator) clientData(typ, challenge string, o Options) ([]byte, error) {
	if o.Origin == "" {
		return nil, errors.New("authenticatortest: Options.Origin is required")
	}
	if o.Type != "" {
		typ = o.Type
	}
	if o.Challenge != "" {
		challenge = o.Challenge
	}
	var buf bytes.Buffer
	field := func(name string, v any, first bool) {
		if !first {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		val, _ := json.Marshal(v)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(val)
	}
	buf.WriteByte('{')
	field("type", typ, true)
	field("challenge", challenge, false)
	field("origin", o.Origin, false)
	field("crossOrigin", o.CrossOrigin, false)
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// authData is rpIdHash || flags || signCount || attested credential data.
func (a *Authenticator) authData(rpID string, o Options, extra byte, count uint32, attested []byte) []byte {
	if o.RPID != "" {
		rpID = o.RPID
	}
	h := sha256.Sum256([]byte(rpID))
	flags := extra
	if !o.NoUserPresence {
		flags |= flagUP
	}
	if a.UserVerifying && !o.NoUserVerification {
		flags |= flagUV
	}
	if a.BackupEligible {
		flags |= flagBE | flagBS
	}
	out := make([]byte, 0, 37+len(attested))
	out = append(out, h[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, count)
	return append(out, attested...)
}

// sign is the ES256 signature (ASN.1 DER) over authData || SHA-256(clientData).
func sign(key *ecdsa.PrivateKey, authData, clientData []byte, corrupt bool) ([]byte, error) {
	h := sha256.Sum256(clientData)
	msg := sha256.Sum256(append(slices.Clone(authData), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, key, msg[:])
	if err != nil {
		return nil, err
	}
	if corrupt {
		sig[len(sig)-1] ^= 0x01
	}
	return sig, nil
}

// coseKey is the COSE_Key of an EC2 P-256 public key for ES256.
func coseKey(pub *ecdsa.PublicKey) ([]byte, error) {
	raw, err := pub.Bytes() // uncompressed point: 0x04 || X || Y
	if err != nil {
		return nil, err
	}
	return webauthncbor.Marshal(map[int]any{
		1:  2,         // kty: EC2
		3:  AlgES256,  // alg
		-1: 1,         // crv: P-256
		-2: raw[1:33], // x
		-3: raw[33:],  // y
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
