package idps

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func ident(provider, attr, value string) *cognitoidp.ProviderUserIdentifierType {
	p := &cognitoidp.ProviderUserIdentifierType{ProviderName: api.Ptr(provider), ProviderAttributeValue: api.Ptr(value)}
	if attr != "" {
		p.ProviderAttributeName = api.Ptr(attr)
	}
	return p
}

func (e *env) link(poolID string, dst, src *cognitoidp.ProviderUserIdentifierType) error {
	_, err := e.svc.AdminLinkProviderForUser(context.Background(), &cognitoidp.AdminLinkProviderForUserRequest{UserPoolId: api.Ptr(poolID), DestinationUser: dst, SourceUser: src})
	return err
}

func (e *env) disableProvider(poolID string, who *cognitoidp.ProviderUserIdentifierType) error {
	_, err := e.svc.AdminDisableProviderForUser(context.Background(), &cognitoidp.AdminDisableProviderForUserRequest{UserPoolId: api.Ptr(poolID), User: who})
	return err
}

func TestLinkAndDisable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.create(t, google())
	e.create(t, oidc("Corp", "https://x.example.com"))
	ann := e.createUser(t, e.pool, "Ann", "CONFIRMED", "email", "ann@example.com")
	e.createUser(t, e.pool, "bob", "CONFIRMED")

	// Link Ann (by her username, in another case: the pool ignores case) to a Google subject.
	if err := e.link(e.pool, ident("Cognito", "", "ANN"), ident("Google", "Cognito_Subject", "1234567890")); err != nil {
		t.Fatal(err)
	}
	l, err := FindLink(ctx, e.store, e.pool, "Google", "1234567890")
	if err != nil || l.UserKey != ann.Key || l.ProviderType != "Google" || l.AttributeName != "Cognito_Subject" || !l.CreatedAt.Equal(t0) {
		t.Fatalf("FindLink = %+v, %v", l, err)
	}
	ids, err := ParseIdentities(e.user(t, e.pool, "ann").Attributes["identities"])
	if err != nil || !cmp.Equal(ids, []Identity{{UserID: "1234567890", ProviderName: "Google", ProviderType: "Google", DateCreated: t0}}) {
		t.Errorf("identities = %+v, %v", ids, err)
	}
	if got := e.user(t, e.pool, "ann").Attributes["identities"]; got != `[{"userId":"1234567890","providerName":"Google","providerType":"Google","issuer":null,"primary":"false","dateCreated":"1740830400000"}]` {
		t.Errorf("identities attribute = %s", got)
	}
	// Linking again is a no-op; linking to someone else is refused.
	if err := e.link(e.pool, ident("Cognito", "", "ann"), ident("Google", "Cognito_Subject", "1234567890")); err != nil {
		t.Errorf("relink: %v", err)
	}
	wantErr(t, e.link(e.pool, ident("Cognito", "", "bob"), ident("Google", "Cognito_Subject", "1234567890")), "AliasExistsException", msgLinkedElsewhere)

	// OIDC links may use a mapped attribute.
	e.clock.Advance(time.Second)
	if err := e.link(e.pool, ident("Cognito", "", "ann"), ident("Corp", "email", "ann@corp.example")); err != nil {
		t.Fatal(err)
	}
	if l, err := FindLinkByAttribute(ctx, e.store, e.pool, "Corp", "email", "ann@corp.example"); err != nil || l.UserKey != ann.Key {
		t.Errorf("FindLinkByAttribute = %+v, %v", l, err)
	}
	if _, err := FindLink(ctx, e.store, e.pool, "Corp", "ann@corp.example"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an attribute link found as a subject link: %v", err)
	}
	links, err := LinksOf(ctx, e.store, e.pool, ann.Key)
	if err != nil || len(links) != 2 {
		t.Errorf("LinksOf = %+v, %v", links, err)
	}

	// Disable the Google identity: the link and its identity go.
	if err := e.disableProvider(e.pool, ident("Google", "Cognito_Subject", "1234567890")); err != nil {
		t.Fatal(err)
	}
	if _, err := FindLink(ctx, e.store, e.pool, "Google", "1234567890"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("link survived AdminDisableProviderForUser: %v", err)
	}
	ids, _ = ParseIdentities(e.user(t, e.pool, "ann").Attributes["identities"])
	if len(ids) != 1 || ids[0].ProviderName != "Corp" || !e.user(t, e.pool, "ann").Enabled {
		t.Errorf("after unlinking Google: %+v", ids)
	}
	// Nothing left to disable for that identity.
	wantErr(t, e.disableProvider(e.pool, ident("Google", "Cognito_Subject", "1234567890")), "UserNotFoundException", "User does not exist.")
	if err := e.disableProvider(e.pool, ident("Corp", "email", "ann@corp.example")); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.user(t, e.pool, "ann").Attributes["identities"]; ok {
		t.Errorf("identities left after the last unlink: %v", e.user(t, e.pool, "ann").Attributes)
	}

	// A federated user of an identity is disabled.
	e.createUser(t, e.pool, "Google_555", "EXTERNAL_PROVIDER")
	if err := e.disableProvider(e.pool, ident("Google", "Cognito_Subject", "555")); err != nil {
		t.Fatal(err)
	}
	if e.user(t, e.pool, "google_555").Enabled || !cmp.Equal(e.disabled, []string{"Google_555"}) {
		t.Errorf("federated user not disabled (hook saw %v)", e.disabled)
	}
	// A local user: ProviderName Cognito, Cognito_Subject, the username.
	if err := e.disableProvider(e.pool, ident("Cognito", "Cognito_Subject", "bob")); err != nil {
		t.Fatal(err)
	}
	if e.user(t, e.pool, "bob").Enabled {
		t.Error("bob still enabled")
	}
	wantErr(t, e.disableProvider(e.pool, ident("Cognito", "email", "bob")), "InvalidParameterException", msgDisableCognito)
	wantErr(t, e.disableProvider(e.pool, ident("Cognito", "Cognito_Subject", "nobody")), "UserNotFoundException", "User does not exist.")
	wantErr(t, e.disableProvider(e.pool, ident("Facebook", "Cognito_Subject", "1")), "InvalidParameterException", fmt.Sprintf(msgProviderNotFound, "Facebook", e.pool))
	wantErr(t, e.disableProvider(e.pool, ident("Google", "email", "x@example.com")), "InvalidParameterException", "ProviderAttributeName must be Cognito_Subject for provider Google.")
	wantErr(t, e.disableProvider(e.pool, ident("Google", "", "1")), "InvalidParameterException", "User.ProviderAttributeName is required.")
}

