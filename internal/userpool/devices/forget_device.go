package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// ForgetDevice deletes one of the signed-in user's devices; the refresh
// tokens issued to it stop working (see RefreshAllowed) and its key signs in
// no more ("Device does not exist.").
func (s *Service) ForgetDevice(ctx context.Context, in *cognitoidp.ForgetDeviceRequest) (*api.Empty, error) {
	o, err := s.caller(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.forget(ctx, o, api.Deref(in.DeviceKey)); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}
