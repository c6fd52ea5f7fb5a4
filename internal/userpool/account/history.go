package account

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// SignInRecord is one past sign-in of a user, as threat protection weighs it.
type SignInRecord struct {
	Time    time.Time
	Success bool
	IP      string
}

// SignInHistory returns up to limit of the user's most recent sign-in
// events, newest first (only pools with threat protection keep them).
func (s *Service) SignInHistory(ctx context.Context, poolID, userKey string, limit int) ([]SignInRecord, error) {
	evs, _, err := s.store.ListAuthEvents(ctx, poolID, userKey, storage.Page{Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("account: reading the sign-in history of a user of pool %s: %w", poolID, err)
	}
	out := make([]SignInRecord, 0, len(evs))
	for _, e := range evs {
		if e.EventType != string(cognitoidp.EventTypeSignin) || e.EventResponse == string(cognitoidp.EventResponseTypeInprogress) {
			continue
		}
		r := SignInRecord{Time: e.CreatedAt, Success: e.EventResponse == string(cognitoidp.EventResponseTypePass)}
		var d eventData
		if len(e.Data) > 0 && json.Unmarshal(e.Data, &d) == nil && d.Context != nil {
			r.IP = api.Deref(d.Context.IpAddress)
		}
		out = append(out, r)
	}
	return out, nil
}
