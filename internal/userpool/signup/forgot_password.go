package signup

import (
	"context"
	"errors"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ForgotPassword sends a password-reset code to the user's first verified
// contact in the pool's recovery order (see defaults.go for who may reset
// and what PreventUserExistenceErrors changes).
func (s *Service) ForgotPassword(ctx context.Context, in *cognitoidp.ForgotPasswordRequest) (*cognitoidp.ForgotPasswordResponse, error) {
	name := deref(in.Username)
	c, err := s.begin(ctx, in.ClientId, name, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if adminOnlyRecovery(c.pool) {
		return nil, cognitoidp.NewNotAuthorizedException(msgAdminOnlyRecovery)
	}
	hide := c.preventExistenceErrors()
	simulated := func() (*cognitoidp.ForgotPasswordResponse, error) {
		return &cognitoidp.ForgotPasswordResponse{CodeDeliveryDetails: simulatedDetails(c.poolID(), name, recoveryPrefersPhone(c.pool))}, nil
	}
	u, err := s.findUser(ctx, c, name)
	if errors.Is(err, storage.ErrNotFound) && s.migrate != nil {
		// An unknown name may be a user the migration trigger brings in.
		var migrated *storage.User
		if migrated, err = s.migrate(ctx, c.poolID(), c.client.ID, name, in.ClientMetadata); err == nil && migrated == nil {
			err = storage.ErrNotFound
		}
		u = migrated
	}
	if errors.Is(err, storage.ErrNotFound) {
		if hide {
			return simulated()
		}
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		if hide {
			return simulated()
		}
		return nil, cognitoidp.NewNotAuthorizedException(msgUserDisabled)
	}
	if u.Status == statusForceChangePassword || u.Status == statusExternalProvider {
		if hide {
			return simulated()
		}
		return nil, cognitoidp.NewNotAuthorizedException(msgCannotResetInState)
	}
	to, err := recoveryTarget(c.pool, u.Attributes)
	if err != nil {
		if hide {
			return simulated()
		}
		return nil, cognitoidp.NewInvalidParameterException(msgNoVerifiedContact)
	}
	details, err := s.sendCode(ctx, c, codeSend{
		user: u, kind: message.KindForgotPassword, purpose: message.PurposeForgotPassword, to: to, meta: in.ClientMetadata,
	})
	if err != nil {
		return nil, err
	}
	return &cognitoidp.ForgotPasswordResponse{CodeDeliveryDetails: details}, nil
}

// adminOnlyRecovery reports whether only administrators may reset passwords.
func adminOnlyRecovery(pool *cognitoidp.UserPoolType) bool {
	rs := pool.AccountRecoverySetting
	return rs != nil && slices.ContainsFunc(rs.RecoveryMechanisms, func(m cognitoidp.RecoveryOptionType) bool {
		return api.Deref(m.Name) == cognitoidp.RecoveryOptionNameTypeAdminOnly
	})
}

// recoveryPrefersPhone reports whether the pool's first recovery choice is
// the phone number (the legacy order when it sets none).
func recoveryPrefersPhone(pool *cognitoidp.UserPoolType) bool {
	rs := pool.AccountRecoverySetting
	if rs == nil || len(rs.RecoveryMechanisms) == 0 {
		return true
	}
	first := rs.RecoveryMechanisms[0]
	for _, m := range rs.RecoveryMechanisms[1:] {
		if api.Deref(m.Priority) < api.Deref(first.Priority) {
			first = m
		}
	}
	return api.Deref(first.Name) == cognitoidp.RecoveryOptionNameTypeVerifiedPhoneNumber
}
