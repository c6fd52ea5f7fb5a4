package auth

import (
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/srp"
)

// BenchmarkUserPasswordAuth measures a whole USER_PASSWORD_AUTH sign-in on
// SQLite: client, pool and user reads, the lockout check, one verifier
// computation, group claims and the token service (two RS256 signatures and
// a refresh-token write).
func BenchmarkUserPasswordAuth(b *testing.B) {
	e := newEnv(b)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	e.keys.Close() // no background key generation during the measurement
	for b.Loop() {
		out, err := e.passwordAuth(clientID, "alice", goodPassword)
		if err != nil || out.AuthenticationResult == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSRPExchange measures both USER_SRP_AUTH steps as the server does
// them (InitiateAuth, then RespondToAuthChallenge PASSWORD_VERIFIER); the
// client's computations run with the timer stopped.
func BenchmarkSRPExchange(b *testing.B) {
	e := newEnv(b)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	e.keys.Close() // no background key generation during the measurement
	for b.Loop() {
		b.StopTimer()
		cs := srp.NewClientSession(srp.PoolName(poolID))
		b.StartTimer()
		out, err := e.initiate(clientID, cognitoidp.AuthFlowTypeUserSrpAuth, "USERNAME", "alice", "SRP_A", cs.PublicHex())
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		claim := e.srpAnswer(cs, out.ChallengeParameters, goodPassword)
		b.StartTimer()
		r, err := e.respond(clientID, cognitoidp.ChallengeNameTypePasswordVerifier, "",
			"USERNAME", "alice", "PASSWORD_CLAIM_SECRET_BLOCK", claim.SecretBlock, "TIMESTAMP", claim.Timestamp,
			"PASSWORD_CLAIM_SIGNATURE", claim.Signature)
		if err != nil || r.AuthenticationResult == nil {
			b.Fatal(err)
		}
	}
}
