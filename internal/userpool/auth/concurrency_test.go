package auth

import (
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestSingleUseUnderConcurrency sends the same SRP answer and the same
// NEW_PASSWORD_REQUIRED answer from many goroutines: exactly one of each
// gets tokens.
func TestSingleUseUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	e.createUser(poolID, "bob", "Temp0rary!")

	cs, out, err := e.srpStart(poolID, clientID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	claim := e.srpAnswer(cs, out.ChallengeParameters, goodPassword)
	np, err := e.passwordAuth(clientID, "bob", "Temp0rary!")
	if err != nil {
		t.Fatal(err)
	}

	const n = 8
	var mu sync.Mutex
	wins := map[string]int{}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r, err := e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "",
				"USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp,
				"PASSWORD_CLAIM_SIGNATURE", claim.Signature)
			if err == nil && r.AuthenticationResult != nil {
				mu.Lock()
				wins["srp"]++
				mu.Unlock()
			}
		}()
		go func() {
			defer wg.Done()
			r, err := e.respond(clientID, cognitoidp.ChallengeNameTypeNewPasswordRequired, api.Deref(np.Session),
				"USERNAME", "bob", "NEW_PASSWORD", "N3wPassw0rd!")
			if err == nil && r.AuthenticationResult != nil {
				mu.Lock()
				wins["new-password"]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins["srp"] != 1 || wins["new-password"] != 1 {
		t.Errorf("wins = %v, want one of each", wins)
	}
}