func TestLinkErrors(t *testing.T) {
	e := newEnv(t)
	e.create(t, google())
	e.create(t, oidc("Corp", "https://x.example.com"))
	e.createUser(t, e.pool, "ann", "CONFIRMED")
	e.createUser(t, e.pool, "frozen", "CONFIRMED", "custom:badge", "gold")
	e.createUser(t, e.pool, "Google_used", "EXTERNAL_PROVIDER")
	cognito := func(name string) *cognitoidp.ProviderUserIdentifierType { return ident("Cognito", "", name) }
	for _, tc := range []struct {
		name      string
		err       error
		code, msg string
	}{
		{"no destination user", e.link(e.pool, cognito("nobody"), ident("Google", "Cognito_Subject", "1")), "UserNotFoundException", "User does not exist."},
		{"source is Cognito", e.link(e.pool, cognito("ann"), ident("Cognito", "Cognito_Subject", "x")), "InvalidParameterException", msgSourceIsCognito},
		{"unknown source provider", e.link(e.pool, cognito("ann"), ident("Okta", "Cognito_Subject", "x")), "InvalidParameterException", fmt.Sprintf(msgProviderNotFound, "Okta", e.pool)},
		{"social on an attribute", e.link(e.pool, cognito("ann"), ident("Google", "email", "a@b.c")), "InvalidParameterException", "ProviderAttributeName must be Cognito_Subject for provider Google."},
		{"unmapped attribute", e.link(e.pool, cognito("ann"), ident("Corp", "phone_number", "+15555550100")), "InvalidParameterException", "ProviderAttributeName phone_number is not mapped by provider Corp."},
		{"source already signed in", e.link(e.pool, cognito("ann"), ident("Google", "Cognito_Subject", "used")), "InvalidParameterException", msgSourceUsed},
		{"immutable attribute", e.link(e.pool, cognito("frozen"), ident("Google", "Cognito_Subject", "2")), "InvalidParameterException", "All attributes of the DestinationUser must be mutable; custom:badge is not."},
		{"no source value", e.link(e.pool, cognito("ann"), ident("Google", "Cognito_Subject", "")), "InvalidParameterException", "SourceUser.ProviderAttributeValue is required."},
		{"no source attribute", e.link(e.pool, cognito("ann"), ident("Google", "", "3")), "InvalidParameterException", "SourceUser.ProviderAttributeName is required."},
		{"unknown pool", e.link("us-east-1_Missing00", cognito("ann"), ident("Google", "Cognito_Subject", "1")), "ResourceNotFoundException", "User pool us-east-1_Missing00 does not exist."},
		{"federated user to itself", e.link(e.pool, ident("Google", "", "used"), ident("Google", "Cognito_Subject", "used")), "InvalidParameterException", msgSameUser},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, tc.code, tc.msg) })
	}
	if _, ok := e.user(t, e.pool, "ann").Attributes["identities"]; ok {
		t.Error("a refused link touched identities")
	}
	// A federated user may be the destination.
	if err := e.link(e.pool, ident("Google", "", "used"), ident("Corp", "Cognito_Subject", "corp-1")); err != nil {
		t.Errorf("federated destination: %v", err)
	}
	// At most five identities per user.
	for i := range MaxLinksPerUser {
		if err := e.link(e.pool, cognito("ann"), ident("Google", "Cognito_Subject", fmt.Sprint("s", i))); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, e.link(e.pool, cognito("ann"), ident("Google", "Cognito_Subject", "s9")), "LimitExceededException", "A user can have at most 5 linked identities.")
	// Deleting the user deletes their links.
	if err := e.store.DeleteUser(context.Background(), e.pool, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := FindLink(context.Background(), e.store, e.pool, "Google", "s0"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("link survived its user: %v", err)
	}
}

