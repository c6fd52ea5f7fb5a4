package token

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// The pre token generation hook (Config.PreTokenGeneration): called with the
// source for Issue, Reissue and IssueClientCredentials; its changes reach the
// tokens; its error stops the issue.
func TestPreTokenGenerationHook(t *testing.T) {
	e := newEnv(t)
	var sources []string
	fail := false
	e.svc.preToken = func(ctx context.Context, sub *Subject, source string) error {
		sources = append(sources, source)
		if fail {
			return errors.New("refused")
		}
		sub.IDOverride = Override{Add: map[string]any{"tier": "gold"}, Suppress: []string{"email"}}
		sub.AccessOverride = Override{Add: map[string]any{"seen": source}}
		if source != TriggerClientCredentials {
			sub.Groups = []string{"from-hook"}
		}
		sub.Scopes = append(sub.Scopes, "extra/scope")
		return nil
	}
	ctx := context.Background()
	sub := e.user(t, e.pool, "hooked")
	out, err := e.svc.Issue(ctx, sub, Validity{}, true)
	if err != nil {
		t.Fatal(err)
	}
	id, access := claimsOf(t, out.IDToken), claimsOf(t, out.AccessToken)
	if id["tier"] != "gold" || id["email"] != nil || access["seen"] != TriggerAuthentication || access["scope"] != "extra/scope" {
		t.Errorf("id %v access %v", id, access)
	}
	if g, _ := id["cognito:groups"].([]any); len(g) != 1 || g[0] != "from-hook" {
		t.Errorf("groups = %v", id["cognito:groups"])
	}

	sub.OriginJTI, sub.AuthTime = out.OriginJTI, e.clock.Now()
	sub.Scopes = nil
	re, err := e.svc.Reissue(ctx, sub, Validity{})
	if err != nil {
		t.Fatal(err)
	}
	if claimsOf(t, re.AccessToken)["seen"] != TriggerRefreshTokens {
		t.Errorf("refresh access = %v", claimsOf(t, re.AccessToken))
	}
	sub.TriggerSource = "TokenGeneration_NewPasswordChallenge"
	sub.OriginJTI = ""
	if _, err := e.svc.Issue(ctx, sub, Validity{}, false); err != nil {
		t.Fatal(err)
	}

	tok, _, err := e.svc.IssueClientCredentials(ctx, e.pool, testClient, []string{"api/read"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	cc := claimsOf(t, tok)
	if cc["scope"] != "api/read extra/scope" || cc["seen"] != TriggerClientCredentials || cc["sub"] != testClient {
		t.Errorf("client credentials = %v", cc)
	}
	want := []string{TriggerAuthentication, TriggerRefreshTokens, "TokenGeneration_NewPasswordChallenge", TriggerClientCredentials}
	if !slices.Equal(sources, want) {
		t.Errorf("sources = %v, want %v", sources, want)
	}

	fail = true
	if _, err := e.svc.Issue(ctx, sub, Validity{}, true); err == nil || err.Error() != "refused" {
		t.Errorf("Issue with a failing hook = %v", err)
	}
	if _, _, err := e.svc.IssueClientCredentials(ctx, e.pool, testClient, nil, 0); err == nil {
		t.Error("IssueClientCredentials with a failing hook succeeded")
	}
}
