package auth

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/importjobs"
	"github.com/cogito-dev/cogito/internal/userpool/usersettings"
)

// User migration (developer guide, "Migrate user Lambda trigger"): a sign-in
// name the pool does not know, given with a plaintext password
// (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and the managed login pages;
// SRP never shows the password, so USER_SRP_AUTH cannot migrate), goes to the
// pool's user migration trigger (UserMigration_Authentication). When the
// function answers with attributes, the user is created from its answer —
// finalUserStatus (CONFIRMED by default, or RESET_REQUIRED), the password
// given (not checked against the pool's policy), messageAction,
// desiredDeliveryMediums, forceAliasCreation, enableSMSMFA — and the sign-in
// goes on as for any user. ForgotPassword does the same for an unknown name
// through MigrateUser (UserMigration_ForgotPassword), without a password:
// the user is created RESET_REQUIRED and gets the reset code. The rules
// Cognito does not document are in defaults.go.

// migrateOnSignIn runs the user migration trigger for a sign-in name the
// pool does not know, with the password given; it returns the user it
// created, or nil when the pool has no such trigger or the function knows
// no such user.
func (s *Service) migrateOnSignIn(ctx context.Context, c *call, name, pw string) (*storage.User, error) {
	if s.triggers == nil || c.pool.LambdaConfig == nil || api.Deref(c.pool.LambdaConfig.UserMigration) == "" {
		return nil, nil
	}
	out, err := s.triggers.UserMigration(ctx, c.pool, &trigger.UserMigrationInput{
		Source:         trigger.SourceUserMigrationAuthentication,
		Username:       name,
		Password:       &pw,
		ValidationData: c.validationData(),
		Caller:         trigger.Caller{ClientID: c.client.ID, ClientMetadata: c.triggerMetadata()},
	})
	if err != nil || out == nil {
		return nil, err
	}
	return s.createMigrated(ctx, c, name, out, pw)
}

// MigrateUser runs the user migration trigger of pool poolID for a name the
// pool does not know, on behalf of app client clientID's ForgotPassword
// (UserMigration_ForgotPassword, with the request's ClientMetadata), and
// creates the user the function answers with, RESET_REQUIRED. It returns
// nil when the pool has no such trigger or the function knows no such user.
// Errors are Cognito's (the function's, or the creation's: an attribute
// that is not valid, an alias another user holds).
func (s *Service) MigrateUser(ctx context.Context, poolID, clientID, name string, metadata map[string]string) (*storage.User, error) {
	c, err := s.adminCall(ctx, poolID, clientID, metadata)
	if err != nil {
		return nil, err
	}
	if s.triggers == nil || c.pool.LambdaConfig == nil || api.Deref(c.pool.LambdaConfig.UserMigration) == "" {
		return nil, nil
	}
	out, err := s.triggers.UserMigration(ctx, c.pool, &trigger.UserMigrationInput{
		Source:   trigger.SourceUserMigrationForgotPassword,
		Username: name,
		Caller:   trigger.Caller{ClientID: clientID, ClientMetadata: metadata},
	})
	if err != nil || out == nil {
		return nil, err
	}
	return s.createMigrated(ctx, c, name, out, "")
}

