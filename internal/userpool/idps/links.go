package idps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// Link is a provider link made by AdminLinkProviderForUser: a federated
// sign-in through ProviderName whose AttributeName (Cognito_Subject or a
// user-pool attribute the provider maps) has AttributeValue signs in as the
// user UserKey instead of creating a federated user.
type Link struct {
	PoolID         string
	ProviderName   string
	ProviderType   string
	AttributeName  string
	AttributeValue string
	UserKey        string // storage.User.Key of the destination user
	CreatedAt      time.Time
}

// linkDoc is the stored document of a link.
type linkDoc struct {
	ProviderName   string `json:"ProviderName"`
	ProviderType   string `json:"ProviderType"`
	AttributeName  string `json:"AttributeName"`
	AttributeValue string `json:"AttributeValue"`
}

// linkID is a link's record id: its provider, attribute and value, escaped so
// that no two triples share an id.
func linkID(provider, attr, value string) string {
	return url.QueryEscape(provider) + "/" + url.QueryEscape(attr) + "/" + url.QueryEscape(value)
}

func linkKey(poolID, provider, attr, value string) string {
	return poolID + "/" + linkID(provider, attr, value)
}

func linkFrom(r *storage.Resource) (*Link, error) {
	var d linkDoc
	if err := json.Unmarshal(r.Settings, &d); err != nil {
		return nil, fmt.Errorf("idps: decoding link %q of %s: %w", r.ID, r.PoolID, err)
	}
	return &Link{PoolID: r.PoolID, ProviderName: d.ProviderName, ProviderType: d.ProviderType,
		AttributeName: d.AttributeName, AttributeValue: d.AttributeValue, UserKey: r.Owner, CreatedAt: r.CreatedAt}, nil
}

// FindLink returns the link of an external identity by its subject (the
// links made with ProviderAttributeName Cognito_Subject); storage.ErrNotFound
// when there is none.
func FindLink(ctx context.Context, store storage.ResourceStore, poolID, providerName, subject string) (*Link, error) {
	return FindLinkByAttribute(ctx, store, poolID, providerName, CognitoSubject, subject)
}

// FindLinkByAttribute returns the link of an external identity by the
// user-pool attribute it was linked on (an OIDC or SAML provider's mapped
// attribute, such as email, or Cognito_Subject); storage.ErrNotFound when
// there is none.
func FindLinkByAttribute(ctx context.Context, store storage.ResourceStore, poolID, providerName, attr, value string) (*Link, error) {
	r, err := store.FindResource(ctx, kindLink, linkKey(poolID, providerName, attr, value))
	if err != nil {
		return nil, err
	}
	return linkFrom(r)
}

// LinksOf returns the links whose destination is the user userKey.
func LinksOf(ctx context.Context, store storage.ResourceStore, poolID, userKey string) ([]*Link, error) {
	rs, _, err := store.ListResources(ctx, poolID, kindLink, userKey, storage.Page{Limit: 1000})
	if err != nil {
		return nil, fmt.Errorf("idps: listing links of a user of %s: %w", poolID, err)
	}
	out := make([]*Link, 0, len(rs))
	for _, r := range rs {
		l, err := linkFrom(r)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// Identity is one entry of a user's "identities" attribute (and of the
// identities claim of their ID token).
type Identity struct {
	UserID       string
	ProviderName string
	ProviderType string
	Issuer       *string // null for the providers Cognito knows (observed)
	Primary      bool
	DateCreated  time.Time
}

// identityJSON is an identity as Cognito writes it: primary and dateCreated
// (milliseconds since the epoch) are strings.
type identityJSON struct {
	UserID       string  `json:"userId"`
	ProviderName string  `json:"providerName"`
	ProviderType string  `json:"providerType"`
	Issuer       *string `json:"issuer"`
	Primary      string  `json:"primary"`
	DateCreated  string  `json:"dateCreated"`
}

// ParseIdentities reads an identities attribute ("" is none).
func ParseIdentities(attr string) ([]Identity, error) {
	if attr == "" {
		return nil, nil
	}
	var raw []identityJSON
	if err := json.Unmarshal([]byte(attr), &raw); err != nil {
		return nil, fmt.Errorf("idps: identities attribute: %w", err)
	}
	out := make([]Identity, 0, len(raw))
	for _, r := range raw {
		ms, _ := strconv.ParseInt(r.DateCreated, 10, 64)
		out = append(out, Identity{UserID: r.UserID, ProviderName: r.ProviderName, ProviderType: r.ProviderType,
			Issuer: r.Issuer, Primary: r.Primary == "true", DateCreated: time.UnixMilli(ms).UTC()})
	}
	return out, nil
}

// FormatIdentities writes an identities attribute ("" for none).
func FormatIdentities(ids []Identity) string {
	if len(ids) == 0 {
		return ""
	}
	raw := make([]identityJSON, 0, len(ids))
	for _, id := range ids {
		raw = append(raw, identityJSON{UserID: id.UserID, ProviderName: id.ProviderName, ProviderType: id.ProviderType,
			Issuer: id.Issuer, Primary: strconv.FormatBool(id.Primary), DateCreated: strconv.FormatInt(id.DateCreated.UnixMilli(), 10)})
	}
	b, _ := json.Marshal(raw)
	return string(b)
}

// AddIdentity returns the identities attribute with id added, replacing an
// entry of the same provider and user id. An unreadable attribute is
// replaced.
func AddIdentity(attr string, id Identity) string {
	ids, _ := ParseIdentities(attr)
	out := ids[:0]
	for _, x := range ids {
		if x.ProviderName != id.ProviderName || x.UserID != id.UserID {
			out = append(out, x)
		}
	}
	return FormatIdentities(append(out, id))
}

// RemoveIdentity returns the identities attribute without the entry of that
// provider and user id, and whether there was one.
func RemoveIdentity(attr, providerName, userID string) (string, bool) {
	ids, err := ParseIdentities(attr)
	if err != nil {
		return attr, false
	}
	out := ids[:0]
	found := false
	for _, x := range ids {
		if x.ProviderName == providerName && x.UserID == userID {
			found = true
			continue
		}
		out = append(out, x)
	}
	return FormatIdentities(out), found
}
