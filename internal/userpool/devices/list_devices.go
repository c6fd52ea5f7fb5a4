package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// ListDevices lists the signed-in user's remembered devices (Amplify's
// fetchDevices asks for 60), in pages of Limit with a PaginationToken.
func (s *Service) ListDevices(ctx context.Context, in *cognitoidp.ListDevicesRequest) (*cognitoidp.ListDevicesResponse, error) {
	o, err := s.caller(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	out, next, err := s.list(ctx, o, "user", in.Limit, in.PaginationToken, (*device).remembered)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.ListDevicesResponse{Devices: out, PaginationToken: next}, nil
}
