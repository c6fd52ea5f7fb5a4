package srp

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/big"
	"testing"
	"time"
)

// TestDeviceProofVectors checks the server's device proof against every
// DEVICE_PASSWORD_VERIFIER answer the client libraries produced in
// vectors.json (amazon-cognito-identity-js's CognitoUser, cross-checked
// against Amplify JS v6's generateHashDevice and signature helpers).
func TestDeviceProofVectors(t *testing.T) {
	f := loadVectors(t)
	for _, v := range f.Device {
		t.Run(v.Name, func(t *testing.T) {
			verifier, _, err := ParseDeviceSecretVerifierConfig(b64(t, v.ConfirmVerifier), b64(t, v.ConfirmSalt))
			if err != nil {
				t.Fatal(err)
			}
			A, err := ParsePublic(v.SRPA)
			if err != nil {
				t.Fatal(err)
			}
			b := hexInt(t, v.B)
			st := State{DeviceKey: v.DeviceKey, A: A, B: ServerPublic(verifier, b), Secret: b}
			if st.B.Text(16) != v.SRPB {
				t.Fatal("SRP_B differs from the vector")
			}
			block := b64(t, v.Block)
			if !deviceProof(st, verifier, v.DeviceGroupKey, block, v.Timestamp, v.Signature) {
				t.Fatal("the library's device proof is rejected")
			}
			// Every input is bound: group key, device key, block, timestamp,
			// signature and verifier.
			other := st
			other.DeviceKey += "0"
			tampered := append([]byte(nil), block...)
			tampered[0] ^= 1
			sig := b64(t, v.Signature)
			sig[len(sig)-1] ^= 1
			for name, ok := range map[string]bool{
				"group key":  deviceProof(st, verifier, v.DeviceGroupKey+"x", block, v.Timestamp, v.Signature),
				"device key": deviceProof(other, verifier, v.DeviceGroupKey, block, v.Timestamp, v.Signature),
				"block":      deviceProof(st, verifier, v.DeviceGroupKey, tampered, v.Timestamp, v.Signature),
				"timestamp":  deviceProof(st, verifier, v.DeviceGroupKey, block, v.Timestamp+" ", v.Signature),
				"signature":  deviceProof(st, verifier, v.DeviceGroupKey, block, v.Timestamp, base64.StdEncoding.EncodeToString(sig)),
				"verifier":   deviceProof(st, new(big.Int).Add(verifier, big.NewInt(1)), v.DeviceGroupKey, block, v.Timestamp, v.Signature),
				"nil v":      deviceProof(st, nil, v.DeviceGroupKey, block, v.Timestamp, v.Signature),
			} {
				if ok {
					t.Errorf("proof accepted with another %s", name)
				}
			}
		})
	}
}

// deviceExchange runs StartDeviceAuth and a client's answer for a device
// registered with secret.
func deviceExchange(t *testing.T, key []byte, group, device string, secret DeviceSecret, now time.Time) (*DeviceChallenge, ClaimResponse) {
	t.Helper()
	client := NewClientSession(group)
	ch, err := StartDeviceAuth(key, State{PoolID: "us-east-1_Pool", Username: "alice", DeviceKey: device}, client.PublicHex(), secret.Verifier, secret.Salt, now)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Respond(device, secret.Password, ch.Salt, ch.B.Text(16), base64.StdEncoding.EncodeToString(ch.SecretBlock), now)
	if err != nil {
		t.Fatal(err)
	}
	return ch, resp
}

