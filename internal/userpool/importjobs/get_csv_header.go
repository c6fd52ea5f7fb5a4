package importjobs

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// The columns Cognito adds to the pool's attributes.
const (
	ColumnUsername   = "cognito:username"
	ColumnMFAEnabled = "cognito:mfa_enabled"
	// ColumnPasswordHash is the extra column of a job created with a
	// PasswordHashingAlgorithm: the user's password hash, in the encodings
	// password.NewImported reads; empty for a user without one (unverified:
	// Cognito's column name is not documented where we could read it).
	ColumnPasswordHash = "cognito:password_hash"
)

// GetCSVHeader returns the header row of the pool's import file.
func (s *Service) GetCSVHeader(ctx context.Context, in *cognitoidp.GetCSVHeaderRequest) (*cognitoidp.GetCSVHeaderResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	up, err := s.loadPool(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.GetCSVHeaderResponse{
		UserPoolId: api.Ptr(*in.UserPoolId),
		CSVHeader:  CSVHeader(attrs.FromPool(up)),
	}, nil
}

// CSVHeader is the header of a pool's import file: its schema attributes in
// schema order but sub and identities, then cognito:mfa_enabled and
// cognito:username.
func CSVHeader(schema *attrs.Schema) []string {
	var out []string
	for _, name := range schema.Names() {
		if name == attrs.Sub || name == attrs.Identities {
			continue
		}
		out = append(out, name)
	}
	return append(out, ColumnMFAEnabled, ColumnUsername)
}
