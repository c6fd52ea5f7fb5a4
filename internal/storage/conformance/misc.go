package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

func getTags(t *testing.T, s storage.Store, arn string) map[string]string {
	t.Helper()
	tags, err := s.GetTags(t.Context(), arn)
	if err != nil {
		t.Fatalf("GetTags: %v", err)
	}
	if tags == nil {
		t.Fatal("GetTags returned a nil map; want an empty, non-nil one")
	}
	return tags
}

func testTags(t *testing.T, s storage.Store) {
	ctx := t.Context()
	a := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a"
	b := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_b"
	diff(t, "tags of an untagged resource", map[string]string{}, getTags(t, s, a))

	if err := s.SetTags(ctx, a, map[string]string{"team": "x", "env": "dev", "empty": ""}); err != nil {
		t.Fatalf("SetTags: %v", err)
	}
	if err := s.SetTags(ctx, b, map[string]string{"team": "b"}); err != nil {
		t.Fatalf("SetTags: %v", err)
	}
	diff(t, "tags after set", map[string]string{"team": "x", "env": "dev", "empty": ""}, getTags(t, s, a))

	if err := s.SetTags(ctx, a, map[string]string{"team": "y", "cost": "42"}); err != nil {
		t.Fatalf("SetTags overwrite: %v", err)
	}
	diff(t, "tags after overwrite", map[string]string{"team": "y", "env": "dev", "empty": "", "cost": "42"}, getTags(t, s, a))
	if err := s.SetTags(ctx, a, map[string]string{}); err != nil {
		t.Fatalf("SetTags with no tags: %v", err)
	}

	if err := s.RemoveTags(ctx, a, []string{"env", "missing", "empty"}); err != nil {
		t.Fatalf("RemoveTags: %v", err)
	}
	diff(t, "tags after remove", map[string]string{"team": "y", "cost": "42"}, getTags(t, s, a))
	if err := s.RemoveTags(ctx, a, nil); err != nil {
		t.Fatalf("RemoveTags with no keys: %v", err)
	}

	if err := s.DeleteAllTags(ctx, a); err != nil {
		t.Fatalf("DeleteAllTags: %v", err)
	}
	diff(t, "tags after delete all", map[string]string{}, getTags(t, s, a))
	if err := s.DeleteAllTags(ctx, a); err != nil {
		t.Fatalf("DeleteAllTags on an untagged resource: %v", err)
	}
	diff(t, "other resource's tags", map[string]string{"team": "b"}, getTags(t, s, b))
}

func testMeta(t *testing.T, s storage.Store) {
	ctx := t.Context()
	got, err := s.GetOrPutMeta(ctx, "encryption-key", []byte("first"))
	if err != nil || string(got) != "first" {
		t.Fatalf("GetOrPutMeta first = %q, %v; want \"first\"", got, err)
	}
	got, err = s.GetOrPutMeta(ctx, "encryption-key", []byte("second"))
	if err != nil || string(got) != "first" {
		t.Fatalf("GetOrPutMeta again = %q, %v; want the stored \"first\"", got, err)
	}
	got, err = s.GetOrPutMeta(ctx, "other", []byte{0, 1, 0xff})
	if err != nil || string(got) != "\x00\x01\xff" {
		t.Fatalf("GetOrPutMeta other key = %q, %v", got, err)
	}
}

func testMetaConcurrent(t *testing.T, s storage.Store) {
	const n = 8
	var (
		wg   sync.WaitGroup
		got  [n][]byte
		errs [n]error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			got[i], errs[i] = s.GetOrPutMeta(context.Background(), "shared", fmt.Appendf(nil, "value-%d", i))
		})
	}
	close(start)
	wg.Wait()
	valid := false
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if string(got[i]) != string(got[0]) {
			t.Fatalf("callers got different values: %q and %q", got[0], got[i])
		}
		valid = valid || string(got[0]) == fmt.Sprintf("value-%d", i)
	}
	if !valid {
		t.Fatalf("winning value %q is none of the values offered", got[0])
	}
}

