package srp

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"
)

// vectors.json is written by testdata/gen_vectors.js from the real client
// libraries (amazon-cognito-identity-js driven through CognitoUser against a
// fake service, cross-checked against Amplify JS v6). These tests hold
// Cogito's maths to every value those clients produced.

type userVector struct {
	Name      string `json:"name"`
	PoolID    string `json:"pool_id"`
	PoolName  string `json:"pool_name"`
	Username  string `json:"username"`
	UserID    string `json:"user_id_for_srp"`
	Password  string `json:"password"`
	SaltBytes string `json:"salt_bytes"`
	SALT      string `json:"SALT"`
	X         string `json:"x"`
	Verifier  string `json:"verifier"`
	A         string `json:"a"`
	B         string `json:"b"`
	SRPA      string `json:"SRP_A"`
	SRPB      string `json:"SRP_B"`
	U         string `json:"u"`
	S         string `json:"S"`
	K         string `json:"K"`
	Block     string `json:"SECRET_BLOCK"`
	NowUnix   int64  `json:"now_unix"`
	Timestamp string `json:"TIMESTAMP"`
	Signature string `json:"PASSWORD_CLAIM_SIGNATURE"`
}

type deviceVector struct {
	Name             string `json:"name"`
	DeviceGroupKey   string `json:"device_group_key"`
	DeviceKey        string `json:"device_key"`
	DevicePassword   string `json:"device_password"`
	DeviceSaltRandom string `json:"device_salt_random"`
	ConfirmSalt      string `json:"confirm_device_salt"`
	ConfirmVerifier  string `json:"confirm_device_password_verifier"`
	SALT             string `json:"SALT"`
	A                string `json:"a"`
	B                string `json:"b"`
	SRPA             string `json:"SRP_A"`
	SRPB             string `json:"SRP_B"`
	U                string `json:"u"`
	S                string `json:"S"`
	K                string `json:"K"`
	Block            string `json:"SECRET_BLOCK"`
	NowUnix          int64  `json:"now_unix"`
	Timestamp        string `json:"TIMESTAMP"`
	Signature        string `json:"PASSWORD_CLAIM_SIGNATURE"`
}

type vectorFile struct {
	Libraries  map[string]string `json:"libraries"`
	N          string            `json:"N"`
	G          string            `json:"g"`
	K          string            `json:"k"`
	User       []userVector      `json:"user"`
	Device     []deviceVector    `json:"device"`
	Timestamps []struct {
		Unix      int64  `json:"unix"`
		Timestamp string `json:"TIMESTAMP"`
	} `json:"timestamps"`
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.User) == 0 || len(f.Device) == 0 || len(f.Timestamps) == 0 {
		t.Fatal("vectors.json has empty sections")
	}
	return f
}

func hexInt(t *testing.T, s string) *big.Int {
	t.Helper()
	i, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("bad hex %q", s)
	}
	return i
}

func hexBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func b64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVectorConstants(t *testing.T) {
	f := loadVectors(t)
	if got := PadHex(nInt); got != f.N {
		t.Errorf("PadHex(N) differs from the clients'")
	}
	if f.G != "2" || G != 2 {
		t.Errorf("g = %s", f.G)
	}
	if got := kInt.Text(16); got != f.K || got != KHex {
		t.Errorf("k = %s, clients %s, constant %s", got, f.K, KHex)
	}
	if !strings.HasPrefix(KHex, "538282c4") || !strings.HasSuffix(KHex, "9ee6") {
		t.Errorf("KHex = %s", KHex)
	}
}

