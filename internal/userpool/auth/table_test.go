package auth

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestRegister(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	for _, op := range []string{"InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge", "GetTokensFromRefreshToken"} {
		if !ops[op].Implemented {
			t.Errorf("%s not registered", op)
		}
	}
}

func encode(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestThroughTheTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	e.createUser(poolID, "bob", "Temp0rary!")

	out, err := e.call("InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"`+clientID+`","AuthParameters":{"USERNAME":"alice","PASSWORD":"`+goodPassword+`"}}`)
	if err != nil {
		t.Fatal(err)
	}
	body := encode(t, out)
	if !strings.Contains(body, `"ChallengeParameters":{}`) || strings.Contains(body, `"Session"`) || strings.Contains(body, `"ChallengeName"`) ||
		!strings.Contains(body, `"TokenType":"Bearer"`) || !strings.Contains(body, `"ExpiresIn":3600`) {
		t.Errorf("body = %s", body)
	}
	var res cognitoidp.InitiateAuthResponse
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	refresh := api.Deref(res.AuthenticationResult.RefreshToken)

	out, err = e.call("GetTokensFromRefreshToken", `{"ClientId":"`+clientID+`","RefreshToken":"`+refresh+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	if body := encode(t, out); strings.Contains(body, `"RefreshToken"`) || !strings.Contains(body, `"IdToken"`) {
		t.Errorf("GetTokensFromRefreshToken body = %s", body)
	}

	out, err = e.call("AdminInitiateAuth", `{"UserPoolId":"`+poolID+`","ClientId":"`+clientID+`","AuthFlow":"ADMIN_USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"bob","PASSWORD":"Temp0rary!"}}`)
	if err != nil {
		t.Fatal(err)
	}
	var challenge cognitoidp.AdminInitiateAuthResponse
	if err := json.Unmarshal([]byte(encode(t, out)), &challenge); err != nil {
		t.Fatal(err)
	}
	if api.Deref(challenge.ChallengeName) != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("challenge = %+v", challenge)
	}
	out, err = e.call("AdminRespondToAuthChallenge", `{"UserPoolId":"`+poolID+`","ClientId":"`+clientID+`","ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"`+api.Deref(challenge.Session)+`","ChallengeResponses":{"USERNAME":"bob","NEW_PASSWORD":"N3wPassw0rd!"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if body := encode(t, out); !strings.Contains(body, `"AccessToken"`) {
		t.Errorf("AdminRespondToAuthChallenge body = %s", body)
	}

	// The model's validation comes first.
	_, err = e.call("InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"alice"}}`)
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null")
	_, err = e.call("InitiateAuth", `{"AuthFlow":"PLAIN","ClientId":"`+clientID+`"}`)
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.call("RespondToAuthChallenge", `{"ClientId":"`+clientID+`","ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"short","ChallengeResponses":{"USERNAME":"bob"}}`)
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.call("RespondToAuthChallenge", `{"ClientId":"`+clientID+`","ChallengeName":"PASSWORD_VERIFIER","ChallengeResponses":{"USERNAME":"alice","PASSWORD_CLAIM_SECRET_BLOCK":"AAAA","TIMESTAMP":"Sat Mar 1 12:00:00 UTC 2025","PASSWORD_CLAIM_SIGNATURE":"AAAA"}}`)
	wantErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

// TestSRPThroughTheTable drives the exchange with JSON bodies, as
// pycognito does (no Session in the answer).
func TestSRPThroughTheTable(t *testing.T) {
	e := newEnv(t)
	poolID := e.pool(nil)
	clientID := e.clientID(poolID)
	e.confirmedUser(poolID, "alice", goodPassword)
	cs, _, _ := e.srpStart(poolID, clientID, "alice") // warm: a client session to reuse below
	out, err := e.call("InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"`+clientID+`","AuthParameters":{"USERNAME":"alice","SRP_A":"`+cs.PublicHex()+`"}}`)
	if err != nil {
		t.Fatal(err)
	}
	var first cognitoidp.InitiateAuthResponse
	if err := json.Unmarshal([]byte(encode(t, out)), &first); err != nil {
		t.Fatal(err)
	}
	claim := e.srpAnswer(cs, first.ChallengeParameters, goodPassword)
	body, _ := json.Marshal(map[string]any{
		"ClientId": clientID, "ChallengeName": "PASSWORD_VERIFIER",
		"ChallengeResponses": map[string]string{
			"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": claim.SecretBlock, "TIMESTAMP": claim.Timestamp,
			"PASSWORD_CLAIM_SIGNATURE": claim.Signature,
		},
	})
	out, err = e.call("RespondToAuthChallenge", string(body))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(encode(t, out), `"RefreshToken"`) {
		t.Errorf("body = %s", encode(t, out))
	}
}
