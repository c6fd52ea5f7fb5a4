package sqlstore

import (
	"context"
	"crypto/rand"
	"slices"
	"strconv"
	"strings"

	"github.com/cogito-dev/cogito/internal/storage"
)

const messageColumns = `id, pool_id, username, destination, delivery_medium, kind, subject, body, code, created_at`

// AddMessage appends m to the outbox, generating m.ID when it is empty;
// storage.ErrAlreadyExists if the id is taken, storage.ErrNotFound if the
// pool does not exist.
func (s *Store) AddMessage(ctx context.Context, m *storage.Message) error {
	if m.ID == "" {
		m.ID = rand.Text()
	}
	m.CreatedAt = normTime(m.CreatedAt)
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO messages (`+messageColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		m.ID, m.PoolID, m.Username, m.Destination, m.DeliveryMedium, m.Kind, m.Subject, m.Body, m.Code,
		toMillis(m.CreatedAt))
	return s.wrap(err, "add message")
}

// ListMessages returns the matching messages oldest first (by CreatedAt, then
// insertion); with f.Limit, the newest f.Limit of them.
func (s *Store) ListMessages(ctx context.Context, f storage.MessageFilter) ([]*storage.Message, error) {
	var (
		where []string
		args  []any
	)
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where = append(where, col+" = $"+strconv.Itoa(len(args)))
		}
	}
	add("pool_id", f.PoolID)
	add("username", f.Username)
	add("destination", f.Destination)
	q := `SELECT ` + messageColumns + ` FROM messages`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += ` ORDER BY created_at DESC, seq DESC LIMIT $` + strconv.Itoa(len(args))
	} else {
		q += ` ORDER BY created_at, seq`
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrap(err, "list messages")
	}
	defer rows.Close()
	out := []*storage.Message{}
	for rows.Next() {
		var (
			m       storage.Message
			created int64
		)
		if err := rows.Scan(&m.ID, &m.PoolID, &m.Username, &m.Destination, &m.DeliveryMedium, &m.Kind,
			&m.Subject, &m.Body, &m.Code, &created); err != nil {
			return nil, s.wrap(err, "list messages")
		}
		m.CreatedAt = fromMillis(created)
		out = append(out, &m)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err, "list messages")
	}
	if f.Limit > 0 {
		slices.Reverse(out)
	}
	return out, nil
}
