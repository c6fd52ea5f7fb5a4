package triggertest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// FakeKMS is a KMS-compatible server for tests (AWS JSON 1.1,
// TrentService.Encrypt and TrentService.Decrypt) with one secret key of its
// own: ciphertexts bind the key ARN and the encryption context, as KMS's
// do. Keys given by id become arn:aws:kms:us-east-1:000000000000:key/{id}.
type FakeKMS struct {
	once sync.Once
	aead cipher.AEAD
	mu   sync.Mutex
	// Calls counts the operations served.
	calls map[string]int
}

func (k *FakeKMS) init() {
	k.once.Do(func() {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		b, _ := aes.NewCipher(key)
		k.aead, _ = cipher.NewGCM(b)
		k.calls = map[string]int{}
	})
}

// Calls returns how often op (Encrypt, Decrypt) was served.
func (k *FakeKMS) Calls(op string) int {
	k.init()
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.calls[op]
}

func keyARN(id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return "arn:aws:kms:us-east-1:000000000000:key/" + id
}

func contextAAD(arn string, ec map[string]string) []byte {
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := []byte(arn)
	for _, k := range keys {
		b = append(b, 0)
		b = append(b, k...)
		b = append(b, 0)
		b = append(b, ec[k]...)
	}
	return b
}

// Encrypt encrypts plaintext under keyID with the encryption context.
func (k *FakeKMS) Encrypt(keyID string, plaintext []byte, ec map[string]string) ([]byte, string) {
	k.init()
	arn := keyARN(keyID)
	nonce := make([]byte, k.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := binary.BigEndian.AppendUint16(nil, uint16(len(arn)))
	out = append(out, arn...)
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plaintext, contextAAD(arn, ec)), arn
}

// Decrypt reverses Encrypt; the encryption context must match.
func (k *FakeKMS) Decrypt(blob []byte, ec map[string]string) ([]byte, string, error) {
	k.init()
	if len(blob) < 2 {
		return nil, "", errors.New("invalid ciphertext")
	}
	n := int(binary.BigEndian.Uint16(blob))
	if len(blob) < 2+n+k.aead.NonceSize() {
		return nil, "", errors.New("invalid ciphertext")
	}
	arn := string(blob[2 : 2+n])
	nonce := blob[2+n : 2+n+k.aead.NonceSize()]
	pt, err := k.aead.Open(nil, nonce, blob[2+n+k.aead.NonceSize():], contextAAD(arn, ec))
	if err != nil {
		return nil, "", errors.New("invalid ciphertext or encryption context")
	}
	return pt, arn, nil
}

