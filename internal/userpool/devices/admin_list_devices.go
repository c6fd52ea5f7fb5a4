package devices

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminListDevices lists every device of a user, remembered or not, in
// pages of Limit with a PaginationToken.
func (s *Service) AdminListDevices(ctx context.Context, in *cognitoidp.AdminListDevicesRequest) (*cognitoidp.AdminListDevicesResponse, error) {
	o, err := s.admin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	out, next, err := s.list(ctx, o, "admin", in.Limit, in.PaginationToken, func(*device) bool { return true })
	if err != nil {
		return nil, err
	}
	return &cognitoidp.AdminListDevicesResponse{Devices: out, PaginationToken: next}, nil
}
