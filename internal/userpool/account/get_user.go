package account

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// GetUser shows the signed-in user: the internal username, the attributes
// the token's app client may read, and the MFA settings (through the
// Config.MFA hook).
func (s *Service) GetUser(ctx context.Context, in *cognitoidp.GetUserRequest) (*cognitoidp.GetUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := s.begin(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	cl, err := s.client(ctx, c)
	if err != nil {
		return nil, err
	}
	read := setOf(cl.Settings.ReadAttributes)
	out := &cognitoidp.GetUserResponse{
		Username: api.Ptr(c.user.Username),
		UserAttributes: attrs.ToAPI(c.user.Sub, c.user.Attributes, func(name string) bool {
			return c.schema.Readable(name, read)
		}),
	}
	if s.mfa != nil {
		info, err := s.mfa(ctx, c.pool, c.user)
		if err != nil {
			return nil, fmt.Errorf("account: reading MFA settings of a user of pool %s: %w", c.poolID(), err)
		}
		out.MFAOptions = info.Options
		if info.Preferred != "" {
			out.PreferredMfaSetting = api.Ptr(info.Preferred)
		}
		out.UserMFASettingList = info.Enabled
	}
	return out, nil
}

// setOf makes a set of a list (nil for an empty list).
func setOf(list []string) map[string]bool {
	if len(list) == 0 {
		return nil
	}
	m := make(map[string]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}
