package branding

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// GetUICustomization answers the UI customization that applies to an app
// client (its own, else the pool's) or to the pool, or an empty object.
func (s *Service) GetUICustomization(ctx context.Context, in *cognitoidp.GetUICustomizationRequest) (*cognitoidp.GetUICustomizationResponse, error) {
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
	r, doc, err := effective(ctx, s.store, poolID, clientID)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return &cognitoidp.GetUICustomizationResponse{UICustomization: &cognitoidp.UICustomizationType{}}, nil
	}
	return &cognitoidp.GetUICustomizationResponse{UICustomization: s.uiType(r, doc)}, nil
}

// UI is the hosted UI (classic) customization that applies to an app client.
type UI struct {
	// ClientID is whose customization it is: the client's id or ALL.
	ClientID string
	// CSS is the CSS as set; HostedCSS what the hosted pages apply of it.
	CSS, HostedCSS string
	// Logo and LogoType ("image/png", "image/jpeg") are the logo, if any;
	// LogoPath is where Cogito serves it.
	Logo     []byte
	LogoType string
	LogoPath string
}

// Effective returns the UI customization that applies to clientID (ALL for
// the pool): the client's own, else the pool's, else nil.
func Effective(ctx context.Context, store storage.ResourceStore, poolID, clientID string) (*UI, error) {
	r, doc, err := effective(ctx, store, poolID, clientID)
	if err != nil || r == nil {
		return nil, err
	}
	ui := &UI{ClientID: r.ID, Logo: doc.Image, LogoType: doc.ImageType}
	if doc.CSS != nil {
		ui.CSS = *doc.CSS
		ui.HostedCSS = HostedCSS(ui.CSS)
	}
	if len(doc.Image) > 0 {
		ui.LogoPath = LogoPath(poolID, r.ID)
	}
	return ui, nil
}

func effective(ctx context.Context, store storage.ResourceStore, poolID, clientID string) (*storage.Resource, *uiDoc, error) {
	ids := []string{clientID}
	if clientID != ALL {
		ids = append(ids, ALL)
	}
	for _, id := range ids {
		r, doc, err := loadUI(ctx, store, poolID, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		return r, doc, err
	}
	return nil, nil, nil
}

func loadUI(ctx context.Context, store storage.ResourceStore, poolID, id string) (*storage.Resource, *uiDoc, error) {
	r, err := store.GetResource(ctx, poolID, kindUI, id)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("branding: reading the UI customization of %s/%s: %w", poolID, id, err)
	}
	doc := new(uiDoc)
	if err := json.Unmarshal(r.Settings, doc); err != nil {
		return nil, nil, fmt.Errorf("branding: decoding the UI customization of %s/%s: %w", poolID, id, err)
	}
	return r, doc, nil
}
