package terms

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore"
	"github.com/cogito-dev/cogito/internal/storage/sqlstore/sqlstoretest"
)

// t0 is 2025-03-01T12:00:00Z = 1740830400.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	pool    = "us-east-1_terms"
	other   = "us-east-1_other"
	client  = "client1abc"
	client2 = "client2abc"
)

type env struct {
	svc   *Service
	store *sqlstore.Store
	clock *clock.Fake
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := sqlstoretest.NewSQLite(t)
	clk := clock.NewFake(t0)
	ctx := context.Background()
	for _, p := range []string{pool, other} {
		if err := st.CreatePool(ctx, &storage.UserPool{ID: p, Name: p, CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ pool, id string }{{pool, client}, {pool, client2}, {other, "otherclient"}} {
		if err := st.CreateClient(ctx, &storage.Client{PoolID: c.pool, ID: c.id, Name: c.id, CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	return &env{svc: New(Config{Store: st, Clock: clk}), store: st, clock: clk}
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok || e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("error %v; want %s %q", err, code, msg)
	}
}

func createReq(poolID, clientID, name string, links map[string]string) *cognitoidp.CreateTermsRequest {
	return &cognitoidp.CreateTermsRequest{
		UserPoolId: api.Ptr(poolID), ClientId: api.Ptr(clientID), TermsName: api.Ptr(name),
		TermsSource: api.Ptr(cognitoidp.TermsSourceTypeLink), Enforcement: api.Ptr(cognitoidp.TermsEnforcementTypeNone),
		Links: links,
	}
}

func (e *env) create(t *testing.T, clientID, name string, links map[string]string) *cognitoidp.TermsType {
	t.Helper()
	out, err := e.svc.CreateTerms(context.Background(), createReq(pool, clientID, name, links))
	if err != nil {
		t.Fatalf("CreateTerms: %v", err)
	}
	return out.Terms
}

func TestCreateDescribe(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	got := e.create(t, client, TermsOfUse, map[string]string{"cognito:default": "https://example.com/terms", "cognito:french": "https://example.com/fr/terms"})
	if got.TermsId == nil || len(*got.TermsId) != 36 || *got.UserPoolId != pool || *got.ClientId != client ||
		*got.TermsName != TermsOfUse || *got.TermsSource != "LINK" || *got.Enforcement != "NONE" ||
		got.CreationDate.Unix() != t0.Unix() || len(got.Links) != 2 {
		t.Errorf("created %+v", got)
	}
	d, err := e.svc.DescribeTerms(ctx, &cognitoidp.DescribeTermsRequest{UserPoolId: api.Ptr(pool), TermsId: got.TermsId})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(d.Terms)
	if string(a) != string(b) {
		t.Errorf("describe\n got %s\nwant %s", b, a)
	}
	// Another pool does not see it.
	_, err = e.svc.DescribeTerms(ctx, &cognitoidp.DescribeTermsRequest{UserPoolId: api.Ptr(other), TermsId: got.TermsId})
	wantErr(t, err, "ResourceNotFoundException", "Terms "+*got.TermsId+" do not exist.")
}

func TestCreateErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	links := map[string]string{"cognito:default": "https://example.com/t"}
	e.create(t, client, TermsOfUse, links)
	for _, tc := range []struct {
		name      string
		in        *cognitoidp.CreateTermsRequest
		code, msg string
	}{
		{"duplicate name", createReq(pool, client, TermsOfUse, links), "TermsExistsException", "Terms with the name terms-of-use already exist for this app client."},
		{"unknown pool", createReq("us-east-1_none", client, TermsOfUse, links), "ResourceNotFoundException", "User pool us-east-1_none does not exist."},
		{"client of another pool", createReq(pool, "otherclient", TermsOfUse, links), "ResourceNotFoundException", "User pool client otherclient does not exist."},
		{"no links", createReq(pool, client, PrivacyPolicy, nil), "InvalidParameterException", msgLinksRequired},
		{"bad name", createReq(pool, client, "cookies", links), "InvalidParameterException", "1 validation error detected: Value 'cookies' at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern: (terms-of-use|privacy-policy)"},
		{"bad language", createReq(pool, client, PrivacyPolicy, map[string]string{"cognito:klingon": "https://x.example"}), "InvalidParameterException", ""},
		{"not a URL", createReq(pool, client, PrivacyPolicy, map[string]string{"cognito:default": "example.com/privacy"}), "InvalidParameterException", "The link for cognito:default must be an absolute http or https URL."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.CreateTerms(ctx, tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	// The same name for another client is fine.
	e.create(t, client2, TermsOfUse, links)
}

func TestUpdate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tou := e.create(t, client, TermsOfUse, map[string]string{"cognito:default": "https://example.com/t"})
	pp := e.create(t, client, PrivacyPolicy, map[string]string{"cognito:default": "https://example.com/p"})
	e.clock.Advance(time.Minute)

	out, err := e.svc.UpdateTerms(ctx, &cognitoidp.UpdateTermsRequest{
		UserPoolId: api.Ptr(pool), TermsId: tou.TermsId,
		Links: map[string]string{"cognito:english": "https://example.com/en/t"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := out.Terms
	if *got.TermsName != TermsOfUse || len(got.Links) != 1 || got.Links["cognito:english"] != "https://example.com/en/t" ||
		got.CreationDate.Unix() != t0.Unix() || got.LastModifiedDate.Unix() != t0.Unix()+60 {
		t.Errorf("updated %+v", got)
	}
	// Renaming onto the client's other document is refused and changes nothing.
	_, err = e.svc.UpdateTerms(ctx, &cognitoidp.UpdateTermsRequest{UserPoolId: api.Ptr(pool), TermsId: tou.TermsId, TermsName: api.Ptr(PrivacyPolicy)})
	wantErr(t, err, "TermsExistsException", "Terms with the name privacy-policy already exist for this app client.")
	// Delete the privacy policy; then the rename is possible.
	if _, err := e.svc.DeleteTerms(ctx, &cognitoidp.DeleteTermsRequest{UserPoolId: api.Ptr(pool), TermsId: pp.TermsId}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateTerms(ctx, &cognitoidp.UpdateTermsRequest{UserPoolId: api.Ptr(pool), TermsId: tou.TermsId, TermsName: api.Ptr(PrivacyPolicy)}); err != nil {
		t.Fatal(err)
	}
	// And the freed name can be created again.
	e.create(t, client, TermsOfUse, map[string]string{"cognito:default": "https://example.com/t2"})

	_, err = e.svc.UpdateTerms(ctx, &cognitoidp.UpdateTermsRequest{UserPoolId: api.Ptr(pool), TermsId: pp.TermsId})
	wantErr(t, err, "ResourceNotFoundException", "Terms "+*pp.TermsId+" do not exist.")
	_, err = e.svc.UpdateTerms(ctx, &cognitoidp.UpdateTermsRequest{UserPoolId: api.Ptr(pool), TermsId: tou.TermsId, Links: map[string]string{"cognito:default": "ftp://x"}})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.svc.DeleteTerms(ctx, &cognitoidp.DeleteTermsRequest{UserPoolId: api.Ptr(pool), TermsId: pp.TermsId})
	wantErr(t, err, "ResourceNotFoundException", "")
	_, err = e.svc.DeleteTerms(ctx, &cognitoidp.DeleteTermsRequest{UserPoolId: api.Ptr(pool), TermsId: api.Ptr("not-a-uuid")})
	wantErr(t, err, "InvalidParameterException", "")
}

func TestList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	links := map[string]string{"cognito:default": "https://example.com/x"}
	want := map[string]bool{}
	for _, c := range []string{client, client2} {
		for _, n := range []string{TermsOfUse, PrivacyPolicy} {
			want[*e.create(t, c, n, links).TermsId] = true
		}
	}
	seen := map[string]bool{}
	var tok *string
	pages := 0
	for {
		out, err := e.svc.ListTerms(ctx, &cognitoidp.ListTermsRequest{UserPoolId: api.Ptr(pool), MaxResults: api.Ptr[int32](3), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, d := range out.Terms {
			if d.TermsName == nil || d.Enforcement == nil || d.CreationDate == nil {
				t.Errorf("description %+v", d)
			}
			seen[*d.TermsId] = true
		}
		if out.NextToken == nil {
			break
		}
		tok = out.NextToken
	}
	if pages != 2 || len(seen) != 4 {
		t.Errorf("%d pages, %d terms; want 2, 4", pages, len(seen))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s not listed", id)
		}
	}
	out, err := e.svc.ListTerms(ctx, &cognitoidp.ListTermsRequest{UserPoolId: api.Ptr(other)})
	if err != nil || len(out.Terms) != 0 {
		t.Errorf("other pool: %v %v", out, err)
	}
	// A token of one pool is no good for another.
	first, _ := e.svc.ListTerms(ctx, &cognitoidp.ListTermsRequest{UserPoolId: api.Ptr(pool), MaxResults: api.Ptr[int32](1)})
	_, err = e.svc.ListTerms(ctx, &cognitoidp.ListTermsRequest{UserPoolId: api.Ptr(other), NextToken: first.NextToken})
	wantErr(t, err, "InvalidParameterException", "Invalid NextToken.")
	_, err = e.svc.ListTerms(ctx, &cognitoidp.ListTermsRequest{UserPoolId: api.Ptr("us-east-1_none")})
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestForClientAndDeleteClientTerms(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.create(t, client, TermsOfUse, map[string]string{"cognito:default": "https://example.com/t", "cognito:french": "https://example.com/fr/t"})
	docs, err := e.svc.ForClient(ctx, pool, client)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := docs.Links("fr"); ok {
		t.Error("links shown with only the terms of use")
	}
	e.create(t, client, PrivacyPolicy, map[string]string{"cognito:default": "https://example.com/p"})
	e.create(t, client2, PrivacyPolicy, map[string]string{"cognito:default": "https://example.com/p2"})
	docs, _ = e.svc.ForClient(ctx, pool, client)
	for _, tc := range []struct{ lang, tou, pp string }{
		{"fr", "https://example.com/fr/t", "https://example.com/p"},
		{"de", "https://example.com/t", "https://example.com/p"},
		{"", "https://example.com/t", "https://example.com/p"},
	} {
		tou, pp, ok := docs.Links(tc.lang)
		if !ok || tou != tc.tou || pp != tc.pp {
			t.Errorf("Links(%q) = %q %q %v", tc.lang, tou, pp, ok)
		}
	}
	if err := e.svc.DeleteClientTerms(ctx, pool, client); err != nil {
		t.Fatal(err)
	}
	docs, _ = e.svc.ForClient(ctx, pool, client)
	if docs.TermsOfUse != nil || docs.PrivacyPolicy != nil {
		t.Errorf("terms left after the client's deletion: %+v", docs)
	}
	docs, _ = e.svc.ForClient(ctx, pool, client2)
	if docs.PrivacyPolicy == nil {
		t.Error("another client's terms were deleted")
	}
}

// TestThroughOperationTable drives the operations as the protocol layer does.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	h := &cognitoidp.Handlers{}
	e.svc.Register(h)
	ops := h.Service().Operations
	ctx := context.Background()
	out, err := ops["CreateTerms"].Call(ctx, []byte(`{"UserPoolId":"`+pool+`","ClientId":"`+client+`","TermsName":"privacy-policy","TermsSource":"LINK","Enforcement":"NONE","Links":{"cognito:default":"https://example.com/p"}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var got struct{ Terms map[string]any }
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	id, _ := got.Terms["TermsId"].(string)
	want := `{"Terms":{"TermsId":"` + id + `","UserPoolId":"` + pool + `","ClientId":"` + client + `","TermsName":"privacy-policy","TermsSource":"LINK","Enforcement":"NONE","Links":{"cognito:default":"https://example.com/p"},"CreationDate":1740830400,"LastModifiedDate":1740830400}}`
	if string(b) != want {
		t.Errorf("CreateTerms:\n got %s\nwant %s", b, want)
	}
	out, err = ops["DeleteTerms"].Call(ctx, []byte(`{"UserPoolId":"`+pool+`","TermsId":"`+id+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(out); string(b) != "{}" {
		t.Errorf("DeleteTerms answered %s", b)
	}
	out, err = ops["ListTerms"].Call(ctx, []byte(`{"UserPoolId":"`+pool+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(out); string(b) != `{"Terms":[]}` {
		t.Errorf("ListTerms answered %s", b)
	}
}
