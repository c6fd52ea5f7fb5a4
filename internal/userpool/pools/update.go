package pools

import (
	"context"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Update changes a pool's configuration for another resource family (the
// MFA family's SetUserPoolMfaConfig): fn edits the decoded document, which
// is stored again with the record's modification time set to now, as a
// compare-and-swap (fn may run more than once and must not call the store).
// It returns the document as stored. A missing pool is
// ResourceNotFoundException, a lost race ConcurrentModificationException,
// and a Cognito error from fn comes back as it is. fn must not change Id,
// Name or Arn.
func Update(ctx context.Context, store storage.PoolStore, poolID string, now time.Time, fn func(*cognitoidp.UserPoolType) error) (*cognitoidp.UserPoolType, error) {
	var out *cognitoidp.UserPoolType
	_, err := store.UpdatePool(ctx, poolID, func(p *storage.UserPool) error {
		up, err := Decode(p)
		if err != nil {
			return err
		}
		if err := fn(up); err != nil {
			return err
		}
		doc, err := encode(up)
		if err != nil {
			return err
		}
		p.Settings, p.UpdatedAt = doc, now
		out = up
		return nil
	})
	if err != nil {
		return nil, storeErr(err, poolID, "updating pool")
	}
	return out, nil
}
