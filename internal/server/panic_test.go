package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/config"
)

// A panicking handler becomes InternalErrorException with the request id,
// and the server keeps serving.
func TestPanicBecomesInternalError(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	s, err := New(context.Background(), cfg, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.idp.ListGroups = func(context.Context, *cognitoidp.ListGroupsRequest) (*cognitoidp.ListGroupsResponse, error) {
		panic("boom")
	}
	s.api = awsjson.NewHandler([]*api.Service{s.idp.Service()}, nil, 0, s.log)
	s.handler = s.routes()
	for i := 0; i < 2; i++ {
		r := httptest.NewRequest("POST", "/", strings.NewReader(`{"UserPoolId":"us-east-1_abc"}`))
		r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListGroups")
		w := httptest.NewRecorder()
		s.handler.ServeHTTP(w, r)
		id := w.Header().Get("x-amzn-RequestId")
		if w.Code != 500 || !strings.Contains(w.Body.String(), `"__type":"InternalErrorException"`) || !strings.Contains(w.Body.String(), id) || strings.Contains(w.Body.String(), "boom") {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
