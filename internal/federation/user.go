package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/trigger"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/idps"
)

// external is an identity an IdP vouched for.
type external struct {
	// subject is the user's id at the provider (the claim "username" is
	// mapped to, or the SAML NameID).
	subject string
	// claims are the IdP's claims or SAML attributes: strings, booleans,
	// numbers, lists ([]string for SAML), objects.
	claims map[string]any
	// issuer is the identities entry's issuer (nil: null).
	issuer *string
}

// signIn returns the user an external identity signs in as: the user it is
// linked to (AdminLinkProviderForUser), else its federated user, created on
// its first sign-in. The mapped attributes are written, and the pool's
// triggers run.
func (s *Service) signIn(ctx context.Context, up *cognitoidp.UserPoolType, client *clients.Client, p *cognitoidp.IdentityProviderType, ext *external) (*storage.User, error) {
	schema := attrs.FromPool(up)
	name := api.Deref(p.ProviderName)
	mapped := mapAttributes(schema, p.AttributeMapping, ext.claims)
	caller := writer(client)

	linked, err := s.linkedUser(ctx, schema, name, ext.subject, mapped)
	if err != nil {
		return nil, err
	}
	if linked != nil {
		return s.signInExisting(ctx, up, schema, client, linked, mapped, caller)
	}
	username := name + UsernameSeparator + ext.subject
	u, err := s.store.GetUser(ctx, schema.PoolID, schema.Key(username))
	switch {
	case err == nil:
		return s.signInExisting(ctx, up, schema, client, u, mapped, caller)
	case !errors.Is(err, storage.ErrNotFound):
		return nil, fmt.Errorf("federation: reading user of %s: %w", schema.PoolID, err)
	}
	return s.create(ctx, up, schema, client, p, ext, username, mapped, caller)
}

// linkedUser finds the user an identity was linked to: by its subject
// (Cognito_Subject), then by each mapped attribute it was linked on.
func (s *Service) linkedUser(ctx context.Context, schema *attrs.Schema, provider, subject string, mapped attrs.Values) (*storage.User, error) {
	l, err := idps.FindLink(ctx, s.store, schema.PoolID, provider, subject)
	if errors.Is(err, storage.ErrNotFound) {
		for _, attr := range slices.Sorted(maps.Keys(mapped)) {
			l, err = idps.FindLinkByAttribute(ctx, s.store, schema.PoolID, provider, attr, mapped[attr])
			if !errors.Is(err, storage.ErrNotFound) {
				break
			}
		}
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("federation: finding a provider link in %s: %w", schema.PoolID, err)
	}
	u, err := s.store.GetUser(ctx, schema.PoolID, l.UserKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil // the linked user is gone: sign in as the federated user
	}
	if err != nil {
		return nil, fmt.Errorf("federation: reading a linked user of %s: %w", schema.PoolID, err)
	}
	return u, nil
}

// writer is who writes the mapped attributes: the app client, limited to
// its WriteAttributes when it lists them (Cognito: mapped attributes must
// be writable by the client).
func writer(client *clients.Client) attrs.Caller {
	if len(client.Settings.WriteAttributes) == 0 {
		return attrs.AdminCaller
	}
	return attrs.ClientCaller(client.Settings.WriteAttributes)
}

