package branding

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/domains"
)

// uiDoc is the stored document of a UI customization.
type uiDoc struct {
	CSS        *string `json:"CSS,omitempty"`
	CSSVersion string  `json:"CSSVersion"`
	Image      []byte  `json:"Image,omitempty"`
	ImageType  string  `json:"ImageType,omitempty"` // image/png or image/jpeg
}

// SetUICustomization sets the hosted UI (classic) CSS and logo of an app
// client, or of the pool (ClientId ALL or absent). Both are replaced: what
// the request omits is removed.
func (s *Service) SetUICustomization(ctx context.Context, in *cognitoidp.SetUICustomizationRequest) (*cognitoidp.SetUICustomizationResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, clientID := *in.UserPoolId, uiClient(in.ClientId)
	if err := s.checkPool(ctx, poolID); err != nil {
		return nil, err
	}
	if clientID != ALL {
		if err := s.checkClient(ctx, poolID, clientID); err != nil {
			return nil, err
		}
	}
	if ds, err := domains.ForPool(ctx, s.store, poolID); err != nil {
		return nil, err
	} else if len(ds) == 0 {
		return nil, cognitoidp.NewInvalidParameterException(msgNoDomain)
	}
	if in.CSS != nil {
		if _, err := parseCSS(*in.CSS); err != nil {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgCSSInvalid, err))
		}
	}
	now := s.clock.Now()
	doc := uiDoc{CSS: in.CSS, CSSVersion: now.UTC().Format("20060102150405")}
	if len(in.ImageFile) > 0 {
		if len(in.ImageFile) > maxLogoBytes {
			return nil, cognitoidp.NewInvalidParameterException(msgImageTooLarge)
		}
		if doc.ImageType = imageType(in.ImageFile); doc.ImageType == "" {
			return nil, cognitoidp.NewInvalidParameterException(msgImageType)
		}
		doc.Image = bytes.Clone(in.ImageFile)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("branding: encoding a UI customization: %w", err)
	}
	r, err := s.store.UpdateResource(ctx, poolID, kindUI, clientID, func(r *storage.Resource) error {
		r.Settings, r.UpdatedAt = b, now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		r = &storage.Resource{PoolID: poolID, Kind: kindUI, ID: clientID, Settings: b, CreatedAt: now, UpdatedAt: now}
		err = s.store.CreateResource(ctx, r)
		if errors.Is(err, storage.ErrAlreadyExists) { // a concurrent first Set: ours is the newer
			r, err = s.store.UpdateResource(ctx, poolID, kindUI, clientID, func(r *storage.Resource) error {
				r.Settings, r.UpdatedAt = b, now
				return nil
			})
		}
		if errors.Is(err, storage.ErrNotFound) {
			return nil, s.checkPool(ctx, poolID)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("branding: storing the UI customization of %s/%s: %w", poolID, clientID, err)
	}
	return &cognitoidp.SetUICustomizationResponse{UICustomization: s.uiType(r, &doc)}, nil
}

// imageType recognises PNG and JPEG files by their signature.
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	}
	return ""
}

// LogoPath is the path Cogito serves a UI customization's logo on.
func LogoPath(poolID, clientID string) string {
	return "/_cogito/ui/" + url.PathEscape(poolID) + "/" + url.PathEscape(clientID) + "/logo"
}

// uiType renders a stored UI customization as the API shows it.
func (s *Service) uiType(r *storage.Resource, doc *uiDoc) *cognitoidp.UICustomizationType {
	out := &cognitoidp.UICustomizationType{
		UserPoolId: api.Ptr(r.PoolID), ClientId: api.Ptr(r.ID),
		CSS: doc.CSS, CSSVersion: api.Ptr(doc.CSSVersion),
		CreationDate: api.NewTime(r.CreatedAt), LastModifiedDate: api.NewTime(r.UpdatedAt),
	}
	if len(doc.Image) > 0 {
		out.ImageUrl = api.Ptr(s.baseURL + LogoPath(r.PoolID, r.ID))
	}
	return out
}
