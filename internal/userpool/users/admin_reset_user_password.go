package users

import (
	"context"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// AdminResetUserPassword puts a user into RESET_REQUIRED, so that sign-in
// answers PasswordResetRequiredException, and sends a forgot-password code
// (kind FORGOT_PASSWORD) to the first verified contact the pool's
// AccountRecoverySetting names. Disabled users, users in another status than
// resettableStatuses and users without a verified contact are refused and
// nothing changes.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *cognitoidp.AdminResetUserPasswordRequest) (*cognitoidp.AdminResetUserPasswordResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, schema, up, err := s.Find(ctx, *in.UserPoolId, requestName(in.Username))
	if err != nil {
		return nil, err
	}
	if err := checkResettable(u); err != nil {
		return nil, err
	}
	attr, dest, send := recoveryContact(up, u)
	if send && dest == "" {
		return nil, cognitoidp.NewInvalidParameterException(msgNoVerifiedContact)
	}
	wasReset := u.Status == string(cognitoidp.UserStatusTypeResetRequired)
	now := s.clk.Now()
	u, err = s.update(ctx, schema, u, func(cur *storage.User) error {
		if err := checkResettable(cur); err != nil {
			return err
		}
		if cur.Status == string(cognitoidp.UserStatusTypeResetRequired) {
			return storage.ErrSkip
		}
		cur.Status = string(cognitoidp.UserStatusTypeResetRequired)
		cur.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !send || (wasReset && !resendOnResetRequired) {
		return &cognitoidp.AdminResetUserPasswordResponse{}, nil
	}
	if _, err := s.sendCode(ctx, up, u, message.KindForgotPassword, message.PurposeForgotPassword, attr, dest, nil, in.ClientMetadata); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminResetUserPasswordResponse{}, nil
}

func checkResettable(u *storage.User) error {
	if !u.Enabled {
		return cognitoidp.NewNotAuthorizedException(msgUserDisabled)
	}
	if !resettableStatuses[u.Status] {
		return cognitoidp.NewNotAuthorizedException(msgCannotReset)
	}
	return nil
}

// RecoveryMechanisms returns the pool's account recovery mechanisms by
// priority; a pool without AccountRecoverySetting recovers by phone, then
// email ("SMS is preferred over email", the legacy behaviour).
func RecoveryMechanisms(up *cognitoidp.UserPoolType) []cognitoidp.RecoveryOptionNameType {
	var opts []cognitoidp.RecoveryOptionType
	if up.AccountRecoverySetting != nil {
		opts = slices.Clone(up.AccountRecoverySetting.RecoveryMechanisms)
	}
	if len(opts) == 0 {
		return []cognitoidp.RecoveryOptionNameType{
			cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber,
			cognitoidp.RecoveryOptionNameTypeVerifiedEmail,
		}
	}
	slices.SortStableFunc(opts, func(a, b cognitoidp.RecoveryOptionType) int {
		return int(api.Deref(a.Priority)) - int(api.Deref(b.Priority))
	})
	out := make([]cognitoidp.RecoveryOptionNameType, 0, len(opts))
	for _, o := range opts {
		out = append(out, api.Deref(o.Name))
	}
	return out
}

// recoveryContact picks where a forgot-password code goes: the contact
// attribute and value of the first recovery mechanism the user has a
// verified value for. send is false when the pool recovers by
// administrator only; dest is "" when no mechanism applies.
func recoveryContact(up *cognitoidp.UserPoolType, u *storage.User) (attr, dest string, send bool) {
	mechs := RecoveryMechanisms(up)
	if len(mechs) == 1 && mechs[0] == cognitoidp.RecoveryOptionNameTypeAdminOnly {
		return "", "", false
	}
	for _, m := range mechs {
		var c string
		switch m {
		case cognitoidp.RecoveryOptionNameTypeVerifiedEmail:
			c = attrs.Email
		case cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber:
			c = attrs.PhoneNumber
		default:
			continue
		}
		if v := u.Attributes[c]; v != "" && u.Attributes[verifiedOf(c)] == "true" {
			return c, v, true
		}
	}
	return "", "", true
}
