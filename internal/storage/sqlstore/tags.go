package sqlstore

import (
	"context"
	"database/sql"
	"maps"
	"slices"
)

// SetTags adds or overwrites the resource's tags in one transaction.
func (s *Store) SetTags(ctx context.Context, resourceARN string, tags map[string]string) error {
	if len(tags) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		// Sorted, so concurrent writers on PostgreSQL lock rows in one order.
		for _, k := range slices.Sorted(maps.Keys(tags)) {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO tags (resource_arn, tag_key, tag_value) VALUES ($1, $2, $3)
				 ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
				resourceARN, k, tags[k]); err != nil {
				return s.wrap(err, "set tags")
			}
		}
		return nil
	})
}

// RemoveTags removes the named tags; keys the resource does not have are ignored.
func (s *Store) RemoveTags(ctx context.Context, resourceARN string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, k := range slices.Sorted(slices.Values(keys)) {
			if _, err := tx.ExecContext(ctx,
				`DELETE FROM tags WHERE resource_arn = $1 AND tag_key = $2`, resourceARN, k); err != nil {
				return s.wrap(err, "remove tags")
			}
		}
		return nil
	})
}

// GetTags returns the resource's tags, an empty map when it has none.
func (s *Store) GetTags(ctx context.Context, resourceARN string) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT tag_key, tag_value FROM tags WHERE resource_arn = $1`, resourceARN)
	if err != nil {
		return nil, s.wrap(err, "get tags")
	}
	defer rows.Close()
	tags := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, s.wrap(err, "get tags")
		}
		tags[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err, "get tags")
	}
	return tags, nil
}

// DeleteAllTags removes every tag of the resource.
func (s *Store) DeleteAllTags(ctx context.Context, resourceARN string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM tags WHERE resource_arn = $1`, resourceARN)
	return s.wrap(err, "delete tags")
}
