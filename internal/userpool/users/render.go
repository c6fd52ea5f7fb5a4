// Package users is the user directory's admin operations (AdminCreateUser,
// AdminGetUser, ListUsers, …) and the shared rendering of stored users into
// the API's shapes.
package users

import (
	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// UserType renders a stored user as ListUsers, ListUsersInGroup and
// AdminCreateUser show it. keep filters attributes (nil keeps all).
func UserType(u *storage.User, keep func(name string) bool) cognitoidp.UserType {
	return cognitoidp.UserType{
		Username:             api.Ptr(u.Username),
		Attributes:           attrs.ToAPI(u.Sub, u.Attributes, keep),
		UserCreateDate:       api.NewTime(u.CreatedAt),
		UserLastModifiedDate: api.NewTime(u.UpdatedAt),
		Enabled:              u.Enabled,
		UserStatus:           api.Ptr(cognitoidp.UserStatusType(u.Status)),
	}
}
