package identitypool

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidentity"
	"github.com/cogito-dev/cogito/internal/storage"
)

// developerTokenPrefix marks LookupDeveloperIdentity page tokens.
const developerTokenPrefix = "cogito-devids-1\x00"

// LookupDeveloperIdentity finds the identity of a developer user identifier,
// or the developer user identifiers of an identity (paged by MaxResults);
// given both, they must belong together (ResourceConflictException).
func (s *Service) LookupDeveloperIdentity(ctx context.Context, in *cognitoidentity.LookupDeveloperIdentityInput) (*cognitoidentity.LookupDeveloperIdentityResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	identityID, userID := api.Deref(in.IdentityId), api.Deref(in.DeveloperUserIdentifier)
	if identityID == "" && userID == "" {
		return nil, invalid(msgLookupNeedsKey)
	}
	p, err := Load(ctx, s.store, *in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	dev := p.Settings.DeveloperProviderName
	if dev == "" {
		return nil, cognitoidentity.NewResourceNotFoundException(msgNoDeveloperProvider)
	}
	var i *storage.Identity
	if userID != "" {
		i, err = s.identities.FindIdentityByLogin(ctx, p.Record.ID, storage.IdentityLogin{Provider: dev, Subject: userID})
		if errors.Is(err, storage.ErrNotFound) {
			return nil, cognitoidentity.NewResourceNotFoundException(fmt.Sprintf(msgDeveloperUserNotFound, userID))
		}
		if err != nil {
			return nil, fmt.Errorf("identitypool: find developer user: %w", err)
		}
		if identityID != "" && i.ID != identityID {
			return nil, cognitoidentity.NewResourceConflictException(fmt.Sprintf(msgLookupMismatch, identityID, userID))
		}
	} else {
		if i, err = s.getIdentity(ctx, identityID); err != nil {
			return nil, err
		}
		if i.PoolID != p.Record.ID {
			return nil, identityNotFound(identityID)
		}
	}
	var userIDs []string
	for _, l := range i.Logins {
		if l.Provider == dev {
			userIDs = append(userIDs, l.Subject)
		}
	}
	sort.Strings(userIDs)
	if in.NextToken != nil {
		b, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		after, ok := strings.CutPrefix(string(b), developerTokenPrefix+i.ID+"\x00")
		if err != nil || !ok || after == "" {
			return nil, invalid(msgInvalidNextToken)
		}
		userIDs = userIDs[sort.SearchStrings(userIDs, after):]
		if len(userIDs) > 0 && userIDs[0] == after {
			userIDs = userIDs[1:]
		}
	}
	out := &cognitoidentity.LookupDeveloperIdentityResponse{IdentityId: ptr(i.ID), DeveloperUserIdentifierList: []string{}}
	limit := len(userIDs)
	if in.MaxResults != nil && int(*in.MaxResults) < limit {
		limit = int(*in.MaxResults)
		out.NextToken = ptr(base64.RawURLEncoding.EncodeToString([]byte(developerTokenPrefix + i.ID + "\x00" + userIDs[limit-1])))
	}
	out.DeveloperUserIdentifierList = append(out.DeveloperUserIdentifierList, userIDs[:limit]...)
	return out, nil
}
