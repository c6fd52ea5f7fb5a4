package trigger

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// CodeEncrypter encrypts a custom sender's code under a pool's KMS key and
// returns what the event's request.code carries.
type CodeEncrypter interface {
	EncryptCode(ctx context.Context, keyID string, code []byte, encryptionContext map[string]string) (string, error)
}

// KeyWrapper wraps a data key with a KMS key: AWS KMS's Encrypt.
type KeyWrapper interface {
	// WrapKey encrypts dataKey under keyID with the encryption context, and
	// returns the ciphertext and the key's ARN.
	WrapKey(ctx context.Context, keyID string, dataKey []byte, encryptionContext map[string]string) (ciphertext []byte, keyARN string, err error)
}

// ESDKEncrypter encrypts codes as Cognito does: an AWS Encryption SDK
// message (format version 1, framed, algorithm suite
// AES_256_GCM_IV12_TAG16_HKDF_SHA256 (0x0178), unsigned (unverified: which
// suite Cognito picks; AWS's decryption examples use the commitment policy
// REQUIRE_ENCRYPT_ALLOW_DECRYPT, which reads it)) whose data key is wrapped
// by the KMS key (provider "aws-kms"), base64-encoded. A Lambda function
// decrypts it with the Encryption SDK's KMS keyring, as Cognito's
// documentation shows; test/e2e/js/triggers.test.mjs decrypts it with
// @aws-crypto/client-node.
type ESDKEncrypter struct {
	Wrapper KeyWrapper
}

// Algorithm suite and framing of the messages (AWS Encryption SDK message
// format reference).
const (
	esdkVersion1       = 0x01
	esdkTypeCustomer   = 0x80
	esdkSuiteHKDF256   = 0x0178
	esdkContentFramed  = 0x02
	esdkIVLen          = 12
	esdkTagLen         = 16
	esdkFrameLen       = 4096
	esdkProviderKMS    = "aws-kms"
	esdkFinalFrameAAD  = "AWSKMSEncryptionClient Final Frame"
	esdkSeqNumberFinal = 0xFFFFFFFF
)

// EncryptCode returns base64(ESDK message of code).
func (e *ESDKEncrypter) EncryptCode(ctx context.Context, keyID string, code []byte, encCtx map[string]string) (string, error) {
	if len(code) >= esdkFrameLen {
		return "", errors.New("trigger: code too long for one frame")
	}
	dataKey := make([]byte, 32)
	_, _ = rand.Read(dataKey)
	edk, keyARN, err := e.Wrapper.WrapKey(ctx, keyID, dataKey, encCtx)
	if err != nil {
		return "", err
	}
	msg, err := esdkMessage(dataKey, edk, keyARN, encCtx, code)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(msg), nil
}

// esdkMessage builds the message; the frame and header IVs follow the
// format (deterministic, the key being fresh per message).
func esdkMessage(dataKey, edk []byte, keyARN string, encCtx map[string]string, plaintext []byte) ([]byte, error) {
	messageID := make([]byte, 16)
	_, _ = rand.Read(messageID)

	var h []byte
	h = append(h, esdkVersion1, esdkTypeCustomer)
	h = binary.BigEndian.AppendUint16(h, esdkSuiteHKDF256)
	h = append(h, messageID...)
	aad := encodeContext(encCtx)
	h = binary.BigEndian.AppendUint16(h, uint16(len(aad)))
	h = append(h, aad...)
	h = binary.BigEndian.AppendUint16(h, 1) // one encrypted data key
	h = appendField(h, []byte(esdkProviderKMS))
	h = appendField(h, []byte(keyARN))
	h = appendField(h, edk)
	h = append(h, esdkContentFramed)
	h = append(h, 0, 0, 0, 0) // reserved
	h = append(h, esdkIVLen)
	h = binary.BigEndian.AppendUint32(h, esdkFrameLen)

	info := binary.BigEndian.AppendUint16(nil, esdkSuiteHKDF256)
	info = append(info, messageID...)
	key, err := hkdf.Key(sha256.New, dataKey, nil, string(info), 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// Header authentication: a tag over the header, IV all zeros.
	headerIV := make([]byte, esdkIVLen)
	headerTag := gcm.Seal(nil, headerIV, nil, h)
	out := append(h, headerIV...)
	out = append(out, headerTag...)

	// One final frame, sequence number 1.
	const seq = 1
	iv := make([]byte, esdkIVLen)
	binary.BigEndian.PutUint32(iv[esdkIVLen-4:], seq)
	frameAAD := append([]byte{}, messageID...)
	frameAAD = append(frameAAD, esdkFinalFrameAAD...)
	frameAAD = binary.BigEndian.AppendUint32(frameAAD, seq)
	frameAAD = binary.BigEndian.AppendUint64(frameAAD, uint64(len(plaintext)))
	sealed := gcm.Seal(nil, iv, plaintext, frameAAD)
	out = binary.BigEndian.AppendUint32(out, esdkSeqNumberFinal)
	out = binary.BigEndian.AppendUint32(out, seq)
	out = append(out, iv...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(plaintext)))
	out = append(out, sealed...) // ciphertext then tag
	return out, nil
}

