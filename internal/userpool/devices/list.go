package devices

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pagetoken"
)

// list pages through the owner's devices in device-key order, keeping those
// keep accepts: up to limit of them from the position token names, and the
// token of the next page ("" at the end). scope names the listing, so a
// token is good only for the listing that issued it.
func (s *Service) list(ctx context.Context, o *owner, scope string, limitIn *int32, token *string, keep func(*device) bool) ([]cognitoidp.DeviceType, *string, error) {
	limit, err := pageLimit(limitIn)
	if err != nil {
		return nil, nil, err
	}
	scopes := []string{scope, o.poolID(), o.user.Key}
	p := storage.Page{}
	if token != nil {
		if p.Token, err = decodeToken(scopes, *token); err != nil {
			return nil, nil, err
		}
	}
	out := []cognitoidp.DeviceType{}
	for {
		// Ask only for as many as are still wanted, so every record read is
		// either shown or skipped and the store's token is exactly where the
		// next page starts.
		p.Limit = limit - len(out)
		rs, next, err := s.store.ListResources(ctx, o.poolID(), Kind, o.user.Key, p)
		if errors.Is(err, storage.ErrInvalidPageToken) {
			return nil, nil, cognitoidp.NewInvalidParameterException(msgInvalidPaginationToken)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("devices: listing devices of pool %s: %w", o.poolID(), err)
		}
		for _, r := range rs {
			d, err := decode(r)
			if err != nil {
				return nil, nil, err
			}
			if keep(d) {
				out = append(out, d.render(o.pool, o.user))
			}
		}
		if next == "" {
			return out, nil, nil
		}
		if len(out) >= limit {
			return out, api.Ptr(encodeToken(scopes, next)), nil
		}
		p.Token = next
	}
}

// pageLimit is the page size for a request's Limit (the model's range 0–60
// is checked by Validate).
func pageLimit(limit *int32) (int, error) {
	switch {
	case limit == nil:
		return DefaultListLimit, nil
	case *limit == 0 && limitZeroMeansDefault:
		return DefaultListLimit, nil
	case *limit <= 0:
		return 0, cognitoidp.NewInvalidParameterException(msgLimitZero)
	}
	return int(*limit), nil
}

// Pagination tokens wrap the store's token with the listing they belong to.
const tokenVersion = "cogito-devices-1"

func encodeToken(scopes []string, storeToken string) string {
	return pagetoken.Wrap(tokenVersion, scopes, storeToken)
}

func decodeToken(scopes []string, tok string) (string, error) {
	inner, ok := pagetoken.Unwrap(tokenVersion, scopes, tok)
	if !ok {
		return "", cognitoidp.NewInvalidParameterException(msgInvalidPaginationToken)
	}
	return inner, nil
}
