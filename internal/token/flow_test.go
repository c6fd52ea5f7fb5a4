package token

import (
	"context"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

// TestFlow runs a session's life on both stores: sign-in, use, refresh with
// rotation (concurrent retries within grace), reuse after grace, a second
// session, global sign-out.
func TestFlow(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); runFlow(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); runFlow(t, newEnvOn(t, sqlstoretest.NewPostgres(t))) })
}

func runFlow(t *testing.T, e *env) {
	ctx := context.Background()
	sub := e.user(t, e.pool, "flow")
	first := e.issue(t, sub, true)
	if _, err := e.svc.Authorize(ctx, first.AccessToken); err != nil {
		t.Fatal(err)
	}
	verifyLikeAWSJWTVerify(t, e, first.IDToken, e.pool, "id", testClient)

	// Concurrent rotations within grace: each gets its own new token.
	e.clock.Advance(50 * time.Minute)
	const n = 6
	type result struct {
		tok string
		err error
	}
	results := make(chan result, n)
	for range n {
		go func() {
			_, next, err := e.svc.UseRefresh(ctx, first.RefreshToken, testClient, true, 10*time.Second, 0)
			results <- result{next, err}
		}()
	}
	var next string
	seen := map[string]bool{}
	for range n {
		r := <-results
		if r.err != nil {
			t.Fatalf("rotation: %v", r.err)
		}
		seen[r.tok], next = true, r.tok
	}
	if len(seen) != n {
		t.Fatalf("%d distinct new tokens, want %d", len(seen), n)
	}
	rec, _, err := e.svc.UseRefresh(ctx, next, testClient, false, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	re := sub
	re.OriginJTI, re.AuthTime, re.Scopes = rec.OriginJTI, rec.AuthTime, rec.Scopes
	refreshed, err := e.svc.Reissue(ctx, re, Validity{})
	if err != nil {
		t.Fatal(err)
	}

	// After grace the rotated token is reuse; the family is revoked.
	e.clock.Advance(10 * time.Second)
	_, _, err = e.svc.UseRefresh(ctx, first.RefreshToken, testClient, true, 10*time.Second, 0)
	wantErr(t, err, cognitoidp.CodeRefreshTokenReuseException, "Refresh Token has been reused")
	_, err = e.svc.Authorize(ctx, refreshed.AccessToken)
	wantNotAuthorized(t, err, "Access Token has been revoked")
	_, _, err = e.svc.UseRefresh(ctx, next, testClient, true, 10*time.Second, 0)
	wantNotAuthorized(t, err, "Refresh Token has been revoked")

	// A new session, then a global sign-out.
	second := e.issue(t, sub, true)
	if _, err := e.svc.Authorize(ctx, second.AccessToken); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RevokeUser(ctx, e.pool, sub.UserKey); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Authorize(ctx, second.AccessToken)
	wantNotAuthorized(t, err, "Access Token has been revoked")
	_, _, err = e.svc.UseRefresh(ctx, second.RefreshToken, testClient, false, 0, 0)
	wantNotAuthorized(t, err, "Refresh Token has been revoked")
}