// encodeContext serializes an encryption context: count, then each pair
// (length-prefixed UTF-8) sorted by key; empty when there is none.
func encodeContext(c map[string]string) []byte {
	if len(c) == 0 {
		return nil
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := binary.BigEndian.AppendUint16(nil, uint16(len(keys)))
	for _, k := range keys {
		b = appendField(b, []byte(k))
		b = appendField(b, []byte(c[k]))
	}
	return b
}

func appendField(b, v []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(v)))
	return append(b, v...)
}

// KMSConfig says where AWS KMS (or a KMS-compatible server such as
// LocalStack's) is.
type KMSConfig struct {
	// Endpoint is the KMS API's base URL; empty: AWS's for the region.
	Endpoint string
	// Region signs the calls; empty: the key ARN's region, else
	// FallbackRegion.
	Region, FallbackRegion string
	// Credentials; empty: placeholder credentials (local emulators).
	AccessKeyID, SecretAccessKey, SessionToken string
	HTTPClient                                 *http.Client
}

// KMSWrapper wraps data keys with KMS Encrypt through aws-sdk-go-v2.
type KMSWrapper struct {
	cfg     KMSConfig
	mu      sync.Mutex
	clients map[string]*kms.Client
}

// NewKMSWrapper returns a KeyWrapper calling KMS at cfg.
func NewKMSWrapper(cfg KMSConfig) *KMSWrapper {
	return &KMSWrapper{cfg: cfg, clients: map[string]*kms.Client{}}
}

func (w *KMSWrapper) client(region string) *kms.Client {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.clients[region]; ok {
		return c
	}
	key, secret := w.cfg.AccessKeyID, w.cfg.SecretAccessKey
	if key == "" {
		key, secret = placeholderKey, placeholderKey
	}
	awsCfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, w.cfg.SessionToken),
	}
	if w.cfg.HTTPClient != nil {
		awsCfg.HTTPClient = w.cfg.HTTPClient
	}
	c := kms.NewFromConfig(awsCfg, func(o *kms.Options) {
		if w.cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(w.cfg.Endpoint)
		}
	})
	w.clients[region] = c
	return c
}

// WrapKey calls KMS Encrypt.
func (w *KMSWrapper) WrapKey(ctx context.Context, keyID string, dataKey []byte, encCtx map[string]string) ([]byte, string, error) {
	region := w.cfg.Region
	if region == "" && strings.HasPrefix(keyID, "arn:") {
		region = functionRegion(keyID)
	}
	if region == "" {
		region = w.cfg.FallbackRegion
	}
	out, err := w.client(region).Encrypt(ctx, &kms.EncryptInput{
		KeyId:             aws.String(keyID),
		Plaintext:         dataKey,
		EncryptionContext: encCtx,
	})
	if err != nil {
		return nil, "", fmt.Errorf("trigger: KMS Encrypt with key %s: %w", keyID, err)
	}
	arn := keyID
	if out.KeyId != nil && *out.KeyId != "" {
		arn = *out.KeyId
	}
	return out.CiphertextBlob, arn, nil
}
