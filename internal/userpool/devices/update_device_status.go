package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// UpdateDeviceStatus marks one of the signed-in user's devices remembered
// (Amplify's rememberDevice) or not remembered, without forgetting it.
func (s *Service) UpdateDeviceStatus(ctx context.Context, in *cognitoidp.UpdateDeviceStatusRequest) (*cognitoidp.UpdateDeviceStatusResponse, error) {
	o, err := s.caller(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.setStatus(ctx, o, api.Deref(in.DeviceKey), in.DeviceRememberedStatus); err != nil {
		return nil, err
	}
	return &cognitoidp.UpdateDeviceStatusResponse{}, nil
}
