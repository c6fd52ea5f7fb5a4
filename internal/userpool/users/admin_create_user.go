package users

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// forceAliasAttempts bounds the create attempts of an AdminCreateUser that
// takes aliases over from other users (each attempt may find another clash).
const forceAliasAttempts = 4

// AdminCreateUser creates a user in FORCE_CHANGE_PASSWORD with a temporary
// password (given, or generated from the pool's policy) valid for the pool's
// TemporaryPasswordValidityDays, and sends the invitation unless
// MessageAction is SUPPRESS. MessageAction RESEND instead gives an existing
// FORCE_CHANGE_PASSWORD user a new temporary password and invitation.
func (s *Service) AdminCreateUser(ctx context.Context, in *cognitoidp.AdminCreateUserRequest) (*cognitoidp.AdminCreateUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	up, schema, err := s.loadPool(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	action := api.Deref(in.MessageAction)
	if action == cognitoidp.MessageActionTypeResend {
		return s.resendInvitation(ctx, up, schema, in)
	}

	vals, err := schema.CheckWrite(in.UserAttributes, attrs.OpCreate, attrs.AdminCaller, nil)
	if err != nil {
		return nil, err
	}
	for name, v := range vals {
		if v == "" { // an empty value is no value
			delete(vals, name)
		}
	}
	sub := uuid.NewString()
	username, err := schema.NewUsername(*in.Username, sub, vals)
	if err != nil {
		return nil, err
	}
	if err := schema.CheckRequired(vals); err != nil {
		return nil, err
	}
	send := action != cognitoidp.MessageActionTypeSuppress
	mediums, err := invitationMediums(in.DesiredDeliveryMediums, vals, send || !checkMediumsOnlyWhenSending)
	if err != nil {
		return nil, err
	}
	tempPassword, err := s.temporaryPassword(up, in.TemporaryPassword)
	if err != nil {
		return nil, err
	}
	if err := s.preSignUp(ctx, schema.PoolID, username, vals, in); err != nil {
		return nil, err
	}

	now := s.clk.Now()
	cred, err := newCredentials(up, username, tempPassword, now)
	if err != nil {
		return nil, err
	}
	u := &storage.User{
		PoolID:     schema.PoolID,
		Key:        schema.Key(username),
		Username:   username,
		Sub:        sub,
		Status:     string(cognitoidp.UserStatusTypeForceChangePassword),
		Enabled:    true,
		Attributes: vals,
		Aliases:    schema.Aliases(vals),
		Password:   cred,
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	if err := s.createUser(ctx, schema, u, in.ForceAliasCreation); err != nil {
		return nil, err
	}
	if send {
		if err := s.sendInvitation(ctx, up, u, *in.Username, tempPassword, mediums, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	return &cognitoidp.AdminCreateUserResponse{User: api.Ptr(UserType(u, nil))}, nil
}

// createUser inserts u. A taken username is UsernameExistsException "User
// account already exists"; a taken alias AliasExistsException, unless force
// is set and the alias is an email or phone alias, which then moves to u:
// its previous owner keeps the value, unverified.
func (s *Service) createUser(ctx context.Context, schema *attrs.Schema, u *storage.User, force bool) error {
	for attempt := 0; ; attempt++ {
		err := s.store.CreateUser(ctx, u)
		if err == nil {
			return nil
		}
		var ue *storage.UniqueError
		if !errors.As(err, &ue) {
			return fmt.Errorf("users: creating a user in pool %s: %w", schema.PoolID, err)
		}
		if ue.Field == "username" || ue.Field == "sub" {
			return cognitoidp.NewUsernameExistsException(msgUserAccountExists)
		}
		movable := schema.AliasAttributes[ue.Field] && (ue.Field == attrs.Email || ue.Field == attrs.PhoneNumber)
		if !force || !movable || attempt >= forceAliasAttempts {
			return schema.AliasClash(err)
		}
		if err := s.takeAlias(ctx, schema, storage.Alias{Kind: ue.Field, Value: ue.Value}); err != nil {
			return err
		}
	}
}

// takeAlias unverifies the contact attribute of the user holding alias, so
// it releases the alias.
func (s *Service) takeAlias(ctx context.Context, schema *attrs.Schema, alias storage.Alias) error {
	holder, err := s.store.GetUserByAlias(ctx, schema.PoolID, alias)
	if errors.Is(err, storage.ErrNotFound) {
		return nil // released meanwhile
	}
	if err != nil {
		return fmt.Errorf("users: reading the holder of an alias in pool %s: %w", schema.PoolID, err)
	}
	now := s.clk.Now()
	_, err = s.store.UpdateUser(ctx, schema.PoolID, holder.Key, func(cur *storage.User) error {
		if !slices.Contains(cur.Aliases, alias) {
			return storage.ErrSkip
		}
		cur.Attributes[verifiedOf(alias.Kind)] = "false"
		cur.Aliases = schema.Aliases(cur.Attributes)
		cur.UpdatedAt = now
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return s.storeErr(err, schema, "moving an alias")
	}
	return nil
}

// resendInvitation is AdminCreateUser with MessageAction RESEND.
func (s *Service) resendInvitation(ctx context.Context, up *cognitoidp.UserPoolType, schema *attrs.Schema, in *cognitoidp.AdminCreateUserRequest) (*cognitoidp.AdminCreateUserResponse, error) {
	u, err := s.lookup(ctx, schema, *in.Username)
	if err != nil {
		return nil, err
	}
	if u.Status != string(cognitoidp.UserStatusTypeForceChangePassword) {
		return nil, cognitoidp.NewUnsupportedUserStateException(fmt.Sprintf(msgResendNotPossible, u.Username))
	}
	mediums, err := invitationMediums(in.DesiredDeliveryMediums, u.Attributes, true)
	if err != nil {
		return nil, err
	}
	tempPassword, err := s.temporaryPassword(up, in.TemporaryPassword)
	if err != nil {
		return nil, err
	}
	now := s.clk.Now()
	cred, err := newCredentials(up, u.Username, tempPassword, now)
	if err != nil {
		return nil, err
	}
	u, err = s.update(ctx, schema, u, func(cur *storage.User) error {
		if cur.Status != string(cognitoidp.UserStatusTypeForceChangePassword) {
			return cognitoidp.NewUnsupportedUserStateException(fmt.Sprintf(msgResendNotPossible, cur.Username))
		}
		cur.Password = cred
		cur.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.sendInvitation(ctx, up, u, *in.Username, tempPassword, mediums, in.ClientMetadata); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminCreateUserResponse{User: api.Ptr(UserType(u, nil))}, nil
}

// invitationMediums returns where an invitation goes. Explicit
// DesiredDeliveryMediums each need their attribute (checked when check is
// set); without them the invitation goes by SMS when there is a phone number.
func invitationMediums(desired []cognitoidp.DeliveryMediumType, vals attrs.Values, check bool) ([]cognitoidp.DeliveryMediumType, error) {
	if len(desired) == 0 {
		if vals[attrs.PhoneNumber] != "" || defaultMediumNeedsPhone {
			desired = []cognitoidp.DeliveryMediumType{message.SMS}
		} else {
			return nil, nil
		}
	}
	var out []cognitoidp.DeliveryMediumType
	for _, m := range desired {
		if slices.Contains(out, m) {
			continue
		}
		if check {
			switch {
			case m == message.Email && vals[attrs.Email] == "":
				return nil, cognitoidp.NewInvalidParameterException(msgNoEmailForDelivery)
			case m == message.SMS && vals[attrs.PhoneNumber] == "":
				return nil, cognitoidp.NewInvalidParameterException(msgNoPhoneForDelivery)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// sendInvitation sends the invitation with the temporary password by each
// medium (kind INVITATION).
func (s *Service) sendInvitation(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, given, tempPassword string, mediums []cognitoidp.DeliveryMediumType, meta map[string]string) error {
	shown := u.Username
	if invitationShowsGivenUsername {
		shown = given
	}
	for _, medium := range mediums {
		dest := u.Attributes[attrs.Email]
		if medium == message.SMS {
			dest = u.Attributes[attrs.PhoneNumber]
		}
		if dest == "" {
			continue
		}
		m, err := message.Render(up, message.Params{
			Kind:        message.KindInvitation,
			Medium:      medium,
			Destination: dest,
			Username:    shown,
			Code:        tempPassword,
		})
		if err != nil {
			return fmt.Errorf("users: rendering an invitation for pool %s: %w", u.PoolID, err)
		}
		m.Username = u.Username // the outbox lists messages by internal username
		if err := s.customize(ctx, u, meta, m); err != nil {
			return err
		}
		if err := s.deliver(ctx, up, m); err != nil {
			return err
		}
	}
	return nil
}

// temporaryPasswordValidity is how long a temporary password of the pool
// stays usable.
func temporaryPasswordValidity(up *cognitoidp.UserPoolType) time.Duration {
	days := int32(0)
	if up.Policies != nil && up.Policies.PasswordPolicy != nil {
		days = up.Policies.PasswordPolicy.TemporaryPasswordValidityDays
	}
	if days == 0 && up.AdminCreateUserConfig != nil {
		days = up.AdminCreateUserConfig.UnusedAccountValidityDays
	}
	if days == 0 {
		days = defaultTemporaryPasswordValidityDays
	}
	return time.Duration(days) * 24 * time.Hour
}