// ServeHTTP serves TrentService.Encrypt and TrentService.Decrypt.
func (k *FakeKMS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.init()
	op, _ := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "TrentService.")
	body, _ := io.ReadAll(r.Body)
	var in struct {
		KeyID             string            `json:"KeyId"`
		Plaintext         []byte            `json:"Plaintext"`
		CiphertextBlob    []byte            `json:"CiphertextBlob"`
		EncryptionContext map[string]string `json:"EncryptionContext"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		kmsError(w, "ValidationException", "bad body")
		return
	}
	k.mu.Lock()
	k.calls[op]++
	k.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch op {
	case "Encrypt":
		blob, arn := k.Encrypt(in.KeyID, in.Plaintext, in.EncryptionContext)
		_ = json.NewEncoder(w).Encode(map[string]any{"CiphertextBlob": blob, "KeyId": arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
	case "Decrypt":
		pt, arn, err := k.Decrypt(in.CiphertextBlob, in.EncryptionContext)
		if err != nil {
			kmsError(w, "InvalidCiphertextException", err.Error())
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"Plaintext": pt, "KeyId": arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
	default:
		kmsError(w, "UnsupportedOperationException", "not served: "+op)
	}
}

func kmsError(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}

// DecryptCode reads a custom sender's request.code: base64 of an AWS
// Encryption SDK message (format version 1, suite 0x0178, framed) whose data
// key k wrapped. It returns the plaintext and the message's encryption
// context, checking the header's authentication tag and the frame's.
func (k *FakeKMS) DecryptCode(code string) (string, map[string]string, error) {
	msg, err := base64.StdEncoding.DecodeString(code)
	if err != nil {
		return "", nil, fmt.Errorf("base64: %w", err)
	}
	r := &reader{b: msg}
	if v := r.u8(); v != 1 {
		return "", nil, fmt.Errorf("version %d", v)
	}
	if t := r.u8(); t != 0x80 {
		return "", nil, fmt.Errorf("type %#x", t)
	}
	suite := r.u16()
	if suite != 0x0178 {
		return "", nil, fmt.Errorf("suite %#x", suite)
	}
	messageID := r.n(16)
	ec := map[string]string{}
	if aadLen := int(r.u16()); aadLen > 0 {
		aad := &reader{b: r.n(aadLen)}
		for range int(aad.u16()) {
			key := string(aad.n(int(aad.u16())))
			ec[key] = string(aad.n(int(aad.u16())))
		}
		if aad.err != nil || len(aad.b) != aad.off {
			return "", nil, errors.New("bad encryption context")
		}
	}
	var dataKey []byte
	for range int(r.u16()) {
		provider := string(r.n(int(r.u16())))
		info := string(r.n(int(r.u16())))
		edk := r.n(int(r.u16()))
		if provider != "aws-kms" {
			continue
		}
		pt, arn, err := k.Decrypt(edk, ec)
		if err != nil || arn != info {
			return "", nil, fmt.Errorf("unwrapping the data key: %v (key %s, provider info %s)", err, arn, info)
		}
		dataKey = pt
	}
	if dataKey == nil {
		return "", nil, errors.New("no aws-kms data key")
	}
	if ct := r.u8(); ct != 2 {
		return "", nil, fmt.Errorf("content type %d", ct)
	}
	if !bytes.Equal(r.n(4), []byte{0, 0, 0, 0}) {
		return "", nil, errors.New("reserved bytes")
	}
	if ivLen := r.u8(); ivLen != 12 {
		return "", nil, fmt.Errorf("iv length %d", ivLen)
	}
	_ = r.u32() // frame length
	header := msg[:r.off]
	headerIV, headerTag := r.n(12), r.n(16)
	if r.err != nil {
		return "", nil, r.err
	}
	info := binary.BigEndian.AppendUint16(nil, suite)
	info = append(info, messageID...)
	key, err := hkdf.Key(sha256.New, dataKey, nil, string(info), 32)
	if err != nil {
		return "", nil, err
	}
	b, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(b)
	if _, err := gcm.Open(nil, headerIV, headerTag, header); err != nil {
		return "", nil, errors.New("header authentication failed")
	}
	if r.u32() != 0xFFFFFFFF {
		return "", nil, errors.New("expected one final frame")
	}
	seq := r.u32()
	iv := r.n(12)
	n := int(r.u32())
	ct := r.n(n + 16)
	if r.err != nil || r.off != len(msg) {
		return "", nil, errors.New("bad body")
	}
	aad := append([]byte{}, messageID...)
	aad = append(aad, "AWSKMSEncryptionClient Final Frame"...)
	aad = binary.BigEndian.AppendUint32(aad, seq)
	aad = binary.BigEndian.AppendUint64(aad, uint64(n))
	pt, err := gcm.Open(nil, iv, ct, aad)
	if err != nil {
		return "", nil, errors.New("frame authentication failed")
	}
	return string(pt), ec, nil
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) n(k int) []byte {
	if r.err != nil || k < 0 || r.off+k > len(r.b) {
		r.err = errors.New("truncated message")
		return make([]byte, max(k, 0))
	}
	v := r.b[r.off : r.off+k]
	r.off += k
	return v
}

func (r *reader) u8() byte    { return r.n(1)[0] }
func (r *reader) u16() uint16 { return binary.BigEndian.Uint16(r.n(2)) }
func (r *reader) u32() uint32 { return binary.BigEndian.Uint32(r.n(4)) }
