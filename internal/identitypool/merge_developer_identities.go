package identitypool

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// MergeDeveloperIdentities merges the identity of SourceUserIdentifier into
// the identity of DestinationUserIdentifier (both of the pool's developer
// provider): the source's logins move, the source identity becomes disabled.
// A source user not yet registered is linked to the destination.
func (s *Service) MergeDeveloperIdentities(ctx context.Context, in *cognitoidentity.MergeDeveloperIdentitiesInput) (*cognitoidentity.MergeDeveloperIdentitiesResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	dev := p.Settings.DeveloperProviderName
	if dev == "" || *in.DeveloperProviderName != dev {
		return nil, invalid(msgDeveloperProviderMismatch, *in.DeveloperProviderName)
	}
	srcLogin := storage.IdentityLogin{Provider: dev, Subject: *in.SourceUserIdentifier}
	dstLogin := storage.IdentityLogin{Provider: dev, Subject: *in.DestinationUserIdentifier}
	for range linkAttempts {
		dst, err := s.identities.FindIdentityByLogin(ctx, p.Record.ID, dstLogin)
		if errors.Is(err, storage.ErrNotFound) {
			return nil, cognitoidentity.NewResourceNotFoundException(fmt.Sprintf(msgDeveloperUserNotFound, dstLogin.Subject))
		}
		if err != nil {
			return nil, fmt.Errorf("identitypool: find developer user: %w", err)
		}
		m := &storage.IdentityMerge{Into: dst, Now: s.clock.Now()}
		src, err := s.identities.FindIdentityByLogin(ctx, p.Record.ID, srcLogin)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			m.Add = []storage.IdentityLogin{srcLogin}
		case err != nil:
			return nil, fmt.Errorf("identitypool: find developer user: %w", err)
		case src.ID == dst.ID:
			return &cognitoidentity.MergeDeveloperIdentitiesResponse{IdentityId: ptr(dst.ID)}, nil
		default:
			m.From = []*storage.Identity{src}
		}
		if err := checkMerge(dst, m.From, m.Add, dev); err != nil {
			return nil, err
		}
		out, err := s.identities.MergeIdentities(ctx, m)
		var ce *storage.ConflictError
		if errors.As(err, &ce) || errors.Is(err, storage.ErrAlreadyExists) || errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("identitypool: merge developer identities: %w", err)
		}
		return &cognitoidentity.MergeDeveloperIdentitiesResponse{IdentityId: ptr(out.ID)}, nil
	}
	return nil, cognitoidentity.NewConcurrentModificationException(msgConcurrentLinking)
}
