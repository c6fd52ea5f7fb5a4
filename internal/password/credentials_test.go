package password

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/srp"
)

const (
	pool = "us-east-1_AbCdEfGhI"
	user = "5f0b8c1e-3d2a-4b6f-9e7d-1a2b3c4d5e6f"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func mustNew(t *testing.T, pw string, temporary bool, validity time.Duration) *Credentials {
	t.Helper()
	c, err := New(pool, user, pw, temporary, t0, validity)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewAndMatches(t *testing.T) {
	c := mustNew(t, "Passw0rd!", false, 0)
	if !c.Matches(pool, user, "Passw0rd!") {
		t.Fatal("own password does not match")
	}
	for _, wrong := range []string{"Passw0rd", "passw0rd!", "Passw0rd! ", ""} {
		if c.Matches(pool, user, wrong) {
			t.Errorf("%q matches", wrong)
		}
	}
	// The verifier is bound to the pool name and the internal username.
	if c.Matches("us-east-1_Other", user, "Passw0rd!") || c.Matches(pool, "alice", "Passw0rd!") {
		t.Error("matches for another pool or user")
	}
	// Only the part after '_' matters (the clients' pool name).
	if !c.Matches("eu-west-1_AbCdEfGhI", user, "Passw0rd!") {
		t.Error("region prefix should not be part of the verifier")
	}
	if c.Temporary() || c.Expired(t0.Add(1000*time.Hour)) || !c.SetAt().Equal(t0) {
		t.Errorf("metadata: %v", c)
	}
	if _, ok := c.ExpiresAt(); ok {
		t.Error("permanent password expires")
	}
	for _, args := range [][3]string{{"", user, "x"}, {pool, "", "x"}, {pool, user, ""}} {
		if _, err := New(args[0], args[1], args[2], false, t0, 0); !errors.Is(err, ErrInvalid) {
			t.Errorf("New(%q) = %v", args, err)
		}
	}
}

func TestTwoUsersSamePasswordDiffer(t *testing.T) {
	a := mustNew(t, "Passw0rd!", false, 0)
	b := mustNew(t, "Passw0rd!", false, 0)
	if bytes.Equal(a.Salt(), b.Salt()) || a.Verifier().Cmp(b.Verifier()) == 0 {
		t.Fatal("salts are not random")
	}
}

func TestExpiry(t *testing.T) {
	c := mustNew(t, "Temp0rary!", true, 7*24*time.Hour)
	exp, ok := c.ExpiresAt()
	if !ok || !exp.Equal(t0.Add(7*24*time.Hour)) || !c.Temporary() {
		t.Fatalf("expiry %v %v", exp, ok)
	}
	if c.Expired(exp.Add(-time.Nanosecond)) {
		t.Error("expired early")
	}
	if !c.Expired(exp) || !c.Expired(exp.Add(time.Hour)) {
		t.Error("not expired")
	}
	// A permanent replacement clears the expiry.
	if err := c.Replace(pool, user, "Permanent1!", false, t0.Add(time.Hour), 0, 0); err != nil {
		t.Fatal(err)
	}
	if c.Temporary() || c.Expired(t0.Add(1000*24*time.Hour)) {
		t.Error("replacement kept the temporary state")
	}
}

func TestHistory(t *testing.T) {
	c := mustNew(t, "Pass-0", false, 0)
	salt := c.Salt()
	const size = 3 // the current and the two before it are forbidden
	for i := 1; i <= 5; i++ {
		if err := c.Replace(pool, user, fmt.Sprintf("Pass-%d", i), false, t0.Add(time.Duration(i)*time.Hour), 0, size); err != nil {
			t.Fatalf("Pass-%d: %v", i, err)
		}
	}
	if !bytes.Equal(c.Salt(), salt) {
		t.Error("Replace changed the salt")
	}
	if c.HistoryLen() != size-1 {
		t.Fatalf("history length %d", c.HistoryLen())
	}
	// Current: Pass-5; history: Pass-4, Pass-3.
	for _, pw := range []string{"Pass-5", "Pass-4", "Pass-3"} {
		if !c.Reuses(pool, user, pw, size) {
			t.Errorf("%s not reported as reused", pw)
		}
		if err := c.Replace(pool, user, pw, false, t0, 0, size); !errors.Is(err, ErrReused) {
			t.Errorf("Replace(%s) = %v", pw, err)
		}
	}
	for _, pw := range []string{"Pass-2", "Pass-0", "Pass-6"} {
		if c.Reuses(pool, user, pw, size) {
			t.Errorf("%s reported as reused", pw)
		}
	}
	// A smaller window looks at fewer passwords.
	if c.Reuses(pool, user, "Pass-3", 2) || !c.Reuses(pool, user, "Pass-4", 2) || !c.Reuses(pool, user, "Pass-5", 1) {
		t.Error("window of Reuses")
	}
	// Size 0: anything goes, even the current password, and history is dropped.
	if c.Reuses(pool, user, "Pass-5", 0) {
		t.Error("size 0 reports reuse")
	}
	if err := c.Replace(pool, user, "Pass-5", false, t0, 0, 0); err != nil {
		t.Fatal(err)
	}
	if c.HistoryLen() != 0 || !c.Matches(pool, user, "Pass-5") {
		t.Error("replace with size 0")
	}
	// A refused Replace changes nothing.
	before, _ := c.Encode()
	if err := c.Replace(pool, user, "Pass-5", true, t0.Add(99*time.Hour), time.Hour, 1); !errors.Is(err, ErrReused) {
		t.Fatal(err)
	}
	after, _ := c.Encode()
	if !bytes.Equal(before, after) {
		t.Error("refused Replace modified the credentials")
	}
}

func TestHistoryMaximum(t *testing.T) {
	c := mustNew(t, "p-0", false, 0)
	for i := 1; i <= 30; i++ {
		if err := c.Replace(pool, user, fmt.Sprintf("p-%d", i), false, t0, 0, MaxHistorySize); err != nil {
			t.Fatal(err)
		}
	}
	if c.HistoryLen() != MaxHistorySize-1 {
		t.Fatalf("history %d", c.HistoryLen())
	}
	if !c.Reuses(pool, user, "p-7", MaxHistorySize) || c.Reuses(pool, user, "p-6", MaxHistorySize) {
		t.Error("window of 24")
	}
}

func TestEncodeDecode(t *testing.T) {
	c := mustNew(t, "Temp0rary!", true, 48*time.Hour)
	if err := c.Replace(pool, user, "Next0ne!", true, t0.Add(time.Hour), 24*time.Hour, 5); err != nil {
		t.Fatal(err)
	}
	doc, err := c.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(doc, []byte("Next0ne")) || bytes.Contains(doc, []byte("Temp0rary")) {
		t.Fatal("document contains a password")
	}
	d, err := Decode(doc)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := d.Encode()
	if !bytes.Equal(doc, again) {
		t.Fatalf("round trip changed the document:\n%s\n%s", doc, again)
	}
	if !d.Matches(pool, user, "Next0ne!") || !d.Reuses(pool, user, "Temp0rary!", 5) || !d.Temporary() || d.HistoryLen() != 1 {
		t.Fatal("decoded credentials differ")
	}
	exp, _ := d.ExpiresAt()
	if !exp.Equal(t0.Add(25 * time.Hour)) {
		t.Fatalf("expiry %v", exp)
	}
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil || m["v"] != float64(1) {
		t.Fatalf("document %s", doc)
	}
}

func TestDecodeRejects(t *testing.T) {
	good := mustNew(t, "Passw0rd!", false, 0)
	doc, _ := good.Encode()
	var m map[string]any
	_ = json.Unmarshal(doc, &m)
	mutate := func(f func(map[string]any)) []byte {
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		f(c)
		b, _ := json.Marshal(c)
		return b
	}
	b64 := base64.StdEncoding.EncodeToString
	for name, bad := range map[string][]byte{
		"not json":      []byte("{"),
		"empty":         nil,
		"version":       mutate(func(c map[string]any) { c["v"] = 2 }),
		"no salt":       mutate(func(c map[string]any) { delete(c, "salt") }),
		"long salt":     mutate(func(c map[string]any) { c["salt"] = b64(make([]byte, 65)) }),
		"zero verifier": mutate(func(c map[string]any) { c["verifier"] = b64([]byte{0}) }),
		"N verifier":    mutate(func(c map[string]any) { c["verifier"] = b64(srp.N().Bytes()) }),
		"padded":        mutate(func(c map[string]any) { c["verifier"] = b64(append([]byte{0, 0}, good.Verifier().Bytes()...)) }),
		"bad history": mutate(func(c map[string]any) {
			c["history"] = []map[string]any{{"salt": b64([]byte{1}), "verifier": b64([]byte{1}), "set_at": t0}}
		}),
	} {
		if _, err := Decode(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestRedaction(t *testing.T) {
	c := mustNew(t, "Passw0rd!", true, time.Hour)
	secrets := []string{
		fmt.Sprintf("%x", c.Salt()), base64.StdEncoding.EncodeToString(c.Salt()),
		c.Verifier().Text(16)[:16], c.Verifier().String()[:16],
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("x", "creds", c, "value", *c)
	outs := []string{
		fmt.Sprint(c), fmt.Sprintf("%v", *c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%#v", *c),
		fmt.Sprintf("%s", c), buf.String(),
	}
	for _, out := range outs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output shows a secret: %s", out)
			}
		}
		if !strings.Contains(out, "REDACTED") {
			t.Errorf("output not redacted: %s", out)
		}
	}
	if b, _ := json.Marshal(c); string(b) != "{}" {
		t.Errorf("json.Marshal shows %s", b)
	}
}

// TestCredentialsAuthenticateSRP: the verifier stored by New is the one a
// real client's USER_SRP_AUTH proves knowledge of, with the SALT the service
// emits from the stored salt and the server state carried in SECRET_BLOCK.
func TestCredentialsAuthenticateSRP(t *testing.T) {
	for _, pw := range []string{"Passw0rd!", "pässwörd ✓ 1A", strings.Repeat("x", 256)} {
		c := mustNew(t, pw, false, 0)
		doc, _ := c.Encode()
		stored, err := Decode(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, attempt := range []string{pw, pw + "x"} {
			err := srpSignIn(t, stored, attempt)
			if (err == nil) != (attempt == pw) {
				t.Errorf("password %.10q, attempt %.10q: %v", pw, attempt, err)
			}
		}
	}
}

func srpSignIn(t *testing.T, c *Credentials, attempt string) error {
	t.Helper()
	key := bytes.Repeat([]byte{5}, srp.StateKeySize)
	now := t0

	client := srp.NewClientSession(srp.PoolName(pool))
	A, err := srp.ParsePublic(client.PublicHex())
	if err != nil {
		return err
	}
	v := c.Verifier()
	b, B := srp.NewServerSession(v)
	sealed, err := srp.SealState(key, srp.State{PoolID: pool, Username: user, A: A, B: B, Secret: b, IssuedAt: now})
	if err != nil {
		return err
	}
	resp, err := client.Respond(user, attempt, srp.SaltHex(c.Salt()), B.Text(16), base64.StdEncoding.EncodeToString(sealed), now)
	if err != nil {
		return err
	}
	block, _ := base64.StdEncoding.DecodeString(resp.SecretBlock)
	st, err := srp.OpenState(key, block, now.Add(time.Second), 3*time.Minute)
	if err != nil {
		return err
	}
	k, err := srp.ServerKey(st.A, st.B, st.Secret, c.Verifier())
	if err != nil {
		return err
	}
	if !srp.CheckSignature(k, srp.PoolName(st.PoolID), st.Username, block, resp.Timestamp, resp.Signature) {
		return errors.New("incorrect password")
	}
	return nil
}
