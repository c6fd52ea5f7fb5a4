package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminForgetDevice deletes a device of a user, as ForgetDevice does.
func (s *Service) AdminForgetDevice(ctx context.Context, in *cognitoidp.AdminForgetDeviceRequest) (*api.Empty, error) {
	o, err := s.admin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.forget(ctx, o, api.Deref(in.DeviceKey)); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}
