package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Auth events
//
// An event is one row of auth_events, unique by (pool, user key, event id)
// and cascading from its user. seq, assigned at insertion, orders the events
// of one millisecond: a user's listing is newest first by (created_at, seq),
// and its page token is the last (created_at, seq) returned.

const eventColumns = `pool_id, user_key, event_id, event_type, event_response, created_at, data,
	feedback_value, feedback_provider, feedback_at`

// scanEvent scans the eventColumns, then extra.
func scanEvent(row interface{ Scan(...any) error }, extra ...any) (*storage.AuthEvent, error) {
	var (
		e          storage.AuthEvent
		created    int64
		feedbackAt sql.NullInt64
	)
	dest := append([]any{&e.PoolID, &e.UserKey, &e.EventID, &e.EventType, &e.EventResponse, &created, &e.Data,
		&e.FeedbackValue, &e.FeedbackProvider, &feedbackAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	e.CreatedAt = fromMillis(created)
	e.Data = unblob(e.Data)
	e.FeedbackAt = fromNullMillis(feedbackAt)
	return &e, nil
}

func cloneEvent(e *storage.AuthEvent) *storage.AuthEvent {
	c := *e
	c.Data = cloneBytes(e.Data)
	if e.FeedbackAt != nil {
		t := *e.FeedbackAt
		c.FeedbackAt = &t
	}
	return &c
}

func normEvent(e *storage.AuthEvent) {
	e.CreatedAt = normTime(e.CreatedAt)
	if e.FeedbackAt != nil {
		t := normTime(*e.FeedbackAt)
		e.FeedbackAt = &t
	}
}

// AddAuthEvent records e; storage.ErrAlreadyExists if the user already has an
// event with its id, storage.ErrNotFound if the user does not exist.
func (s *Store) AddAuthEvent(ctx context.Context, e *storage.AuthEvent) error {
	normEvent(e)
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx,
			`INSERT INTO auth_events (`+eventColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			e.PoolID, e.UserKey, e.EventID, e.EventType, e.EventResponse, toMillis(e.CreatedAt), blob(e.Data),
			e.FeedbackValue, e.FeedbackProvider, nullMillis(e.FeedbackAt))
		return s.wrap(err, "add auth event")
	})
}

// ListAuthEvents pages through the user's events newest first (by CreatedAt,
// then insertion, both descending). A user without events, or missing, has
// an empty listing.
func (s *Store) ListAuthEvents(ctx context.Context, poolID, userKey string, page storage.Page) ([]*storage.AuthEvent, string, error) {
	limit := pageLimit(page)
	var (
		rows *sql.Rows
		err  error
	)
	if page.Token == "" {
		rows, err = s.readRows(ctx,
			`SELECT `+eventColumns+`, seq FROM auth_events WHERE pool_id = $1 AND user_key = $2
			 ORDER BY created_at DESC, seq DESC LIMIT $3`, poolID, userKey, limit+1)
	} else {
		created, seq, derr := decodeEventToken(page.Token)
		if derr != nil {
			return nil, "", derr
		}
		rows, err = s.readRows(ctx,
			`SELECT `+eventColumns+`, seq FROM auth_events WHERE pool_id = $1 AND user_key = $2
			 AND (created_at, seq) < ($3, $4)
			 ORDER BY created_at DESC, seq DESC LIMIT $5`, poolID, userKey, created, seq, limit+1)
	}
	if err != nil {
		return nil, "", s.wrap(err, "list auth events")
	}
	defer rows.Close()
	events := []*storage.AuthEvent{}
	var seqs []int64
	for rows.Next() {
		var seq int64
		e, err := scanEvent(rows, &seq)
		if err != nil {
			return nil, "", s.wrap(err, "list auth events")
		}
		events = append(events, e)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.wrap(err, "list auth events")
	}
	if len(events) > limit {
		events = events[:limit]
		return events, encodeEventToken(toMillis(events[limit-1].CreatedAt), seqs[limit-1]), nil
	}
	return events, "", nil
}

// encodeEventToken is the page token of ListAuthEvents: the last (created_at, seq) returned.
func encodeEventToken(created, seq int64) string {
	b := binary.AppendVarint(nil, created)
	b = binary.AppendVarint(b, seq)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeEventToken(tok string) (created, seq int64, err error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, 0, ErrInvalidPageToken
	}
	created, n := binary.Varint(b)
	if n <= 0 {
		return 0, 0, ErrInvalidPageToken
	}
	seq, m := binary.Varint(b[n:])
	if m <= 0 || n+m != len(b) {
		return 0, 0, ErrInvalidPageToken
	}
	return created, seq, nil
}

// UpdateAuthEvent applies fn to the user's event in one write transaction
// that holds the row (SQLite's single writer; on PostgreSQL, SELECT ... FOR
// UPDATE), so concurrent updates apply one after the other and none is lost.
// fn may change everything but PoolID, UserKey, EventID and CreatedAt;
// storage.ErrSkip from fn writes nothing. storage.ErrNotFound if there is no
// such event.
func (s *Store) UpdateAuthEvent(ctx context.Context, poolID, userKey, eventID string, fn func(*storage.AuthEvent) error) (*storage.AuthEvent, error) {
	var out *storage.AuthEvent
	err := s.cas(ctx, "auth event", eventID, func(tx *sql.Tx) error {
		var seq int64
		cur, err := scanEvent(s.txQueryRow(ctx, tx,
			`SELECT `+eventColumns+`, seq FROM auth_events WHERE pool_id = $1 AND user_key = $2 AND event_id = $3`+s.d.forNoKeyUpdate,
			poolID, userKey, eventID), &seq)
		if err != nil {
			return s.wrap(err, "update auth event")
		}
		next := cloneEvent(cur)
		if err := fn(next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.PoolID, next.UserKey, next.EventID, next.CreatedAt = cur.PoolID, cur.UserKey, cur.EventID, cur.CreatedAt
		normEvent(next)
		res, err := s.txExec(ctx, tx,
			`UPDATE auth_events SET event_type = $1, event_response = $2, data = $3, feedback_value = $4,
			 feedback_provider = $5, feedback_at = $6 WHERE seq = $7`,
			next.EventType, next.EventResponse, blob(next.Data), next.FeedbackValue, next.FeedbackProvider,
			nullMillis(next.FeedbackAt), seq)
		if err != nil {
			return s.wrap(err, "update auth event")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update auth event")
		} else if n == 0 {
			return errCASLost // deleted meanwhile; the retry reports it missing
		}
		next.Data = unblob(next.Data)
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
