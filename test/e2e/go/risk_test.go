package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogito-dev/cogito/internal/config"
)

// Threat protection in sign-up, sign-in and password changes, end to end:
// Cogito started with a breached-password list, a pool with
// AdvancedSecurityMode ENFORCED, and risk configurations set through the
// API; the requests come from 127.0.0.1.

// breachedPassword is on the test's breached-password list.
const breachedPassword = "Breached-Passw0rd1!"

// writeBreached writes a breached-password file (HIBP format) listing pws.
func writeBreached(t *testing.T, pws ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("# test list\n")
	for _, pw := range pws {
		sum := sha1.Sum([]byte(pw))
		b.WriteString(strings.ToUpper(hex.EncodeToString(sum[:])) + ":12\n")
	}
	p := filepath.Join(t.TempDir(), "breached.txt")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// notifyConfig is a NotifyConfiguration whose mails carry the one-click links.
func notifyConfig() *types.NotifyConfigurationType {
	body := "Sign-in from {ip-address}. Was it you? yes: {one-click-link-valid} no: {one-click-link-invalid}"
	email := &types.NotifyEmailType{Subject: aws.String("Sign-in"), TextBody: aws.String(body)}
	return &types.NotifyConfigurationType{
		From:       aws.String("security@example.com"),
		SourceArn:  aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com"),
		BlockEmail: email, MfaEmail: email, NoActionEmail: email,
	}
}

// everyLevel is the same account-takeover action at every risk level.
func everyLevel(action types.AccountTakeoverEventActionType, notify bool) *types.AccountTakeoverRiskConfigurationType {
	a := &types.AccountTakeoverActionType{EventAction: action, Notify: notify}
	return &types.AccountTakeoverRiskConfigurationType{
		Actions:             &types.AccountTakeoverActionsType{LowAction: a, MediumAction: a, HighAction: a},
		NotifyConfiguration: notifyConfig(),
	}
}

// authEvents lists a user's auth events, newest first.
func authEvents(t *testing.T, c *cogito, poolID, username string) []types.AuthEventType {
	t.Helper()
	out, err := c.IDP.AdminListUserAuthEvents(ctx(t), &idp.AdminListUserAuthEventsInput{UserPoolId: &poolID, Username: &username})
	if err != nil {
		t.Fatal(err)
	}
	return out.AuthEvents
}

func TestThreatProtection(t *testing.T) {
	c := startWith(t, sqliteBackend.new(t), func(cfg *config.Config) {
		cfg.BreachedPasswords = writeBreached(t, breachedPassword)
	})
	poolID, clientID := signInPool(t, c, "risk", &idp.CreateUserPoolInput{
		UserPoolTier:   types.UserPoolTierTypePlus,
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeEnforced},
		Policies:       strictPolicy(),
	}, nil)
	newClient := func(name string) string {
		cl := createClient(t, c, &idp.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String(name), ExplicitAuthFlows: allFlows})
		return aws.ToString(cl.ClientId)
	}
	blockedClient, mfaClient := newClient("blocked"), newClient("mfa")
	setRisk := func(client string, in *idp.SetRiskConfigurationInput) {
		t.Helper()
		in.UserPoolId = &poolID
		if client != "" {
			in.ClientId = &client
		}
		if _, err := c.IDP.SetRiskConfiguration(ctx(t), in); err != nil {
			t.Fatalf("SetRiskConfiguration(%s): %v", client, err)
		}
	}
	setRisk("", &idp.SetRiskConfigurationInput{
		CompromisedCredentialsRiskConfiguration: &types.CompromisedCredentialsRiskConfigurationType{
			Actions: &types.CompromisedCredentialsActionsType{EventAction: types.CompromisedCredentialsEventActionTypeBlock},
		},
		AccountTakeoverRiskConfiguration: everyLevel(types.AccountTakeoverEventActionTypeNoAction, true),
	})
	setRisk(blockedClient, &idp.SetRiskConfigurationInput{
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{BlockedIPRangeList: []string{"127.0.0.0/8"}},
	})
	setRisk(mfaClient, &idp.SetRiskConfigurationInput{
		AccountTakeoverRiskConfiguration: everyLevel(types.AccountTakeoverEventActionTypeMfaRequired, false),
	})

	t.Run("SignUpWithBreachedPassword", func(t *testing.T) {
		_, err := c.IDP.SignUp(ctx(t), &idp.SignUpInput{ClientId: &clientID, Username: aws.String("newbie"), Password: aws.String(breachedPassword)})
		wantClientError(t, err, "InvalidPasswordException")
		if _, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("newbie")}); err == nil {
			t.Error("the refused sign-up created the user")
		}
	})

	t.Run("SignInWithBreachedPassword", func(t *testing.T) {
		adminCreateConfirmed(t, c, poolID, "reuser", breachedPassword)
		_, err := passwordAuth(t, c, clientID, "reuser", breachedPassword)
		wantClientError(t, err, "PasswordResetRequiredException")
		u, err := c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("reuser")})
		if err != nil || u.UserStatus != types.UserStatusTypeResetRequired {
			t.Fatalf("user = %s, %v", asJSON(t, u), err)
		}
		evs := authEvents(t, c, poolID, "reuser")
		if len(evs) == 0 || evs[0].EventResponse != types.EventResponseTypeFail || evs[0].EventRisk == nil ||
			!aws.ToBool(evs[0].EventRisk.CompromisedCredentialsDetected) || evs[0].EventRisk.RiskDecision != types.RiskDecisionTypeBlock {
			t.Errorf("events = %s", asJSON(t, evs))
		}
	})

	t.Run("BlockedIPRange", func(t *testing.T) {
		adminCreateConfirmed(t, c, poolID, "blockme", "Passw0rd!")
		_, err := passwordAuth(t, c, blockedClient, "blockme", "Passw0rd!")
		wantClientError(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")
		evs := authEvents(t, c, poolID, "blockme")
		if len(evs) != 1 || evs[0].EventRisk.RiskDecision != types.RiskDecisionTypeBlock || aws.ToString(evs[0].EventContextData.IpAddress) != "127.0.0.1" {
			t.Errorf("events = %s", asJSON(t, evs))
		}
		// SRP is blocked just the same.
		cs, out := srpStart(t, c, poolID, blockedClient, "blockme")
		_, err = srpAnswer(t, c, blockedClient, cs, out, "Passw0rd!", false)
		wantClientError(t, err, "NotAuthorizedException", "Unable to login because of security reasons.")
	})

	t.Run("MFARequiredWithoutMFA", func(t *testing.T) {
		adminCreateConfirmed(t, c, poolID, "nomfa", "Passw0rd!")
		_, err := passwordAuth(t, c, mfaClient, "nomfa", "Passw0rd!")
		wantClientError(t, err, "NotAuthorizedException")
	})

	t.Run("NotificationWithFeedbackLinks", func(t *testing.T) {
		adminCreateConfirmed(t, c, poolID, "notified", "Passw0rd!", "email", "notified@example.com", "email_verified", "true")
		out, err := passwordAuth(t, c, clientID, "notified", "Passw0rd!")
		tok := tokens(t, "USER_PASSWORD_AUTH", out, err)
		access := verifyJWT(t, c, poolID, c.URL+"/"+poolID, *tok.AccessToken)
		evs := authEvents(t, c, poolID, "notified")
		if len(evs) != 1 || evs[0].EventResponse != types.EventResponseTypePass || aws.ToString(evs[0].EventId) != access.str("event_id") {
			t.Fatalf("events = %s (token event_id %s)", asJSON(t, evs), access.str("event_id"))
		}
		var mail *outboxMessage
		for _, m := range outbox(t, c, poolID, "notified") {
			if m.Kind == "ACCOUNT_TAKE_OVER_NOTIFICATION" {
				mail = &m
			}
		}
		if mail == nil || mail.Destination != "notified@example.com" {
			t.Fatalf("no notification in the outbox")
		}
		links := regexp.MustCompile(`https?://\S+`).FindAllString(mail.Body, -1)
		if len(links) != 2 || !strings.Contains(links[1], "value=invalid") {
			t.Fatalf("notification body = %q", mail.Body)
		}
		resp, err := c.HTTP.Get(links[1])
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("feedback link: %d %s", resp.StatusCode, body)
		}
		evs = authEvents(t, c, poolID, "notified")
		if fb := evs[0].EventFeedback; fb == nil || fb.FeedbackValue != types.FeedbackValueTypeInvalid || aws.ToString(fb.Provider) != "User" {
			t.Errorf("event feedback = %s", asJSON(t, evs[0].EventFeedback))
		}
		// A link whose token is altered records nothing.
		resp, err = c.HTTP.Get(strings.Replace(links[0], "token=", "token=x", 1))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("altered link: status %d", resp.StatusCode)
		}
	})

	t.Run("ChangePasswordToBreached", func(t *testing.T) {
		adminCreateConfirmed(t, c, poolID, "changer", "Passw0rd!")
		out, err := passwordAuth(t, c, clientID, "changer", "Passw0rd!")
		tok := tokens(t, "USER_PASSWORD_AUTH", out, err)
		_, err = c.IDP.ChangePassword(ctx(t), &idp.ChangePasswordInput{
			AccessToken: tok.AccessToken, PreviousPassword: aws.String("Passw0rd!"), ProposedPassword: aws.String(breachedPassword),
		})
		wantClientError(t, err, "InvalidPasswordException")
		passwordAuth(t, c, clientID, "changer", "Passw0rd!")
	})
}
