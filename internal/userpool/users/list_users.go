package users

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// pageTokenPrefix marks the pagination tokens this package issues; the
// store's own opaque token follows it.
const pageTokenPrefix = "cogito-users-1:"

// ListUsers pages through a pool's users, all of them or those one
// searchable attribute selects (Filter), served by the store's search index.
func (s *Service) ListUsers(ctx context.Context, in *cognitoidp.ListUsersRequest) (*cognitoidp.ListUsersResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	up, schema, err := s.loadPool(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	filter, err := ParseFilter(api.Deref(in.Filter))
	if err != nil {
		return nil, err
	}
	filter.Value = normalizeFilterValue(schema, filter.Field, filter.Value)

	page := storage.Page{Limit: int(api.Deref(in.Limit))}
	if page.Limit == 0 {
		page.Limit = defaultListLimit
	}
	if in.PaginationToken != nil {
		tok, ok := decodePageToken(*in.PaginationToken, schema.PoolID, filter)
		if !ok {
			return nil, cognitoidp.NewInvalidParameterException(msgInvalidPaginationToken)
		}
		page.Token = tok
	}

	keep, err := attributesToGet(schema, in.AttributesToGet)
	if err != nil {
		return nil, err
	}

	recs, next, err := s.store.ListUsers(ctx, schema.PoolID, filter, page)
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidPaginationToken)
	}
	if err != nil {
		return nil, fmt.Errorf("users: listing users of pool %s: %w", schema.PoolID, err)
	}

	out := &cognitoidp.ListUsersResponse{Users: make([]cognitoidp.UserType, 0, len(recs))}
	for _, u := range recs {
		if attributesToGetNeedsValues && in.AttributesToGet != nil {
			for _, name := range in.AttributesToGet {
				if _, ok := u.Attributes[name]; !ok && name != attrs.Sub {
					return nil, cognitoidp.NewInvalidParameterException(msgAttributesToGet)
				}
			}
		}
		ut := UserType(u, keep)
		info, err := s.mfaInfo(ctx, up, u)
		if err != nil {
			return nil, err
		}
		ut.MFAOptions = info.Options
		out.Users = append(out.Users, ut)
	}
	if next != "" {
		out.PaginationToken = api.Ptr(encodePageToken(schema.PoolID, filter, next))
	}
	return out, nil
}

// normalizeFilterValue turns a filter value into the form the store indexes:
// usernames as the pool compares them, the case-insensitive fields lowercased.
func normalizeFilterValue(schema *attrs.Schema, field, v string) string {
	switch {
	case field == "":
		return v
	case field == "username":
		return schema.Key(v)
	case storage.CaseSensitiveUserFields[field]:
		return v
	}
	return strings.ToLower(v)
}

// attributesToGet checks the requested names against the schema and returns
// the filter that keeps them (nil: every attribute).
func attributesToGet(schema *attrs.Schema, names []string) (func(string) bool, error) {
	if names == nil {
		return nil, nil
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		if _, ok := schema.Def(n); !ok {
			return nil, cognitoidp.NewInvalidParameterException(msgAttributesToGet)
		}
		want[n] = true
	}
	return func(name string) bool { return want[name] }, nil
}

// encodePageToken wraps the store's token with the pool and filter of the
// listing, so that a token is only accepted by the listing that issued it.
func encodePageToken(poolID string, f storage.UserFilter, storeToken string) string {
	b := []byte(pageTokenPrefix)
	for _, s := range []string{poolID, FormatFilter(f)} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = append(b, storeToken...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodePageToken returns the store's token from a token of the same listing.
func decodePageToken(tok, poolID string, f storage.UserFilter) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	b, ok := bytes.CutPrefix(raw, []byte(pageTokenPrefix))
	if !ok {
		return "", false
	}
	for _, want := range []string{poolID, FormatFilter(f)} {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) || string(b[w:w+int(n)]) != want {
			return "", false
		}
		b = b[w+int(n):]
	}
	if len(b) == 0 {
		return "", false
	}
	return string(b), true
}