func TestUserVectors(t *testing.T) {
	f := loadVectors(t)
	for _, v := range f.User {
		t.Run(v.Name, func(t *testing.T) {
			if got := PoolName(v.PoolID); got != v.PoolName {
				t.Fatalf("PoolName = %q, want %q", got, v.PoolName)
			}
			salt := hexBytes(t, v.SaltBytes)
			if got := SaltHex(salt); got != v.SALT {
				t.Errorf("SaltHex = %s, want %s", got, v.SALT)
			}
			if got := privateKey(v.PoolName, v.UserID, v.Password, salt).Text(16); got != v.X {
				t.Errorf("x = %s, want %s", got, v.X)
			}
			// The salt as stored raw and in canonical form give one verifier.
			verifier := Verifier(v.PoolName, v.UserID, v.Password, salt)
			if got := PadHex(verifier); got != v.Verifier {
				t.Fatalf("verifier differs")
			}
			if got := PadHex(Verifier(v.PoolName, v.UserID, v.Password, hexBytes(t, v.SALT))); got != v.Verifier {
				t.Fatalf("verifier from canonical salt differs")
			}

			client, err := NewClientSessionWithSecret(v.PoolName, hexInt(t, v.A))
			if err != nil {
				t.Fatal(err)
			}
			if got := client.PublicHex(); got != v.SRPA {
				t.Fatalf("SRP_A differs")
			}
			b := hexInt(t, v.B)
			B := ServerPublic(verifier, b)
			if got := B.Text(16); got != v.SRPB {
				t.Fatalf("SRP_B differs")
			}

			A, err := ParsePublic(v.SRPA)
			if err != nil {
				t.Fatal(err)
			}
			u := hashInts(A, B)
			if got := PadHex(u); got != v.U {
				t.Errorf("u = %s, want %s", got, v.U)
			}
			if got := PadHex(serverSecret(A, B, b, verifier, u)); got != v.S {
				t.Errorf("server S differs")
			}
			key, err := ServerKey(A, B, b, verifier)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(key); got != v.K {
				t.Errorf("server K = %s, want %s", got, v.K)
			}
			ckey, err := client.Key(v.UserID, v.Password, v.SALT, v.SRPB)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(ckey); got != v.K {
				t.Errorf("client K = %s, want %s", got, v.K)
			}

			now := time.Unix(v.NowUnix, 0)
			if got := FormatTimestamp(now); got != v.Timestamp {
				t.Errorf("FormatTimestamp = %q, want %q", got, v.Timestamp)
			}
			block := b64(t, v.Block)
			sig := base64.StdEncoding.EncodeToString(Signature(key, v.PoolName, v.UserID, block, v.Timestamp))
			if sig != v.Signature {
				t.Errorf("signature = %s, want %s", sig, v.Signature)
			}
			if !CheckSignature(key, v.PoolName, v.UserID, block, v.Timestamp, v.Signature) {
				t.Errorf("CheckSignature rejects the library's signature")
			}
			resp, err := client.Respond(v.UserID, v.Password, v.SALT, v.SRPB, v.Block, now)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Signature != v.Signature || resp.Timestamp != v.Timestamp || resp.SecretBlock != v.Block {
				t.Errorf("Respond = %+v", resp)
			}
		})
	}
}