// createMigrated creates the user a user migration function answered with
// for the sign-in name name; pw is the password of a sign-in ("" for
// ForgotPassword).
func (s *Service) createMigrated(ctx context.Context, c *call, name string, out *trigger.UserMigrationResponse, pw string) (*storage.User, error) {
	in := make([]cognitoidp.AttributeType, 0, len(out.UserAttributes))
	for _, k := range slices.Sorted(maps.Keys(out.UserAttributes)) {
		if k == attrs.Sub || strings.HasPrefix(k, "cognito:") {
			continue // Cognito's own (migrationIgnoredAttributes, defaults.go)
		}
		in = append(in, cognitoidp.AttributeType{Name: api.Ptr(k), Value: api.Ptr(out.UserAttributes[k])})
	}
	vals, err := c.schema.CheckWrite(in, attrs.OpCreate, attrs.AdminCaller, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range vals {
		if v == "" {
			delete(vals, k)
		}
	}
	sub := ids.Sub()
	username, err := c.schema.NewUsername(name, sub, vals)
	if err != nil {
		if c.schema.UsesUsernameAttributes() {
			return nil, err
		}
		// An alias pool's user who signed in with an alias: the user is
		// created under a generated username (defaults.go).
		username = sub
	}
	if err := c.schema.CheckRequired(vals); err != nil {
		return nil, err
	}
	status := cognitoidp.UserStatusTypeConfirmed
	if pw == "" || api.Deref(out.FinalUserStatus) == string(cognitoidp.UserStatusTypeResetRequired) {
		status = cognitoidp.UserStatusTypeResetRequired
	}
	now := s.clock.Now()
	u := &storage.User{
		PoolID:     c.poolID(),
		Key:        c.schema.Key(username),
		Username:   username,
		Sub:        sub,
		Status:     string(status),
		Enabled:    true,
		Attributes: vals,
		Aliases:    c.schema.Aliases(vals),
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	if pw != "" {
		creds, err := password.New(u.PoolID, u.Username, pw, false, now, 0)
		if err != nil {
			return nil, fmt.Errorf("auth: making the credentials of a migrated user: %w", err)
		}
		if u.Password, err = creds.Encode(); err != nil {
			return nil, fmt.Errorf("auth: encoding credentials: %w", err)
		}
	}
	if api.Deref(out.EnableSMSMFA) {
		if err := usersettings.Set(u, importjobs.SettingsMFAEnabled, true); err != nil {
			return nil, fmt.Errorf("auth: the MFA setting of a migrated user: %w", err)
		}
	}
	if err := s.createUser(ctx, c, u, api.Deref(out.ForceAliasCreation)); err != nil {
		return nil, err
	}
	s.log.Debug("user migrated", "pool", c.poolID(), "client", c.client.ID)
	if api.Deref(out.MessageAction) != string(cognitoidp.MessageActionTypeSuppress) {
		s.welcome(ctx, c, u, out.DesiredDeliveryMediums)
	}
	return u, nil
}

// forceAliasAttempts bounds the create attempts of a migration that takes
// aliases over from other users (each attempt may find another clash).
const forceAliasAttempts = 4

// createUser inserts u. A taken username is UsernameExistsException, a
// taken alias AliasExistsException, unless force is set and the alias is an
// email or phone alias, which then moves to u: its previous owner keeps the
// value, unverified (as AdminCreateUser's ForceAliasCreation does).
func (s *Service) createUser(ctx context.Context, c *call, u *storage.User, force bool) error {
	for attempt := 0; ; attempt++ {
		err := s.store.CreateUser(ctx, u)
		if err == nil {
			return nil
		}
		var ue *storage.UniqueError
		if !errors.As(err, &ue) {
			if errors.Is(err, storage.ErrNotFound) {
				return cognitoidp.NewResourceNotFoundException(msgPoolGone)
			}
			return fmt.Errorf("auth: creating a migrated user in pool %s: %w", c.poolID(), err)
		}
		movable := c.schema.AliasAttributes[ue.Field] && (ue.Field == attrs.Email || ue.Field == attrs.PhoneNumber)
		if !force || !movable || attempt >= forceAliasAttempts {
			return c.schema.AliasClash(err)
		}
		if err := s.takeAlias(ctx, c, storage.Alias{Kind: ue.Field, Value: ue.Value}); err != nil {
			return err
		}
	}
}

// takeAlias unverifies the contact attribute of the user holding alias, so
// that it releases the alias.
func (s *Service) takeAlias(ctx context.Context, c *call, alias storage.Alias) error {
	holder, err := s.store.GetUserByAlias(ctx, c.poolID(), alias)
	if errors.Is(err, storage.ErrNotFound) {
		return nil // released meanwhile
	}
	if err != nil {
		return fmt.Errorf("auth: reading the holder of an alias in pool %s: %w", c.poolID(), err)
	}
	now := s.clock.Now()
	_, err = s.store.UpdateUser(ctx, c.poolID(), holder.Key, func(cur *storage.User) error {
		if !slices.Contains(cur.Aliases, alias) {
			return storage.ErrSkip
		}
		cur.Attributes[alias.Kind+"_verified"] = "false"
		cur.Aliases = c.schema.Aliases(cur.Attributes)
		cur.UpdatedAt = now
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return s.updateError(c, err)
	}
	return nil
}

// welcome sends a migrated user the pool's welcome message (its invitation
// template) by each medium the function asked for (SMS when it named
// none), where the user has the attribute. The user knows their password,
// so the template's password placeholder shows migrationPasswordMask
// (defaults.go). A message that cannot be sent is logged: the user exists.
func (s *Service) welcome(ctx context.Context, c *call, u *storage.User, mediums []string) {
	if s.sender == nil {
		return
	}
	if len(mediums) == 0 {
		mediums = []string{string(cognitoidp.DeliveryMediumTypeSms)}
	}
	for _, medium := range slices.Compact(slices.Sorted(slices.Values(mediums))) {
		md, dest := message.Email, u.Attributes[attrs.Email]
		if medium == string(cognitoidp.DeliveryMediumTypeSms) {
			md, dest = message.SMS, u.Attributes[attrs.PhoneNumber]
		}
		if dest == "" {
			continue
		}
		m, err := message.Render(c.pool, message.Params{
			Kind: message.KindInvitation, Medium: md, Destination: dest, Username: u.Username, Code: migrationPasswordMask,
		})
		if err == nil {
			m.ClientID = c.client.ID
			err = s.sender.Send(ctx, c.pool, m)
		}
		if err != nil {
			s.log.WarnContext(ctx, "migrated user's welcome message not sent", "pool", c.poolID(), "err", err)
		}
	}
}
