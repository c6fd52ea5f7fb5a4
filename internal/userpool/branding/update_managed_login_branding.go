package branding

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UpdateManagedLoginBranding changes a style. UseCognitoProvidedValues
// reverts it to the defaults; otherwise the given settings are merged into
// the style's and the given assets replace those of the same category and
// color mode, as Cognito "preserves existing style settings that you don't
// specify".
func (s *Service) UpdateManagedLoginBranding(ctx context.Context, in *cognitoidp.UpdateManagedLoginBrandingRequest) (*cognitoidp.UpdateManagedLoginBrandingResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if api.Deref(in.UserPoolId) == "" {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingMember, "UserPoolId"))
	}
	if api.Deref(in.ManagedLoginBrandingId) == "" {
		return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMissingMember, "ManagedLoginBrandingId"))
	}
	poolID, id := *in.UserPoolId, *in.ManagedLoginBrandingId
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if err := checkStyleInput(in.UseCognitoProvidedValues, in.Settings, in.Assets); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var doc *styleDoc
	r, err := s.store.UpdateResource(ctx, poolID, kindStyle, id, func(r *storage.Resource) error {
		cur, err := decodeStyle(r)
		if err != nil {
			return err
		}
		if in.UseCognitoProvidedValues {
			cur.UseCognitoProvidedValues, cur.Settings, cur.Assets = true, nil, nil
		} else {
			cur.UseCognitoProvidedValues = false
			if present(in.Settings) {
				if cur.Settings, err = mergeSettings(cur.Settings, json.RawMessage(in.Settings)); err != nil {
					return err
				}
			}
			if len(in.Assets) > 0 {
				cur.Assets = mergeAssets(cur.Assets, in.Assets)
			}
		}
		if r.Settings, err = json.Marshal(cur); err != nil {
			return fmt.Errorf("branding: encoding a style: %w", err)
		}
		r.UpdatedAt, doc = now, cur
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgBrandingNotFound, id))
	}
	if err != nil {
		return nil, fmt.Errorf("branding: updating style %s of %s: %w", id, poolID, err)
	}
	out, err := styleType(r, doc, false)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.UpdateManagedLoginBrandingResponse{ManagedLoginBranding: out}, nil
}
