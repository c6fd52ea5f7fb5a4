package pools

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
)

// GetSigningCertificate returns the pool's signing certificate: a base64
// DER X.509 certificate of its active ID-token key.
func (s *Service) GetSigningCertificate(ctx context.Context, in *cognitoidp.GetSigningCertificateRequest) (*cognitoidp.GetSigningCertificateResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := s.getPool(ctx, poolID); err != nil {
		return nil, err
	}
	if s.keys == nil {
		return nil, errors.New("pools: no key manager configured")
	}
	cert, err := s.keys.SigningCertificate(ctx, poolID)
	if errors.Is(err, keys.ErrNoKey) {
		// A pool whose keys were never made (or were lost): make them now.
		if err := s.keys.CreatePoolKeys(ctx, poolID); err != nil {
			return nil, fmt.Errorf("pools: creating signing keys of pool %s: %w", poolID, err)
		}
		cert, err = s.keys.SigningCertificate(ctx, poolID)
	}
	if err != nil {
		return nil, fmt.Errorf("pools: signing certificate of pool %s: %w", poolID, err)
	}
	return &cognitoidp.GetSigningCertificateResponse{Certificate: api.Ptr(cert)}, nil
}
