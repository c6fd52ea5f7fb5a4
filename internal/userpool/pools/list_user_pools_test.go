package pools

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func listAll(t *testing.T, e *env, max int32, between func()) []string {
	t.Helper()
	var ids []string
	var tok *string
	for range 100 {
		out, err := e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: &max, NextToken: tok})
		if err != nil {
			t.Fatalf("ListUserPools: %v", err)
		}
		if len(out.UserPools) > int(max) {
			t.Fatalf("page of %d pools, MaxResults %d", len(out.UserPools), max)
		}
		for _, p := range out.UserPools {
			ids = append(ids, *p.Id)
		}
		if out.NextToken == nil {
			return ids
		}
		tok = out.NextToken
		if between != nil {
			between()
		}
	}
	t.Fatal("pagination did not end")
	return nil
}

func TestListUserPoolsPagination(t *testing.T) {
	e := newEnv(t, false)
	if got := listAll(t, e, 60, nil); len(got) != 0 {
		t.Fatalf("empty account lists %v", got)
	}
	var want []string
	for range 7 {
		want = append(want, *e.create(t, &cognitoidp.CreateUserPoolRequest{}).Id)
	}
	slices.Sort(want)
	for _, max := range []int32{1, 3, 7, 60} {
		if got := listAll(t, e, max, nil); !slices.Equal(got, want) {
			t.Errorf("MaxResults %d: listed %v, want %v", max, got, want)
		}
	}
	// Pools created while paging never make a page repeat or skip a pool that existed before.
	got := listAll(t, e, 2, func() { e.create(t, &cognitoidp.CreateUserPoolRequest{}) })
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("pool %s listed twice", id)
		}
		seen[id] = true
	}
	for _, id := range want {
		if !seen[id] {
			t.Errorf("pool %s skipped", id)
		}
	}
}

func TestListUserPoolsShape(t *testing.T) {
	e := newEnv(t, false)
	e.create(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("shape"),
		LambdaConfig: &cognitoidp.LambdaConfigType{PostConfirmation: api.Ptr("arn:aws:lambda:us-east-1:123456789012:function:post")}})
	out, err := e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(5))})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var got map[string][]map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	item := got["UserPools"][0]
	var keys []string
	for k := range item {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"CreationDate", "Id", "LambdaConfig", "LastModifiedDate", "Name"}; !slices.Equal(keys, want) {
		t.Errorf("ListUserPools item members %v, want %v", keys, want)
	}
	if string(item["LambdaConfig"]) != `{"PostConfirmation":"arn:aws:lambda:us-east-1:123456789012:function:post"}` {
		t.Errorf("LambdaConfig = %s", item["LambdaConfig"])
	}
	if _, ok := got["NextToken"]; ok {
		t.Error("NextToken on the last page")
	}
}

func TestListUserPoolsErrors(t *testing.T) {
	e := newEnv(t, false)
	e.create(t, &cognitoidp.CreateUserPoolRequest{})
	e.create(t, &cognitoidp.CreateUserPoolRequest{})

	_, err := e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null")
	_, err = e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(0))})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1")
	_, err = e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(61))})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")

	for _, tok := range []string{"garbage", "Zm9v", encodeNextToken("")} {
		_, err = e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(1)), NextToken: api.Ptr(tok)})
		wantErr(t, err, "InvalidParameterException", msgInvalidNextToken)
	}
	// A token handed out stays usable.
	out, err := e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(1))})
	if err != nil || out.NextToken == nil {
		t.Fatalf("first page: %+v, %v", out, err)
	}
	for range 2 {
		page, err := e.svc.ListUserPools(e.ctx, &cognitoidp.ListUserPoolsRequest{MaxResults: api.Ptr(int32(1)), NextToken: out.NextToken})
		if err != nil || len(page.UserPools) != 1 || *page.UserPools[0].Id == *out.UserPools[0].Id {
			t.Fatalf("second page: %+v, %v", page, err)
		}
	}
}