func testReset(t *testing.T, s storage.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, "us-east-1_reset")
	mustCreateClient(t, s, p.ID, "rc")
	mustAddKey(t, s, newKey(p.ID, "rk", "", true, at(0)))
	arn := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + p.ID
	if err := s.SetTags(ctx, arn, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetOrPutMeta(ctx, "m", []byte("old")); err != nil {
		t.Fatal(err)
	}
	u := newUser(p.ID, "ru")
	u.Aliases = []storage.Alias{{Kind: "email", Value: "ru@example.com"}}
	mustCreateUser(t, s, u)
	mustCreateGroup(t, s, newGroup(p.ID, "rg"))
	if err := s.AddUserToGroup(ctx, p.ID, "rg", "ru"); err != nil {
		t.Fatal(err)
	}
	mustPutCode(t, s, newCode(p.ID, "ru", "signup"))
	mustAddMessage(t, s, newMessage(p.ID, "rm", "ru", at(0)))
	mustCreateImportJob(t, s, newImportJob(p.ID, "import-r", at(0)))
	if err := s.PutImportData(ctx, p.ID, "import-r", []byte("csv")); err != nil {
		t.Fatal(err)
	}
	mustCreateToken(t, s, newToken(p.ID, "ru", "rt-r", "fam-r", at(0), at(1000)))
	if err := s.RevokeFamily(ctx, p.ID, "fam-gone", at(0), at(1000)); err != nil {
		t.Fatal(err)
	}
	mustIncrement(t, s, p.ID, "n", at(0), at(1000))
	mustAddEvent(t, s, newEvent(p.ID, "ru", "ev-r", at(0)))
	mustCreateIdentityPool(t, s, idpPrefix+"eeeeeeee-0000-0000-0000-000000000000")

	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if pools, _, err := s.ListPools(ctx, storage.Page{Limit: 10}); err != nil || len(pools) != 0 {
		t.Errorf("pools after Reset = %d, %v", len(pools), err)
	}
	if _, err := s.GetClientByID(ctx, "rc"); err == nil {
		t.Error("client survived Reset")
	}
	if n, err := s.CountIdentityPools(ctx); err != nil || n != 0 {
		t.Errorf("identity pools after Reset = %d, %v", n, err)
	}
	if keys := listKeys(t, s, p.ID); len(keys) != 0 {
		t.Errorf("%d keys survived Reset", len(keys))
	}
	diff(t, "tags after Reset", map[string]string{}, getTags(t, s, arn))
	if got, err := s.GetOrPutMeta(ctx, "m", []byte("new")); err != nil || string(got) != "new" {
		t.Errorf("meta after Reset = %q, %v; want it gone", got, err)
	}

	if msgs, err := s.ListMessages(ctx, storage.MessageFilter{}); err != nil || len(msgs) != 0 {
		t.Errorf("messages after Reset = %d, %v", len(msgs), err)
	}

	// The store works after a reset, the old ids free again, nothing left over.
	mustCreatePool(t, s, p.ID)
	mustCreateClient(t, s, p.ID, "rc")
	mustAddKey(t, s, newKey(p.ID, "rk", "", true, at(0)))
	wantCount(t, s, p.ID, 0)
	if _, err := s.GetImportJob(ctx, p.ID, "import-r"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("import job after Reset: %v", err)
	}
	diff(t, "search index after Reset", []string{}, listUsers(t, s, p.ID, storage.UserFilter{Field: "email", Prefix: true}, 10))
	mustCreateUser(t, s, u)
	wantCount(t, s, p.ID, 1)
	mustCreateGroup(t, s, newGroup(p.ID, "rg"))
	diff(t, "memberships after Reset", []string{}, usersInGroup(t, s, p.ID, "rg", 10))
	if _, err := s.GetCode(ctx, p.ID, "ru", "signup"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("code after Reset: %v", err)
	}
	mustAddMessage(t, s, newMessage(p.ID, "rm", "ru", at(0)))
	mustCreateImportJob(t, s, newImportJob(p.ID, "import-r", at(0)))
	if _, err := s.GetRefreshToken(ctx, "rt-r"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("refresh token after Reset: %v", err)
	}
	if familyRevoked(t, s, p.ID, "fam-gone") {
		t.Error("revoked family after Reset")
	}
	diff(t, "counter after Reset", storage.Counter{}, mustGetCounter(t, s, p.ID, "n", at(1)))
	diff(t, "events after Reset", []string{}, eventIDs(listEvents(t, s, p.ID, "ru", 10)))
	mustCreateToken(t, s, newToken(p.ID, "ru", "rt-r", "fam-r", at(0), at(1000)))
	mustAddEvent(t, s, newEvent(p.ID, "ru", "ev-r", at(0)))
}

func testPing(t *testing.T, s storage.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}
