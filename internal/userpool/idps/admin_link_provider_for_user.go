package idps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// AdminLinkProviderForUser links an external identity that has not signed in
// yet (SourceUser) to an existing user (DestinationUser): when that identity
// signs in through its provider, it signs in as the destination user. The
// identity is added to the destination user's identities attribute.
func (s *Service) AdminLinkProviderForUser(ctx context.Context, in *cognitoidp.AdminLinkProviderForUserRequest) (*cognitoidp.AdminLinkProviderForUserResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	up, err := pools.Load(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	schema := attrs.FromPool(up)
	dst, src := in.DestinationUser, in.SourceUser
	for _, m := range []struct {
		v    *string
		name string
	}{
		{dst.ProviderName, "DestinationUser.ProviderName"}, {dst.ProviderAttributeValue, "DestinationUser.ProviderAttributeValue"},
		{src.ProviderName, "SourceUser.ProviderName"}, {src.ProviderAttributeName, "SourceUser.ProviderAttributeName"},
		{src.ProviderAttributeValue, "SourceUser.ProviderAttributeValue"},
	} {
		if api.Deref(m.v) == "" {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingMember, m.name))
		}
	}
	srcProvider, attr, value := *src.ProviderName, *src.ProviderAttributeName, *src.ProviderAttributeValue
	if isCognito(srcProvider) {
		return nil, cognitoidp.NewInvalidParameterException(msgSourceIsCognito)
	}
	idp, err := s.provider(ctx, poolID, srcProvider)
	if err != nil {
		return nil, err
	}
	if err := checkSourceAttribute(idp, attr); err != nil {
		return nil, err
	}
	user, err := s.destination(ctx, schema, *dst.ProviderName, *dst.ProviderAttributeValue)
	if err != nil {
		return nil, err
	}
	// The source must not have signed in already (a federated user of it exists).
	if attr == CognitoSubject {
		fed, err := s.store.GetUser(ctx, poolID, schema.Key(srcProvider+"_"+value))
		switch {
		case err == nil && fed.Key == user.Key:
			return nil, cognitoidp.NewInvalidParameterException(msgSameUser)
		case err == nil:
			return nil, cognitoidp.NewInvalidParameterException(msgSourceUsed)
		case !errors.Is(err, storage.ErrNotFound):
			return nil, fmt.Errorf("idps: reading a federated user of %s: %w", poolID, err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(user.Attributes)) {
		if d, ok := schema.Def(name); ok && !d.Mutable && user.Attributes[name] != "" && name != attrs.Sub && name != attrs.Identities {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgImmutableAttribute, name))
		}
	}

	linked, err := s.linkedTo(ctx, poolID, srcProvider, attr, value)
	if err != nil {
		return nil, err
	}
	switch {
	case linked == user.Key:
		return &cognitoidp.AdminLinkProviderForUserResponse{}, nil
	case linked != "":
		return nil, cognitoidp.NewAliasExistsException(msgLinkedElsewhere)
	}
	n, err := s.store.CountResources(ctx, poolID, kindLink, user.Key)
	if err != nil {
		return nil, fmt.Errorf("idps: counting links of a user of %s: %w", poolID, err)
	}
	if n >= MaxLinksPerUser {
		return nil, cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooManyLinks, MaxLinksPerUser))
	}
	now := s.clock.Now()
	doc, _ := json.Marshal(linkDoc{ProviderName: srcProvider, ProviderType: string(*idp.ProviderType), AttributeName: attr, AttributeValue: value})
	err = s.store.CreateResource(ctx, &storage.Resource{PoolID: poolID, Kind: kindLink, ID: linkID(srcProvider, attr, value),
		Owner: user.Key, LookupKey: linkKey(poolID, srcProvider, attr, value), Settings: doc, CreatedAt: now, UpdatedAt: now})
	switch {
	case errors.Is(err, storage.ErrAlreadyExists): // a concurrent link won
		if linked, lerr := s.linkedTo(ctx, poolID, srcProvider, attr, value); lerr == nil && linked == user.Key {
			return &cognitoidp.AdminLinkProviderForUserResponse{}, nil
		}
		return nil, cognitoidp.NewAliasExistsException(msgLinkedElsewhere)
	case errors.Is(err, storage.ErrNotFound): // the user went away meanwhile
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	case err != nil:
		return nil, fmt.Errorf("idps: linking a user of %s: %w", poolID, err)
	}
	identity := Identity{UserID: value, ProviderName: srcProvider, ProviderType: string(*idp.ProviderType), DateCreated: now}
	_, err = s.store.UpdateUser(ctx, poolID, user.Key, func(u *storage.User) error {
		if u.Attributes == nil {
			u.Attributes = map[string]string{}
		}
		u.Attributes[attrs.Identities] = AddIdentity(u.Attributes[attrs.Identities], identity)
		u.UpdatedAt = now
		return nil
	})
	if err != nil {
		// Keep the link and the user consistent: no link without its identity.
		_ = s.store.DeleteResource(ctx, poolID, kindLink, linkID(srcProvider, attr, value))
		if errors.Is(err, storage.ErrNotFound) {
			return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
		}
		return nil, fmt.Errorf("idps: recording a linked identity in %s: %w", poolID, err)
	}
	s.log.InfoContext(ctx, "provider linked to user", "pool", poolID, "provider", srcProvider)
	return &cognitoidp.AdminLinkProviderForUserResponse{}, nil
}

// provider loads a pool's provider for a link request, answering
// InvalidParameterException when the pool has none of that name.
func (s *Service) provider(ctx context.Context, poolID, name string) (*cognitoidp.IdentityProviderType, error) {
	p, err := Load(ctx, s.store, poolID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgProviderNotFound, name, poolID))
	}
	if err != nil {
		return nil, fmt.Errorf("idps: reading provider %q of %s: %w", name, poolID, err)
	}
	return p, nil
}

// checkSourceAttribute: social providers link on Cognito_Subject only; OIDC
// and SAML providers also on a user-pool attribute their mapping fills.
func checkSourceAttribute(p *cognitoidp.IdentityProviderType, attr string) error {
	if attr == CognitoSubject {
		return nil
	}
	if slices.Contains(socialTypes, *p.ProviderType) {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgSocialAttribute, *p.ProviderName))
	}
	if _, ok := p.AttributeMapping[attr]; !ok || attr == "username" {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgUnmappedAttribute, attr, *p.ProviderName))
	}
	return nil
}

// destination finds the destination user: a local user by any name Cognito
// accepts (ProviderName "Cognito"), or the federated user of a provider's
// user id.
func (s *Service) destination(ctx context.Context, schema *attrs.Schema, provider, value string) (*storage.User, error) {
	var u *storage.User
	var err error
	if isCognito(provider) {
		u, err = schema.Lookup(ctx, s.store, value)
	} else {
		if _, perr := s.provider(ctx, schema.PoolID, provider); perr != nil {
			return nil, perr
		}
		u, err = s.store.GetUser(ctx, schema.PoolID, schema.Key(provider+"_"+value))
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewUserNotFoundException(msgUserNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("idps: finding a user of %s: %w", schema.PoolID, err)
	}
	return u, nil
}

// linkedTo returns the key of the user an identity is linked to, or "".
func (s *Service) linkedTo(ctx context.Context, poolID, provider, attr, value string) (string, error) {
	l, err := FindLinkByAttribute(ctx, s.store, poolID, provider, attr, value)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("idps: finding a link in %s: %w", poolID, err)
	}
	return l.UserKey, nil
}
