package branding

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// styleDoc is the stored document of a managed login branding style.
type styleDoc struct {
	ClientID                 string                 `json:"ClientId"`
	UseCognitoProvidedValues bool                   `json:"UseCognitoProvidedValues"`
	Settings                 json.RawMessage        `json:"Settings,omitempty"`
	Assets                   []cognitoidp.AssetType `json:"Assets,omitempty"`
}

func styleKey(poolID, clientID string) string { return poolID + "/" + clientID }

func decodeStyle(r *storage.Resource) (*styleDoc, error) {
	doc := new(styleDoc)
	if err := json.Unmarshal(r.Settings, doc); err != nil {
		return nil, fmt.Errorf("branding: decoding style %s of %s: %w", r.ID, r.PoolID, err)
	}
	return doc, nil
}

// styleType renders a stored style; merged adds Cogito's defaults under the
// style's own settings.
func styleType(r *storage.Resource, doc *styleDoc, merged bool) (*cognitoidp.ManagedLoginBrandingType, error) {
	out := &cognitoidp.ManagedLoginBrandingType{
		ManagedLoginBrandingId: api.Ptr(r.ID), UserPoolId: api.Ptr(r.PoolID),
		UseCognitoProvidedValues: doc.UseCognitoProvidedValues,
		Settings:                 bytes.Clone(doc.Settings),
		CreationDate:             api.NewTime(r.CreatedAt), LastModifiedDate: api.NewTime(r.UpdatedAt),
	}
	for _, a := range doc.Assets {
		out.Assets = append(out.Assets, *a.Clone())
	}
	if merged {
		s, err := mergeSettings(json.RawMessage(defaultSettings), doc.Settings)
		if err != nil {
			return nil, err
		}
		out.Settings = s
	}
	return out, nil
}

// StyleForClient returns the managed login branding style of an app client,
// with Cogito's defaults merged in when merged is true; storage.ErrNotFound
// when the client has none.
func StyleForClient(ctx context.Context, store storage.ResourceStore, poolID, clientID string, merged bool) (*cognitoidp.ManagedLoginBrandingType, error) {
	r, err := store.FindResource(ctx, kindStyle, styleKey(poolID, clientID))
	if err != nil {
		return nil, err
	}
	doc, err := decodeStyle(r)
	if err != nil {
		return nil, err
	}
	return styleType(r, doc, merged)
}

// present reports whether a Document was given (absent and JSON null are not).
func present(d api.Document) bool {
	t := bytes.TrimSpace(d)
	return len(t) > 0 && !bytes.Equal(t, []byte("null"))
}

// checkStyleInput applies the rules shared by create and update.
func checkStyleInput(useDefaults bool, settings api.Document, assets []cognitoidp.AssetType) error {
	if useDefaults && (present(settings) || len(assets) > 0) {
		return cognitoidp.NewInvalidParameterException(msgDefaultsWithValues)
	}
	if present(settings) {
		var obj map[string]any
		if err := json.Unmarshal(settings, &obj); err != nil || obj == nil {
			return cognitoidp.NewInvalidParameterException(msgSettingsNotObject)
		}
	}
	seen := map[[2]string]bool{}
	for _, a := range assets {
		k := [2]string{string(api.Deref(a.Category)), string(api.Deref(a.ColorMode))}
		if seen[k] {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDuplicateAsset, k[0], k[1]))
		}
		seen[k] = true
	}
	return nil
}

// mergeSettings merges over into base: objects member by member, recursively;
// anything else in over replaces base.
func mergeSettings(base, over json.RawMessage) (json.RawMessage, error) {
	if !present(over) {
		return bytes.Clone(base), nil
	}
	if !present(base) {
		return bytes.Clone(over), nil
	}
	var b, o any
	if err := json.Unmarshal(base, &b); err != nil {
		return nil, fmt.Errorf("branding: settings: %w", err)
	}
	if err := json.Unmarshal(over, &o); err != nil {
		return nil, fmt.Errorf("branding: settings: %w", err)
	}
	out, err := json.Marshal(mergeValues(b, o))
	if err != nil {
		return nil, fmt.Errorf("branding: settings: %w", err)
	}
	return out, nil
}

func mergeValues(base, over any) any {
	bm, ok1 := base.(map[string]any)
	om, ok2 := over.(map[string]any)
	if !ok1 || !ok2 {
		return over
	}
	for k, v := range om {
		bm[k] = mergeValues(bm[k], v)
	}
	return bm
}

// mergeAssets replaces the assets of base that over has a (Category,
// ColorMode) of, and adds the others.
func mergeAssets(base, over []cognitoidp.AssetType) []cognitoidp.AssetType {
	key := func(a cognitoidp.AssetType) [2]string {
		return [2]string{string(api.Deref(a.Category)), string(api.Deref(a.ColorMode))}
	}
	out := make([]cognitoidp.AssetType, 0, len(base)+len(over))
	for _, a := range base {
		replaced := false
		for _, n := range over {
			if key(n) == key(a) {
				replaced = true
			}
		}
		if !replaced {
			out = append(out, a)
		}
	}
	for _, n := range over {
		out = append(out, *n.Clone())
	}
	return out
}

// getStyle reads a pool's style by id or answers ResourceNotFoundException.
func (s *Service) getStyle(ctx context.Context, poolID, id string) (*storage.Resource, *styleDoc, error) {
	r, err := s.store.GetResource(ctx, poolID, kindStyle, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgBrandingNotFound, id))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("branding: reading style %s of %s: %w", id, poolID, err)
	}
	doc, err := decodeStyle(r)
	if err != nil {
		return nil, nil, err
	}
	return r, doc, nil
}