// signInExisting signs in a user that exists: refuses a disabled one, runs
// pre authentication, writes the mapped attributes, runs post
// authentication.
func (s *Service) signInExisting(ctx context.Context, up *cognitoidp.UserPoolType, schema *attrs.Schema, client *clients.Client, u *storage.User, mapped attrs.Values, caller attrs.Caller) (*storage.User, error) {
	if !u.Enabled {
		return nil, fail(errInvalidRequest, msgUserDisabled, nil)
	}
	tc := trigger.Caller{ClientID: client.ID}
	if s.triggers != nil {
		if err := s.triggers.PreAuthentication(ctx, up, &trigger.AuthInput{Username: u.Username, UserAttributes: eventAttributes(u), Caller: tc}, nil); err != nil {
			return nil, err
		}
	}
	u, err := s.update(ctx, schema, u, mapped, caller)
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, fail(errInvalidRequest, msgUserDisabled, nil)
	}
	if s.triggers != nil {
		if err := s.triggers.PostAuthentication(ctx, up, &trigger.AuthInput{Username: u.Username, UserAttributes: eventAttributes(u), Caller: tc}, false); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// update writes the mapped attributes to u. A changed email or phone number
// whose verification flag is not mapped becomes unverified.
func (s *Service) update(ctx context.Context, schema *attrs.Schema, u *storage.User, mapped attrs.Values, caller attrs.Caller) (*storage.User, error) {
	if len(mapped) == 0 {
		return u, nil
	}
	vals, err := schema.CheckWrite(toAPI(mapped), attrs.OpUpdate, caller, u.Attributes)
	if err != nil {
		return nil, attributeError(err)
	}
	now := s.clock.Now()
	out, err := s.store.UpdateUser(ctx, schema.PoolID, u.Key, func(cur *storage.User) error {
		if cur.Attributes == nil {
			cur.Attributes = map[string]string{}
		}
		changed := false
		for name, v := range vals {
			if v == "" || cur.Attributes[name] == v {
				continue
			}
			if flag := name + "_verified"; (name == attrs.Email || name == attrs.PhoneNumber) && cur.Attributes[name] != "" {
				if _, mappedFlag := vals[flag]; !mappedFlag && cur.Attributes[flag] == "true" {
					cur.Attributes[flag] = "false"
				}
			}
			cur.Attributes[name] = v
			changed = true
		}
		if !changed {
			return storage.ErrSkip
		}
		if cur.Status != string(cognitoidp.UserStatusTypeExternalProvider) {
			cur.Aliases = schema.Aliases(cur.Attributes)
		}
		cur.UpdatedAt = now
		return nil
	})
	if errors.Is(err, storage.ErrSkip) {
		return u, nil
	}
	var ue *storage.UniqueError
	if errors.As(err, &ue) {
		return nil, attributeError(schema.AliasClash(err))
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fail(errInvalidRequest, msgInternal, err)
	}
	if err != nil {
		return nil, fmt.Errorf("federation: updating a user of %s: %w", schema.PoolID, err)
	}
	return out, nil
}

// create creates the federated user of an identity's first sign-in.
func (s *Service) create(ctx context.Context, up *cognitoidp.UserPoolType, schema *attrs.Schema, client *clients.Client, p *cognitoidp.IdentityProviderType, ext *external, username string, mapped attrs.Values, caller attrs.Caller) (*storage.User, error) {
	vals, err := schema.CheckWrite(toAPI(mapped), attrs.OpCreate, caller, nil)
	if err != nil {
		return nil, attributeError(err)
	}
	var missing []string
	for _, n := range schema.Required() {
		if vals[n] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fail(errInvalidRequest, fmt.Sprintf(msgAttributesRequired, strings.Join(missing, ", ")), nil)
	}
	tc := trigger.Caller{ClientID: client.ID}
	if s.triggers != nil {
		resp, err := s.triggers.PreSignUp(ctx, up, &trigger.PreSignUpInput{
			Source: trigger.SourcePreSignUpExternalProvider, Username: username, UserAttributes: maps.Clone(vals), Caller: tc,
		})
		if err != nil {
			return nil, err
		}
		if resp != nil && resp.AutoVerifyEmail && vals[attrs.Email] != "" {
			vals[attrs.EmailVerified] = "true"
		}
		if resp != nil && resp.AutoVerifyPhone && vals[attrs.PhoneNumber] != "" {
			vals[attrs.PhoneNumberVerified] = "true"
		}
	}
	now := s.clock.Now()
	vals[attrs.Identities] = idps.FormatIdentities([]idps.Identity{{
		UserID: ext.subject, ProviderName: api.Deref(p.ProviderName), ProviderType: providerType(p),
		Issuer: ext.issuer, Primary: true, DateCreated: now,
	}})
	u := &storage.User{
		PoolID: schema.PoolID, Key: schema.Key(username), Username: username, Sub: uuid.NewString(),
		Status: string(cognitoidp.UserStatusTypeExternalProvider), Enabled: true, Attributes: vals,
		CreatedAt: now, UpdatedAt: now,
	}
	err = s.store.CreateUser(ctx, u)
	var ue *storage.UniqueError
	if errors.As(err, &ue) && ue.Field == "username" {
		// A concurrent first sign-in of the same identity created it.
		cur, gerr := s.store.GetUser(ctx, schema.PoolID, u.Key)
		if gerr != nil {
			return nil, fmt.Errorf("federation: reading user of %s: %w", schema.PoolID, gerr)
		}
		return s.signInExisting(ctx, up, schema, client, cur, mapped, caller)
	}
	if err != nil {
		return nil, fmt.Errorf("federation: creating a user in %s: %w", schema.PoolID, err)
	}
	s.log.InfoContext(ctx, "federated user created", "pool", schema.PoolID, "provider", api.Deref(p.ProviderName))
	if s.triggers != nil {
		if err := s.triggers.PostConfirmation(ctx, up, &trigger.PostConfirmationInput{
			Source: trigger.SourcePostConfirmationConfirmSignUp, Username: username, UserAttributes: eventAttributes(u), Caller: tc,
		}); err != nil {
			return nil, err
		}
		if err := s.triggers.PostAuthentication(ctx, up, &trigger.AuthInput{Username: username, UserAttributes: eventAttributes(u), Caller: tc}, false); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// eventAttributes are a user's attributes as trigger events show them.
func eventAttributes(u *storage.User) map[string]string {
	m := maps.Clone(u.Attributes)
	if m == nil {
		m = map[string]string{}
	}
	m[attrs.Sub] = u.Sub
	m["cognito:user_status"] = u.Status
	return m
}

// attributeError sends an attribute check's failure as invalid_request.
func attributeError(err error) error {
	if msg, ok := awsErr(err); ok {
		return fail(errInvalidRequest, fmt.Sprintf(msgInvalidAttributes, msg), nil)
	}
	return err
}

// toAPI is mapped attributes as an attribute list, by name.
func toAPI(v attrs.Values) []cognitoidp.AttributeType {
	out := make([]cognitoidp.AttributeType, 0, len(v))
	for _, name := range slices.Sorted(maps.Keys(v)) {
		out = append(out, cognitoidp.AttributeType{Name: api.Ptr(name), Value: api.Ptr(v[name])})
	}
	return out
}

// mapAttributes applies an AttributeMapping (user-pool attribute ← IdP
// claim) to the IdP's claims: attributes the pool does not have, claims the
// IdP did not send and empty values are left out; "username" is the
// subject, not an attribute.
func mapAttributes(schema *attrs.Schema, mapping map[string]string, claims map[string]any) attrs.Values {
	out := attrs.Values{}
	for attr, claim := range mapping {
		if attr == "username" || attr == attrs.Sub || attr == attrs.Identities {
			continue
		}
		if _, ok := schema.Def(attr); !ok {
			continue
		}
		v, ok := claimString(claims[claim])
		if !ok || v == "" {
			continue
		}
		out[attr] = v
	}
	return out
}

// claimString renders a claim as an attribute value: strings as they are,
// booleans "true"/"false", numbers in their shortest form, several values
// bracketed and comma separated, each URL form-encoded when it holds other
// characters than letters, digits and . - * _ (documented), objects as
// JSON.
func claimString(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10), true
		}
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case json.Number:
		return x.String(), true
	case []string:
		switch len(x) {
		case 0:
			return "", false
		case 1:
			return x[0], true
		}
		return multiValue(x), true
	case []any:
		vals := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := claimString(e); ok {
				vals = append(vals, s)
			}
		}
		switch len(vals) {
		case 0:
			return "", false
		case 1:
			return vals[0], true
		}
		return multiValue(vals), true
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
}

// multiValue writes several values: "[a, b%40c]".
func multiValue(vals []string) string {
	enc := make([]string, len(vals))
	for i, v := range vals {
		if strings.TrimFunc(v, plainRune) == "" {
			enc[i] = v
		} else {
			enc[i] = url.QueryEscape(v)
		}
	}
	return "[" + strings.Join(enc, ", ") + "]"
}

// plainRune: characters multi-valued attributes keep as they are.
func plainRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '*' || r == '_'
}