func TestDeviceVectors(t *testing.T) {
	f := loadVectors(t)
	for _, v := range f.Device {
		t.Run(v.Name, func(t *testing.T) {
			// ConfirmDevice as the library sent it parses, and its verifier is
			// ours for the same device password and salt.
			verifier, salt, err := ParseDeviceSecretVerifierConfig(b64(t, v.ConfirmVerifier), b64(t, v.ConfirmSalt))
			if err != nil {
				t.Fatal(err)
			}
			if got := DeviceVerifier(v.DeviceGroupKey, v.DeviceKey, v.DevicePassword, salt); got.Cmp(verifier) != 0 {
				t.Fatalf("device verifier differs")
			}
			if got := DeviceVerifier(v.DeviceGroupKey, v.DeviceKey, v.DevicePassword, hexBytes(t, v.DeviceSaltRandom)); got.Cmp(verifier) != 0 {
				t.Fatalf("device verifier from the raw random salt differs")
			}
			if got := base64.StdEncoding.EncodeToString(VerifierBytes(verifier)); got != v.ConfirmVerifier {
				t.Errorf("VerifierBytes = %s, want %s", got, v.ConfirmVerifier)
			}
			if got := base64.StdEncoding.EncodeToString(canonicalSalt(hexBytes(t, v.DeviceSaltRandom))); got != v.ConfirmSalt {
				t.Errorf("canonical salt = %s, want %s", got, v.ConfirmSalt)
			}
			if got := SaltHex(salt); got != v.SALT {
				t.Errorf("SaltHex = %s, want %s", got, v.SALT)
			}

			client, err := NewClientSessionWithSecret(v.DeviceGroupKey, hexInt(t, v.A))
			if err != nil {
				t.Fatal(err)
			}
			if client.PublicHex() != v.SRPA {
				t.Fatalf("SRP_A differs")
			}
			b := hexInt(t, v.B)
			B := ServerPublic(verifier, b)
			if B.Text(16) != v.SRPB {
				t.Fatalf("SRP_B differs")
			}
			A, err := ParsePublic(v.SRPA)
			if err != nil {
				t.Fatal(err)
			}
			if got := PadHex(hashInts(A, B)); got != v.U {
				t.Errorf("u differs")
			}
			key, err := ServerKey(A, B, b, verifier)
			if err != nil {
				t.Fatal(err)
			}
			if hex.EncodeToString(key) != v.K {
				t.Errorf("server K differs")
			}
			block := b64(t, v.Block)
			if !CheckSignature(key, v.DeviceGroupKey, v.DeviceKey, block, v.Timestamp, v.Signature) {
				t.Errorf("device signature rejected")
			}
			resp, err := client.Respond(v.DeviceKey, v.DevicePassword, v.SALT, v.SRPB, v.Block, time.Unix(v.NowUnix, 0))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Signature != v.Signature || resp.Timestamp != v.Timestamp {
				t.Errorf("Respond = %+v, want %s at %s", resp, v.Signature, v.Timestamp)
			}
		})
	}
}

func TestTimestampVectors(t *testing.T) {
	f := loadVectors(t)
	for _, v := range f.Timestamps {
		want := time.Unix(v.Unix, 0).UTC()
		if got := FormatTimestamp(want); got != v.Timestamp {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", want, got, v.Timestamp)
		}
		got, err := ParseTimestamp(v.Timestamp)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v", v.Timestamp, got, err)
		}
	}
}

// TestVectorEdgeCases asserts the file really covers the shapes it claims
// to: a regenerated file that lost them would pass silently otherwise.
func TestVectorEdgeCases(t *testing.T) {
	f := loadVectors(t)
	var oddA, saltTop, saltZero, oddS, uTop, uShort bool
	for _, v := range f.User {
		oddA = oddA || len(v.SRPA)%2 == 1
		saltTop = saltTop || strings.HasPrefix(v.SALT, "00")
		saltZero = saltZero || strings.HasPrefix(v.SaltBytes, "00") && len(v.SALT) < len(v.SaltBytes)
		oddS = oddS || strings.HasPrefix(v.S, "0") && !strings.HasPrefix(v.S, "00")
		uTop = uTop || len(v.U) == 66
		uShort = uShort || v.U[0] == '0' && v.U[1] != '0'
	}
	var devTop, devShort bool
	for _, v := range f.Device {
		devTop = devTop || strings.HasPrefix(v.SALT, "00")
		devShort = devShort || len(v.SALT) < 32
	}
	for name, ok := range map[string]bool{
		"odd-length SRP_A": oddA, "salt with top bit set": saltTop, "salt with leading zero bytes": saltZero,
		"odd-length S": oddS, "u with top bit set": uTop, "u with a leading zero nibble": uShort,
		"device salt with top bit set": devTop, "device salt shorter than 16 bytes": devShort,
	} {
		if !ok {
			t.Errorf("vectors.json has no case with %s", name)
		}
	}
}
