package users

import (
	"bytes"
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AdminSetUserPassword sets a user's password as an administrator. A
// permanent password confirms the user (CONFIRMED); a temporary one puts the
// user into FORCE_CHANGE_PASSWORD with the pool's temporary password
// validity. The password must meet the pool's policy and, with a
// PasswordHistorySize, differ from the user's recent passwords.
func (s *Service) AdminSetUserPassword(ctx context.Context, in *cognitoidp.AdminSetUserPasswordRequest) (*cognitoidp.AdminSetUserPasswordResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, schema, up, err := s.Find(ctx, *in.UserPoolId, requestName(in.Username))
	if err != nil {
		return nil, err
	}
	if err := checkNewPassword(up, *in.Password); err != nil {
		return nil, err
	}
	now := s.clk.Now()
	// The verifier (a modular exponentiation) is computed outside the
	// store's transaction, again only if the credentials changed meanwhile.
	base := u.Password
	cred, err := replaceCredentials(up, base, u.Username, *in.Password, in.Permanent, now)
	if err != nil {
		return nil, err
	}
	_, err = s.update(ctx, schema, u, func(cur *storage.User) error {
		if !bytes.Equal(cur.Password, base) {
			base = cur.Password
			if cred, err = replaceCredentials(up, base, cur.Username, *in.Password, in.Permanent, now); err != nil {
				return err
			}
		}
		cur.Password = cred
		if in.Permanent {
			cur.Status = string(cognitoidp.UserStatusTypeConfirmed)
		} else {
			cur.Status = string(cognitoidp.UserStatusTypeForceChangePassword)
		}
		cur.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &cognitoidp.AdminSetUserPasswordResponse{}, nil
}
