package awsjson_test

import (
	"net/http"
	"testing"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// TestGuard: the guard sees the service, the operation and the raw body
// before the handler, and its error is the answer.
func TestGuard(t *testing.T) {
	h := newHandler(t, 0)
	var seen []string
	h.SetGuard(func(r *http.Request, service, op string, body []byte) error {
		seen = append(seen, service+" "+op+" "+string(body))
		if op == "DescribeUserPool" {
			return cognitoidp.NewTooManyRequestsException("Rate exceeded")
		}
		return nil
	})
	res := call(t, h, idp+"DescribeUserPool", `{"UserPoolId":"us-east-1_x"}`)
	wantError(t, res, 400, "TooManyRequestsException", "Rate exceeded")
	if res := call(t, h, idp+"DeleteUserPool", `{"UserPoolId":"us-east-1_x"}`); res.status != 200 {
		t.Errorf("DeleteUserPool after the guard passed: %d %s", res.status, res.raw)
	}
	want := []string{`cognito-idp DescribeUserPool {"UserPoolId":"us-east-1_x"}`, `cognito-idp DeleteUserPool {"UserPoolId":"us-east-1_x"}`}
	if len(seen) != 2 || seen[0] != want[0] || seen[1] != want[1] {
		t.Errorf("guard saw %q", seen)
	}
	// Unknown operations never reach the guard.
	call(t, h, idp+"NoSuchOperation", `{}`)
	if len(seen) != 2 {
		t.Errorf("guard ran for an unknown operation: %q", seen)
	}
}
