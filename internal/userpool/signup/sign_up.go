package signup

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// SignUp registers a user through an app client: the user is created
// UNCONFIRMED (or CONFIRMED when the pre sign-up hook says so) and a
// confirmation code goes to the auto-verified attribute the user has
// (phone number before email). A user confirmed at once gets a Session to
// sign in with by USER_AUTH (Config.SignInSession).
func (s *Service) SignUp(ctx context.Context, in *cognitoidp.SignUpRequest) (*cognitoidp.SignUpResponse, error) {
	given := deref(in.Username)
	c, err := s.begin(ctx, in.ClientId, given, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if ac := c.pool.AdminCreateUserConfig; ac != nil && ac.AllowAdminCreateUserOnly {
		return nil, cognitoidp.NewNotAuthorizedException(msgSignUpNotPermitted)
	}

	values, err := c.schema.CheckWrite(in.UserAttributes, attrs.OpCreate, attrs.ClientCaller(c.client.Settings.WriteAttributes), nil)
	if err != nil {
		return nil, err
	}
	pw := deref(in.Password)
	if pw == "" && !passwordlessSignUp(c, values, given) {
		return nil, cognitoidp.NewInvalidParameterException(msgPasswordRequired)
	}
	sub := ids.Sub()
	username, err := c.schema.NewUsername(given, sub, values)
	if err != nil {
		return nil, err
	}
	if err := c.schema.CheckRequired(values); err != nil {
		return nil, err
	}
	if pw != "" {
		if err := checkPassword(c.pool, pw, password.PrefixDidNotConform); err != nil {
			return nil, err
		}
		if err := s.checkCompromised(ctx, c, cognitoidp.EventFilterTypeSignUp, pw); err != nil {
			return nil, err
		}
	}

	status := statusUnconfirmed
	if s.hooks.PreSignUp != nil {
		out, err := s.hooks.PreSignUp(ctx, &PreSignUpInput{
			PoolID:         c.poolID(),
			ClientID:       c.client.ID,
			Username:       username,
			UserAttributes: maps.Clone(values),
			ValidationData: attributesMap(in.ValidationData),
			ClientMetadata: in.ClientMetadata,
		})
		if err != nil {
			return nil, err
		}
		if out != nil {
			if (out.AutoVerifyEmail || out.AutoVerifyPhone) && !out.AutoConfirmUser {
				return nil, cognitoidp.NewInvalidParameterException(msgAutoVerifyWithoutConfirm)
			}
			if out.AutoConfirmUser {
				status = statusConfirmed
			}
			if out.AutoVerifyEmail && values[attrs.Email] != "" {
				values[attrs.EmailVerified] = "true"
			}
			if out.AutoVerifyPhone && values[attrs.PhoneNumber] != "" {
				values[attrs.PhoneNumberVerified] = "true"
			}
		}
	}

	now := s.clock.Now()
	u := &storage.User{
		PoolID:     c.poolID(),
		Key:        c.schema.Key(username),
		Username:   username,
		Sub:        sub,
		Status:     status,
		Enabled:    true,
		Attributes: values,
		Aliases:    c.schema.Aliases(values),
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	if pw != "" {
		if u.Password, err = newCredentials(c.poolID(), username, pw, now); err != nil {
			return nil, err
		}
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		var ue *storage.UniqueError
		if errors.As(err, &ue) {
			return nil, c.schema.AliasClash(err)
		}
		return nil, fmt.Errorf("signup: creating user in pool %s: %w", c.poolID(), err)
	}

	out := &cognitoidp.SignUpResponse{UserConfirmed: status == statusConfirmed, UserSub: api.Ptr(sub)}
	if status == statusConfirmed {
		factor := string(cognitoidp.AuthFactorTypePassword)
		if pw == "" {
			factor = string(cognitoidp.AuthFactorTypeEmailOtp)
			if values[attrs.Email] == "" && values[attrs.PhoneNumber] != "" {
				factor = string(cognitoidp.AuthFactorTypeSmsOtp)
			}
		}
		out.Session = s.signInSession(ctx, c, username, factor)
		return out, nil
	}
	to, ok := signUpTarget(c.schema, values)
	if !ok {
		return out, nil
	}
	out.CodeDeliveryDetails, err = s.sendCode(ctx, c, codeSend{
		user: u, kind: message.KindSignUp, purpose: message.PurposeSignUp, to: to, meta: in.ClientMetadata,
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// passwordlessSignUp reports whether a sign-up may go without a password
// (developer guide, "Passwords at sign-up"): the pool offers email or SMS
// one-time passwords as a first sign-in factor, the client allows USER_AUTH,
// and the user gives an attribute of such a factor that the pool
// auto-verifies. given is the username, which may be that attribute.
func passwordlessSignUp(c *call, values map[string]string, given string) bool {
	if !c.client.AuthFlowAllowed(cognitoidp.AuthFlowTypeUserAuth) {
		return false
	}
	var factors []cognitoidp.AuthFactorType
	if p := c.pool.Policies; p != nil && p.SignInPolicy != nil {
		factors = p.SignInPolicy.AllowedFirstAuthFactors
	}
	has := func(attr string, valid func(string) bool) bool {
		return values[attr] != "" || c.schema.UsernameAttributes[attr] && valid(given)
	}
	if slices.Contains(factors, cognitoidp.AuthFactorTypeEmailOtp) && c.schema.AutoVerified[attrs.Email] && has(attrs.Email, attrs.ValidEmail) {
		return true
	}
	return slices.Contains(factors, cognitoidp.AuthFactorTypeSmsOtp) && c.schema.AutoVerified[attrs.PhoneNumber] && has(attrs.PhoneNumber, attrs.ValidPhone)
}
