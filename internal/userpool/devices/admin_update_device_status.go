package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminUpdateDeviceStatus marks a device of a user remembered or not
// remembered, as UpdateDeviceStatus does.
func (s *Service) AdminUpdateDeviceStatus(ctx context.Context, in *cognitoidp.AdminUpdateDeviceStatusRequest) (*cognitoidp.AdminUpdateDeviceStatusResponse, error) {
	o, err := s.admin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.setStatus(ctx, o, api.Deref(in.DeviceKey), in.DeviceRememberedStatus); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminUpdateDeviceStatusResponse{}, nil
}
