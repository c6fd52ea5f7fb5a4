package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// GetDevice shows one of the signed-in user's remembered devices. A device
// the user has but does not remember is not shown ("Device does not
// exist.", as for an unknown key).
func (s *Service) GetDevice(ctx context.Context, in *cognitoidp.GetDeviceRequest) (*cognitoidp.GetDeviceResponse, error) {
	o, err := s.caller(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	d, err := s.get(ctx, o, api.Deref(in.DeviceKey))
	if err != nil {
		return nil, err
	}
	if !d.remembered() {
		return nil, deviceNotFound()
	}
	out := d.render(o.pool, o.user)
	return &cognitoidp.GetDeviceResponse{Device: &out}, nil
}
