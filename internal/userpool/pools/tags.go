package pools

import (
	"context"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
)

// poolFromARN returns the id of the existing pool an ARN names. A string
// that is not a user pool ARN is InvalidParameterException; a pool ARN of
// another region, account or partition, or of no pool, is
// ResourceNotFoundException.
func (s *Service) poolFromARN(ctx context.Context, arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	invalid := cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgInvalidARN, arn))
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "cognito-idp" {
		return "", invalid
	}
	poolID, ok := strings.CutPrefix(parts[5], "userpool/")
	if !ok || !ids.ValidUserPoolID(poolID) {
		return "", invalid
	}
	if parts[1] != partition(s.region) || parts[3] != s.region || parts[4] != s.accountID {
		return "", notFound(poolID)
	}
	if _, err := s.getPool(ctx, poolID); err != nil {
		return "", err
	}
	return poolID, nil
}
