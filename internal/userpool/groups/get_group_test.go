package groups

import (
	"context"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestGetGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.group(t, e.pool, "admins", 1, roleA)

	g := e.get(t, e.pool, "admins")
	if *g.GroupName != "admins" || *g.UserPoolId != e.pool || *g.Precedence != 1 || *g.RoleArn != roleA || g.Description != nil {
		t.Errorf("GetGroup = %+v", g)
	}

	for _, tc := range []struct{ pool, name, code, msg string }{
		{e.pool, "nobody", "ResourceNotFoundException", "Group not found."},
		{e.pool, "Admins", "ResourceNotFoundException", "Group not found."},  // names are case-sensitive
		{e.other, "admins", "ResourceNotFoundException", "Group not found."}, // and scoped by pool
		{missingPool, "admins", "ResourceNotFoundException", poolMissing(missingPool)},
		{e.pool, "", "InvalidParameterException", ""},
	} {
		_, err := e.svc.GetGroup(ctx, &cognitoidp.GetGroupRequest{UserPoolId: api.Ptr(tc.pool), GroupName: api.Ptr(tc.name)})
		wantErr(t, err, tc.code, tc.msg)
	}
}