func TestDeviceAuthRoundTrip(t *testing.T) {
	const group, device = "-Gr0upKey", "us-east-1_0b8e7c6d-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	key := bytes.Repeat([]byte{7}, StateKeySize)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	secret := NewDeviceSecret(group, device)
	// The verifier goes through ConfirmDevice's encoding and back.
	pvb, sb := secret.Config()
	v, salt, err := ParseDeviceSecretVerifierConfig(b64(t, pvb), b64(t, sb))
	if err != nil {
		t.Fatal(err)
	}
	ch, resp := deviceExchange(t, key, group, device, secret, now)
	if ch.Salt != SaltHex(salt) {
		t.Errorf("SALT = %s, want %s", ch.Salt, SaltHex(salt))
	}
	st, err := VerifyDeviceAuth(key, ch.SecretBlock, now.Add(time.Second), time.Minute, group, device, v, resp.Timestamp, resp.Signature)
	if err != nil {
		t.Fatalf("VerifyDeviceAuth: %v", err)
	}
	if st.DeviceKey != device || st.PoolID != "us-east-1_Pool" || st.Username != "alice" || !st.IssuedAt.Equal(now) {
		t.Errorf("state = %+v", st)
	}

	cases := []struct {
		name    string
		key     []byte
		at      time.Time
		group   string
		device  string
		v       *big.Int
		ts, sig string
		want    error
	}{
		{"expired", key, now.Add(2 * time.Minute), group, device, v, resp.Timestamp, resp.Signature, ErrStateExpired},
		{"another sealing key", bytes.Repeat([]byte{8}, StateKeySize), now, group, device, v, resp.Timestamp, resp.Signature, ErrStateInvalid},
		{"another device", key, now, group, "us-east-1_ffffffff-5a4f-4e3d-8c2b-1a0f9e8d7c6b", v, resp.Timestamp, resp.Signature, ErrBadProof},
		{"another group key", key, now, "-Other", device, v, resp.Timestamp, resp.Signature, ErrBadProof},
		{"another verifier", key, now, group, device, NewDeviceSecret(group, device).Verifier, resp.Timestamp, resp.Signature, ErrBadProof},
		{"another timestamp", key, now, group, device, v, FormatTimestamp(now.Add(time.Second)), resp.Signature, ErrBadProof},
		{"signature not base64", key, now, group, device, v, resp.Timestamp, "!!", ErrBadProof},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := VerifyDeviceAuth(c.key, ch.SecretBlock, c.at, time.Minute, c.group, c.device, c.v, c.ts, c.sig)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}

	// A block of the user exchange (no device key) proves no device.
	client := NewClientSession(group)
	b, B := NewServerSession(v)
	userBlock, err := SealState(key, State{PoolID: "us-east-1_Pool", Username: "alice", A: client.Public(), B: B, Secret: b, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	userResp, err := client.Respond(device, secret.Password, SaltHex(salt), B.Text(16), base64.StdEncoding.EncodeToString(userBlock), now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyDeviceAuth(key, userBlock, now, time.Minute, group, device, v, userResp.Timestamp, userResp.Signature); !errors.Is(err, ErrBadProof) {
		t.Errorf("user-SRP block: err = %v, want ErrBadProof", err)
	}

	// A wrong device password fails.
	wrong := secret
	wrong.Password = NewDeviceSecret(group, device).Password
	ch2, resp2 := deviceExchange(t, key, group, device, wrong, now)
	if _, err := VerifyDeviceAuth(key, ch2.SecretBlock, now, time.Minute, group, device, v, resp2.Timestamp, resp2.Signature); !errors.Is(err, ErrBadProof) {
		t.Errorf("wrong device password: err = %v, want ErrBadProof", err)
	}
}

func TestStartDeviceAuthRefusesBadInput(t *testing.T) {
	key := bytes.Repeat([]byte{7}, StateKeySize)
	secret := NewDeviceSecret("g", "us-east-1_0b8e7c6d")
	now := time.Unix(1740830400, 0)
	A := NewClientSession("g").PublicHex()
	st := State{DeviceKey: "us-east-1_0b8e7c6d"}
	if _, err := StartDeviceAuth(key, State{}, A, secret.Verifier, secret.Salt, now); err == nil {
		t.Error("accepted a state without device key")
	}
	for _, bad := range []string{"", "0", "zz", NHex, "-" + A} {
		if _, err := StartDeviceAuth(key, st, bad, secret.Verifier, secret.Salt, now); !errors.Is(err, ErrBadPublicValue) {
			t.Errorf("SRP_A %.10q: err = %v, want ErrBadPublicValue", bad, err)
		}
	}
	if _, err := StartDeviceAuth(key, st, A, nil, secret.Salt, now); !errors.Is(err, ErrBadVerifier) {
		t.Errorf("nil verifier: err = %v", err)
	}
	if _, err := StartDeviceAuth(key, st, A, secret.Verifier, nil, now); !errors.Is(err, ErrBadVerifier) {
		t.Errorf("no salt: err = %v", err)
	}
	if _, err := StartDeviceAuth([]byte("short"), st, A, secret.Verifier, secret.Salt, now); err == nil {
		t.Error("accepted a short sealing key")
	}
}

// FuzzDeviceAuth feeds the client-controlled inputs of the device exchange
// — SRP_A, the echoed SECRET_BLOCK, TIMESTAMP and PASSWORD_CLAIM_SIGNATURE —
// through StartDeviceAuth and VerifyDeviceAuth. Nothing may panic, and
// nothing but a block this key sealed for the device verifies.
func FuzzDeviceAuth(f *testing.F) {
	key := bytes.Repeat([]byte{5}, StateKeySize)
	const group, device = "-Fuzz0001", "us-east-1_0b8e7c6d-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	secret := NewDeviceSecret(group, device)
	now := time.Unix(1740830400, 0)
	client := NewClientSession(group)
	ch, err := StartDeviceAuth(key, State{DeviceKey: device}, client.PublicHex(), secret.Verifier, secret.Salt, now)
	if err != nil {
		f.Fatal(err)
	}
	resp, err := client.Respond(device, secret.Password, ch.Salt, ch.B.Text(16), base64.StdEncoding.EncodeToString(ch.SecretBlock), now)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(client.PublicHex(), ch.SecretBlock, resp.Timestamp, resp.Signature)
	f.Add("", []byte(nil), "", "")
	f.Add("0", []byte{0}, "Tue Sep 7 03:04:05 UTC 2021", "!!")
	f.Add(NHex, bytes.Repeat([]byte{0xff}, 300), "x", "AAAA")

	f.Fuzz(func(t *testing.T, aHex string, block []byte, ts, claim string) {
		if c, err := StartDeviceAuth(key, State{DeviceKey: device}, aHex, secret.Verifier, secret.Salt, now); err == nil {
			if c.B.Sign() <= 0 || len(c.SecretBlock) == 0 {
				t.Fatalf("StartDeviceAuth(%q) = %+v", aHex, c)
			}
		}
		st, err := VerifyDeviceAuth(key, block, now, time.Minute, group, device, secret.Verifier, ts, claim)
		if err == nil && (!bytes.Equal(block, ch.SecretBlock) || st.DeviceKey != device) {
			t.Fatalf("VerifyDeviceAuth accepted a block it did not issue")
		}
	})
}
