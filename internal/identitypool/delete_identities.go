package identitypool

import (
	"context"
	"errors"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// DeleteIdentities deletes up to 60 identities with their logins. An id
// that names no identity is skipped; one that could not be deleted is
// reported in UnprocessedIdentityIds.
func (s *Service) DeleteIdentities(ctx context.Context, in *cognitoidentity.DeleteIdentitiesInput) (*cognitoidentity.DeleteIdentitiesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	out := &cognitoidentity.DeleteIdentitiesResponse{UnprocessedIdentityIds: []cognitoidentity.UnprocessedIdentityId{}}
	for _, id := range in.IdentityIdsToDelete {
		err := s.identities.DeleteIdentity(ctx, id)
		if err == nil || errors.Is(err, storage.ErrNotFound) {
			continue
		}
		s.log.ErrorContext(ctx, "deleting an identity", "identity", id, "err", err)
		out.UnprocessedIdentityIds = append(out.UnprocessedIdentityIds, cognitoidentity.UnprocessedIdentityId{
			IdentityId: ptr(id), ErrorCode: ptr(cognitoidentity.ErrorCodeInternalServerError),
		})
	}
	return out, nil
}
