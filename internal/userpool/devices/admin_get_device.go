package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminGetDevice shows any device of a user, remembered or not.
func (s *Service) AdminGetDevice(ctx context.Context, in *cognitoidp.AdminGetDeviceRequest) (*cognitoidp.AdminGetDeviceResponse, error) {
	o, err := s.admin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	d, err := s.get(ctx, o, api.Deref(in.DeviceKey))
	if err != nil {
		return nil, err
	}
	out := d.render(o.pool, o.user)
	return &cognitoidp.AdminGetDeviceResponse{Device: &out}, nil
}
