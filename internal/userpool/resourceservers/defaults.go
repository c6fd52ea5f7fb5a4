package resourceservers

// This file gathers the facts about Cognito that the package imitates. Each
// says where it comes from; "(unverified)" marks reports, emulators or
// reasoning rather than AWS documentation or recorded responses.
//
// Behaviour chosen from documentation, with no switch:
//   - Identifiers are unique per pool and cannot change; custom scopes are
//     "{identifier}/{scopeName}" (API reference). A scope name cannot contain
//     "/" (the model's pattern), so the last "/" of a scope splits it.
//   - UpdateResourceServer replaces Name and Scopes: "If you don't provide a
//     value for an attribute, it is set to the default value" (API
//     reference), so omitted Scopes leave the server without scopes.
//   - Quotas: 25 resource servers per pool (default, adjustable to 300) and
//     100 scopes per resource server (the model's list limit) (Cognito quotas
//     page).
//
//   - ResourceServerType.ManagedBy "is reserved for resource servers that
//     Amazon Cognito manages. Resource servers that you create don't have
//     this value" (API reference): servers made by CreateResourceServer never
//     show it, and a ManagedBy sent in a request is not a member of the
//     request shapes, so it is dropped. Cogito manages no resource servers
//     of its own, so no server shows it.
//
// Chosen without confirmation (unverified), with no switch:
//   - Deleting a resource server, or a scope in an update, leaves app
//     clients' AllowedOAuthScopes as they were (a CloudFormation roadmap
//     report says deleting a scope a client uses "can be done cleanly"); the
//     OAuth endpoints grant only scopes that still exist.
//   - A request listing the same scope name twice is refused.
//   - ListResourceServers returns servers by identifier (byte order), 50 per
//     page when MaxResults is absent.

// Limits.
const (
	// MaxResourceServersPerPool is the default quota "Resource servers per
	// user pool" (Cognito quotas page).
	MaxResourceServersPerPool = 25
	// DefaultListMaxResults is ListResourceServers' page size without
	// MaxResults (unverified; the model's maximum).
	DefaultListMaxResults = 50
)

// Client-visible messages.
const (
	// msgExists: identifier, pool id (unverified; the wording Cognito uses for
	// a duplicate identity provider, "<name> already exists in user pool <id>").
	msgExists = "%s already exists in user pool %s."
	// msgNotFound: identifier (unverified).
	msgNotFound = "Resource server %s does not exist."
	// msgDuplicateScope: scope name (unverified).
	msgDuplicateScope = "Duplicate scope name: %s."
	// msgTooMany: the quota (unverified wording; the quota is documented).
	msgTooMany = "The user pool has reached the maximum of %d resource servers."
	// msgInvalidNextToken answers a NextToken this package did not issue
	// (unverified; the same words as the other families).
	msgInvalidNextToken = "Invalid NextToken."
)

// Resource kind the servers are stored under (storage.ResourceStore); the ID
// is the identifier.
const resourceKind = "resource-server"
