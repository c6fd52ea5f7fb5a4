package identitypool

import (
	"context"
	"strings"

	"github.com/cogito-dev/cogito/internal/ids"
)

// poolFromARN returns the id of the existing pool an ARN names. A string that
// is not an identity pool ARN is InvalidParameterException; an ARN of another
// partition, region or account, or of no pool, is ResourceNotFoundException.
func (s *Service) poolFromARN(ctx context.Context, arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "cognito-identity" {
		return "", invalid(msgInvalidARN, arn)
	}
	id, ok := strings.CutPrefix(parts[5], "identitypool/")
	if !ok || !ids.ValidIdentityPoolID(id) {
		return "", invalid(msgInvalidARN, arn)
	}
	if parts[1] != partition(s.region) || parts[3] != s.region || parts[4] != s.accountID {
		return "", notFound(id)
	}
	if _, err := Load(ctx, s.store, id); err != nil {
		return "", err
	}
	return id, nil
}
