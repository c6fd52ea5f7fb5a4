package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/storage"
)

const clientColumns = `pool_id, id, name, settings, secrets, created_at, updated_at, version`

// storedSecret is a ClientSecret as kept in the clients.secrets JSON column.
type storedSecret struct {
	ID        string `json:"id"`
	Value     []byte `json:"value"`
	CreatedAt int64  `json:"createdAtMs"`
}

func encodeSecrets(ss []storage.ClientSecret) ([]byte, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	out := make([]storedSecret, len(ss))
	for i, s := range ss {
		out[i] = storedSecret{ID: s.ID, Value: s.Value, CreatedAt: toMillis(s.CreatedAt)}
	}
	return json.Marshal(out)
}

func decodeSecrets(b []byte) ([]storage.ClientSecret, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var in []storedSecret
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("sqlstore: decode client secrets: %w", err)
	}
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]storage.ClientSecret, len(in))
	for i, s := range in {
		out[i] = storage.ClientSecret{ID: s.ID, Value: unblob(s.Value), CreatedAt: fromMillis(s.CreatedAt)}
	}
	return out, nil
}

func scanClient(row interface{ Scan(...any) error }) (*storage.Client, error) {
	var (
		c                storage.Client
		secrets          []byte
		created, updated int64
	)
	if err := row.Scan(&c.PoolID, &c.ID, &c.Name, &c.Settings, &secrets, &created, &updated, &c.Version); err != nil {
		return nil, err
	}
	var err error
	if c.Secrets, err = decodeSecrets(secrets); err != nil {
		return nil, err
	}
	c.Settings = unblob(c.Settings)
	c.CreatedAt = fromMillis(created)
	c.UpdatedAt = fromMillis(updated)
	return &c, nil
}

func cloneClient(c *storage.Client) *storage.Client {
	n := *c
	n.Settings = cloneBytes(c.Settings)
	if c.Secrets != nil {
		n.Secrets = make([]storage.ClientSecret, len(c.Secrets))
		for i, s := range c.Secrets {
			s.Value = cloneBytes(s.Value)
			n.Secrets[i] = s
		}
	}
	return &n
}

// normClient puts c's timestamps into stored form.
func normClient(c *storage.Client) {
	c.CreatedAt = normTime(c.CreatedAt)
	c.UpdatedAt = normTime(c.UpdatedAt)
	for i := range c.Secrets {
		c.Secrets[i].CreatedAt = normTime(c.Secrets[i].CreatedAt)
	}
}

// CreateClient inserts c with Version 1; storage.ErrAlreadyExists if the
// client id is taken in any pool, storage.ErrNotFound if the pool does not exist.
func (s *Store) CreateClient(ctx context.Context, c *storage.Client) error {
	normClient(c)
	secrets, err := encodeSecrets(c.Secrets)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx,
		`INSERT INTO clients (`+clientColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`,
		c.PoolID, c.ID, c.Name, blob(c.Settings), secrets, toMillis(c.CreatedAt), toMillis(c.UpdatedAt))
	if err != nil {
		return s.wrap(err, "create client")
	}
	c.Version = 1
	return nil
}

// GetClient returns the pool's client or storage.ErrNotFound.
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (*storage.Client, error) {
	c, err := scanClient(s.r.QueryRowContext(ctx,
		`SELECT `+clientColumns+` FROM clients WHERE pool_id = $1 AND id = $2`, poolID, clientID))
	if err != nil {
		return nil, s.wrap(err, "get client")
	}
	return c, nil
}

// GetClientByID returns the client with that id in whichever pool holds it.
func (s *Store) GetClientByID(ctx context.Context, clientID string) (*storage.Client, error) {
	c, err := scanClient(s.r.QueryRowContext(ctx,
		`SELECT `+clientColumns+` FROM clients WHERE id = $1`, clientID))
	if err != nil {
		return nil, s.wrap(err, "get client")
	}
	return c, nil
}

// UpdateClient applies fn to the client by compare-and-swap. fn may change
// Name, Settings, Secrets and UpdatedAt.
func (s *Store) UpdateClient(ctx context.Context, poolID, clientID string, fn func(*storage.Client) error) (*storage.Client, error) {
	var out *storage.Client
	err := s.cas(ctx, "app client", clientID, func(tx *sql.Tx) error {
		cur, err := scanClient(tx.QueryRowContext(ctx,
			`SELECT `+clientColumns+` FROM clients WHERE pool_id = $1 AND id = $2`+s.d.forUpdate, poolID, clientID))
		if err != nil {
			return s.wrap(err, "update client")
		}
		next := cloneClient(cur)
		if err := fn(next); err != nil {
			if errors.Is(err, storage.ErrSkip) {
				out = cur
				return nil
			}
			return err
		}
		next.PoolID, next.ID, next.CreatedAt, next.Version = cur.PoolID, cur.ID, cur.CreatedAt, cur.Version+1
		normClient(next)
		secrets, err := encodeSecrets(next.Secrets)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			`UPDATE clients SET name = $1, settings = $2, secrets = $3, updated_at = $4, version = $5
			 WHERE pool_id = $6 AND id = $7 AND version = $8`,
			next.Name, blob(next.Settings), secrets, toMillis(next.UpdatedAt), next.Version,
			poolID, clientID, cur.Version)
		if err != nil {
			return s.wrap(err, "update client")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err, "update client")
		} else if n == 0 {
			return errCASLost
		}
		// Hand back what a read would return.
		next.Settings = unblob(next.Settings)
		if len(next.Secrets) == 0 {
			next.Secrets = nil
		}
		for i := range next.Secrets {
			next.Secrets[i].Value = unblob(next.Secrets[i].Value)
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteClient removes the pool's client or returns storage.ErrNotFound.
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM clients WHERE pool_id = $1 AND id = $2`, poolID, clientID)
	if err != nil {
		return s.wrap(err, "delete client")
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.wrap(err, "delete client")
	} else if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// ListClients pages through the pool's clients by id. A pool that does not
// exist has no clients.
func (s *Store) ListClients(ctx context.Context, poolID string, page storage.Page) ([]*storage.Client, string, error) {
	limit := pageLimit(page)
	after := ""
	if page.Token != "" {
		var err error
		if after, err = decodeToken(page.Token); err != nil {
			return nil, "", err
		}
	}
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+clientColumns+` FROM clients WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		poolID, after, limit+1)
	if err != nil {
		return nil, "", s.wrap(err, "list clients")
	}
	defer rows.Close()
	clients, next, err := collectPage(rows, limit, scanClient, func(x *storage.Client) string { return x.ID })
	if err != nil {
		return nil, "", s.wrap(err, "list clients")
	}
	return clients, next, nil
}

// CountClients counts the pool's clients (0 for a pool that does not exist).
func (s *Store) CountClients(ctx context.Context, poolID string) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE pool_id = $1`, poolID).Scan(&n); err != nil {
		return 0, s.wrap(err, "count clients")
	}
	return n, nil
}
