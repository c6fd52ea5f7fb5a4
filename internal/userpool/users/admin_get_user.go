package users

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminGetUser shows a user found by username or any accepted alias; the
// response names the user by its internal username.
func (s *Service) AdminGetUser(ctx context.Context, in *cognitoidp.AdminGetUserRequest) (*cognitoidp.AdminGetUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, _, up, err := s.Find(ctx, *in.UserPoolId, requestName(in.Username))
	if err != nil {
		return nil, err
	}
	t := UserType(u, nil)
	out := &cognitoidp.AdminGetUserResponse{
		Username:             t.Username,
		UserAttributes:       t.Attributes,
		UserCreateDate:       t.UserCreateDate,
		UserLastModifiedDate: t.UserLastModifiedDate,
		Enabled:              t.Enabled,
		UserStatus:           t.UserStatus,
	}
	// MFA is shown by the MFA family through the Config.MFA hook.
	info, err := s.mfaInfo(ctx, up, u)
	if err != nil {
		return nil, err
	}
	out.MFAOptions = info.Options
	if info.Preferred != "" {
		out.PreferredMfaSetting = api.Ptr(info.Preferred)
	}
	out.UserMFASettingList = info.Enabled
	return out, nil
}
