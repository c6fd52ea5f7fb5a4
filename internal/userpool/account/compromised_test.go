package account

import (
	"context"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestChangePasswordCompromised(t *testing.T) {
	var asked []string
	e := newEnv(t, func(c *Config) {
		c.CheckPassword = func(_ context.Context, _ *cognitoidp.UserPoolType, clientID string, event cognitoidp.EventFilterType, pw string) (bool, error) {
			asked = append(asked, string(event)+"/"+clientID)
			if pw == "Breached-Passw0rd" {
				return true, cognitoidp.NewInvalidPasswordException("Password has been found in a data breach. Choose a different password.")
			}
			return false, nil
		}
	})
	s := e.signIn(t)
	err := changePassword(e, s.access, goodPassword, "Breached-Passw0rd")
	wantErr(t, err, "InvalidPasswordException", "Password has been found in a data breach. Choose a different password.")
	if matches(t, e, s.user, "Breached-Passw0rd") || !matches(t, e, s.user, goodPassword) {
		t.Error("a refused password was set")
	}
	if err := changePassword(e, s.access, goodPassword, "N3w-passw0rd"); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 2 || asked[0][:len("PASSWORD_CHANGE/")] != "PASSWORD_CHANGE/" || asked[0] == "PASSWORD_CHANGE/" {
		t.Errorf("asked = %v", asked)
	}
}
