package identitypool

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// identitiesTokenPrefix marks ListIdentities page tokens (bound to the pool
// and the HideDisabled choice they were issued for).
const identitiesTokenPrefix = "cogito-identities-1\x00"

// ListIdentities pages through a pool's identities by id; MaxResults (1–60)
// is required; HideDisabled leaves out disabled (merged, unlinked)
// identities.
func (s *Service) ListIdentities(ctx context.Context, in *cognitoidentity.ListIdentitiesInput) (*cognitoidentity.ListIdentitiesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.IdentityPoolId
	if _, err := Load(ctx, s.store, poolID); err != nil {
		return nil, err
	}
	scope := fmt.Sprintf("%s\x00%t\x00", poolID, in.HideDisabled)
	page := storage.Page{Limit: int(*in.MaxResults)}
	if in.NextToken != nil {
		b, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		tok, ok := strings.CutPrefix(string(b), identitiesTokenPrefix+scope)
		if err != nil || !ok || tok == "" {
			return nil, invalid(msgInvalidNextToken)
		}
		page.Token = tok
	}
	recs, next, err := s.identities.ListIdentities(ctx, poolID, in.HideDisabled, page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, invalid(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("identitypool: list identities of %s: %w", poolID, err)
	}
	out := &cognitoidentity.ListIdentitiesResponse{IdentityPoolId: ptr(poolID), Identities: []cognitoidentity.IdentityDescription{}}
	for _, i := range recs {
		out.Identities = append(out.Identities, describe(i))
	}
	if next != "" {
		out.NextToken = ptr(base64.RawURLEncoding.EncodeToString([]byte(identitiesTokenPrefix + scope + next)))
	}
	return out, nil
}
