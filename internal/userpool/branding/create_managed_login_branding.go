package branding

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// CreateManagedLoginBranding creates the managed login branding style of an
// app client: Cognito's defaults (UseCognitoProvidedValues) or the given
// settings and assets. A client has at most one style.
func (s *Service) CreateManagedLoginBranding(ctx context.Context, in *cognitoidp.CreateManagedLoginBrandingRequest) (*cognitoidp.CreateManagedLoginBrandingResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, clientID := *in.UserPoolId, *in.ClientId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if err := s.checkClient(ctx, poolID, clientID); err != nil {
		return nil, err
	}
	if err := checkStyleInput(in.UseCognitoProvidedValues, in.Settings, in.Assets); err != nil {
		return nil, err
	}
	exists := cognitoidp.NewManagedLoginBrandingExistsException(fmt.Sprintf(msgBrandingExists, clientID))
	if _, err := s.store.FindResource(ctx, kindStyle, styleKey(poolID, clientID)); err == nil {
		return nil, exists
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("branding: finding the style of %s/%s: %w", poolID, clientID, err)
	}
	doc := &styleDoc{ClientID: clientID, UseCognitoProvidedValues: in.UseCognitoProvidedValues}
	if present(in.Settings) {
		doc.Settings = bytes.Clone(in.Settings)
	}
	doc.Assets = mergeAssets(nil, in.Assets)
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("branding: encoding a style: %w", err)
	}
	now := s.clock.Now()
	r := &storage.Resource{PoolID: poolID, Kind: kindStyle, ID: uuid.NewString(), LookupKey: styleKey(poolID, clientID),
		Settings: b, CreatedAt: now, UpdatedAt: now}
	switch err := s.store.CreateResource(ctx, r); {
	case errors.Is(err, storage.ErrAlreadyExists):
		return nil, exists
	case errors.Is(err, storage.ErrNotFound):
		return nil, s.checkPool(ctx, poolID)
	case err != nil:
		return nil, fmt.Errorf("branding: creating the style of %s/%s: %w", poolID, clientID, err)
	}
	out, err := styleType(r, doc, false)
	if err != nil {
		return nil, err
	}
	s.log.DebugContext(ctx, "managed login branding created", "pool", poolID, "client", clientID, "id", r.ID)
	return &cognitoidp.CreateManagedLoginBrandingResponse{ManagedLoginBranding: out}, nil
}
