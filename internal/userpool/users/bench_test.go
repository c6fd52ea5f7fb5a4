package users

import (
	"strconv"
	"testing"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// BenchmarkAdminCreateUser creates users with a temporary password and an
// email invitation, through the service on SQLite.
func BenchmarkAdminCreateUser(b *testing.B) {
	e := newEnv(b)
	pool := e.pool(b, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		name := "user" + strconv.Itoa(i)
		_, err := e.svc.AdminCreateUser(e.ctx, &cognitoidp.AdminCreateUserRequest{
			UserPoolId:             &pool,
			Username:               &name,
			UserAttributes:         attrList("email", name+"@example.com", "name", "Bench"),
			TemporaryPassword:      api.Ptr(goodPassword),
			DesiredDeliveryMediums: []cognitoidp.DeliveryMediumType{"EMAIL"},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListUsersFiltered lists one user by email out of a thousand.
func BenchmarkListUsersFiltered(b *testing.B) {
	e := newEnv(b)
	pool := e.pool(b, nil)
	for i := range 1000 {
		e.seed(b, pool, "user"+strconv.Itoa(i), "CONFIRMED", map[string]string{"email": "user" + strconv.Itoa(i) + "@example.com"})
	}
	filter := `email = "user500@example.com"`
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		out, err := e.svc.ListUsers(e.ctx, &cognitoidp.ListUsersRequest{UserPoolId: &pool, Filter: &filter})
		if err != nil || len(out.Users) != 1 {
			b.Fatal(out, err)
		}
	}
}