func TestIdentitiesHelpers(t *testing.T) {
	d := time.UnixMilli(1642699117273).UTC()
	a := AddIdentity("", Identity{UserID: "1", ProviderName: "Google", ProviderType: "Google", Primary: true, DateCreated: d})
	if a != `[{"userId":"1","providerName":"Google","providerType":"Google","issuer":null,"primary":"true","dateCreated":"1642699117273"}]` {
		t.Errorf("AddIdentity = %s", a)
	}
	a = AddIdentity(a, Identity{UserID: "2", ProviderName: "Corp", ProviderType: "OIDC", DateCreated: d})
	a = AddIdentity(a, Identity{UserID: "1", ProviderName: "Google", ProviderType: "Google", DateCreated: d}) // replaces
	ids, err := ParseIdentities(a)
	if err != nil || len(ids) != 2 || ids[1].Primary || ids[0].ProviderName != "Corp" {
		t.Errorf("ParseIdentities = %+v, %v", ids, err)
	}
	b, ok := RemoveIdentity(a, "Corp", "2")
	if !ok || b != `[{"userId":"1","providerName":"Google","providerType":"Google","issuer":null,"primary":"false","dateCreated":"1642699117273"}]` {
		t.Errorf("RemoveIdentity = %s, %v", b, ok)
	}
	if c, ok := RemoveIdentity(b, "Google", "1"); !ok || c != "" {
		t.Errorf("RemoveIdentity of the last = %q, %v", c, ok)
	}
	if _, ok := RemoveIdentity(b, "Google", "9"); ok {
		t.Error("removed a missing identity")
	}
}
