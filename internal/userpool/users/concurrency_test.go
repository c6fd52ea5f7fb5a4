package users

import (
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
)

// Concurrent creates of one username: exactly one wins, the others get
// UsernameExistsException; concurrent attribute writes to one user are all kept.
func TestConcurrentWrites(t *testing.T) {
	e := newEnv(t)
	pool := e.pool(t, nil)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.AdminCreateUser(e.ctx, &cognitoidp.AdminCreateUserRequest{UserPoolId: &pool, Username: api.Ptr("jane"),
				TemporaryPassword: api.Ptr(goodPassword), MessageAction: api.Ptr(cognitoidp.MessageActionTypeSuppress)})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case awserr.Is(err, "UsernameExistsException"):
		default:
			t.Errorf("create: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d creates won", won)
	}

	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := []string{"name", "given_name", "family_name", "middle_name", "nickname", "profile", "website", "locale"}[i]
			errs[i] = e.updateAttrs(pool, "jane", name, "v")
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if u := e.user(t, pool, "jane"); len(u.Attributes) != n {
		t.Errorf("attributes after concurrent writes: %v", u.Attributes)
	}
}
