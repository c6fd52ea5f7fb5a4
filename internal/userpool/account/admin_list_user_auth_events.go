package account

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// AdminListUserAuthEvents lists a user's auth events, newest first, in pages
// of MaxResults (60 when 0 or absent). The pool must have threat protection.
func (s *Service) AdminListUserAuthEvents(ctx context.Context, in *cognitoidp.AdminListUserAuthEventsRequest) (*cognitoidp.AdminListUserAuthEventsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := api.Deref(in.UserPoolId)
	_, _, u, err := s.findUser(ctx, poolID, api.Deref(in.Username), requireThreatProtection)
	if err != nil {
		return nil, err
	}
	page := storage.Page{Limit: int(api.Deref(in.MaxResults))}
	if page.Limit <= 0 {
		page.Limit = defaultEventsPage
	}
	if in.NextToken != nil {
		inner, ok := decodeNextToken(u, *in.NextToken)
		if !ok {
			return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
		}
		page.Token = inner
	}
	events, next, err := s.store.ListAuthEvents(ctx, u.PoolID, u.Key, page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidNextToken)
	}
	if err != nil {
		return nil, fmt.Errorf("account: listing auth events of a user of pool %s: %w", poolID, err)
	}
	out := &cognitoidp.AdminListUserAuthEventsResponse{AuthEvents: make([]cognitoidp.AuthEventType, 0, len(events))}
	for _, e := range events {
		r, err := renderEvent(e)
		if err != nil {
			return nil, err
		}
		out.AuthEvents = append(out.AuthEvents, r)
	}
	if next != "" {
		out.NextToken = api.Ptr(encodeNextToken(u, next))
	}
	return out, nil
}

// NextToken wraps the store's page token with the pool and user it lists, so
// a token is only good for the listing that issued it.
func encodeNextToken(u *storage.User, storeToken string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(u.PoolID + "\n" + u.Sub + "\n" + storeToken))
}

func decodeNextToken(u *storage.User, tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	parts := strings.SplitN(string(b), "\n", 3)
	if len(parts) != 3 || parts[0] != u.PoolID || parts[1] != u.Sub || parts[2] == "" {
		return "", false
	}
	return parts[2], true
}
