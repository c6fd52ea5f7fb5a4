package limits

// This file gathers the facts about Cognito that the package imitates: the
// API rate categories, their default (free) rates, which operations count
// against which category, and the client-visible messages. Each says where it
// comes from. "(unverified)" means it rests on third-party reports or
// reasoning, not on AWS documentation or a recorded response of the live
// service; correct it here when better evidence turns up.
//
// Documented (developer guide, "Quotas in Amazon Cognito", and the Service
// Quotas list of cognito-idp):
//   - A category's rate is requests per second for all its operations
//     together, per account and Region, across all user pools.
//   - UserAuthentication: InitiateAuth and AdminInitiateAuth count against the
//     category; RespondToAuthChallenge and AdminRespondToAuthChallenge have a
//     separate allowance of three times the category's rate, and what goes
//     beyond it counts against the category.
//   - UserPoolResourceRead/Update and UserPoolClientRead/Update: each
//     operation is also held to 5 requests per second per user pool.
//   - The default rates and which categories are adjustable (the table below).
//   - Throttled requests answer TooManyRequestsException; its message "Rate
//     exceeded" is what the live service sends (observed in public reports:
//     amplify-js#3554, boto3#2517), with HTTP 400 (aws-sdk-java#2301 shows
//     "Status Code: 400").
//
// Chosen without confirmation (unverified):
//   - The assignment of operations beyond the documented examples to
//     categories (operations.go), from the category descriptions.
//   - GetTokensFromRefreshToken counts as UserAuthentication, as the quota
//     guide counts token refreshes (then InitiateAuth REFRESH_TOKEN_AUTH) there.
//   - GetProvisionedLimit and UpdateProvisionedLimit are never throttled, so a
//     limit set too low can always be raised again.
//   - UpdateProvisionedLimit accepts any category and any value from 1 to
//     MaxProvisionedLimit, below the free rate too: lowering a limit is how an
//     application tests its throttling handling. Whether Cognito refuses
//     non-adjustable categories or values under the free rate is not known.
//   - Windows are whole seconds of the server clock (fixed windows).
//
// Not emulated: the per-user limits (10 reads and 10 writes per second per
// user), the UserFederation and ClientAuthentication categories outside the
// API (they need the hosted UI and token endpoint; Allow serves them), and
// the identity-pool operation rates.

import "github.com/cogito-dev/cogito/internal/api/cognitoidp"

// Category is a user-pool API rate category.
type Category string

// The categories (the Category attribute of a LimitDefinition).
const (
	UserAuthentication     Category = "UserAuthentication"
	UserCreation           Category = "UserCreation"
	UserFederation         Category = "UserFederation"
	UserAccountRecovery    Category = "UserAccountRecovery"
	UserRead               Category = "UserRead"
	UserUpdate             Category = "UserUpdate"
	UserToken              Category = "UserToken"
	UserResourceRead       Category = "UserResourceRead"
	UserResourceUpdate     Category = "UserResourceUpdate"
	UserList               Category = "UserList"
	UserPoolRead           Category = "UserPoolRead"
	UserPoolUpdate         Category = "UserPoolUpdate"
	UserPoolResourceRead   Category = "UserPoolResourceRead"
	UserPoolResourceUpdate Category = "UserPoolResourceUpdate"
	UserPoolClientRead     Category = "UserPoolClientRead"
	UserPoolClientUpdate   Category = "UserPoolClientUpdate"
	ClientAuthentication   Category = "ClientAuthentication"
)

// categoryInfo is what Cognito documents of a category.
type categoryInfo struct {
	// Free is the default rate in requests per second (FreeLimitValue).
	Free int32
	// Adjustable says whether a quota increase can be requested.
	Adjustable bool
	// PerPool holds each operation of the category to PerPoolOperationLimit
	// requests per second per user pool as well.
	PerPool bool
}

// categories are the documented categories with their default rates.
var categories = map[Category]categoryInfo{
	UserAuthentication:     {Free: 120, Adjustable: true},
	UserCreation:           {Free: 50, Adjustable: true},
	UserFederation:         {Free: 25, Adjustable: true},
	UserAccountRecovery:    {Free: 30},
	UserRead:               {Free: 120, Adjustable: true},
	UserUpdate:             {Free: 25},
	UserToken:              {Free: 120, Adjustable: true},
	UserResourceRead:       {Free: 50, Adjustable: true},
	UserResourceUpdate:     {Free: 25},
	UserList:               {Free: 30},
	UserPoolRead:           {Free: 15},
	UserPoolUpdate:         {Free: 15},
	UserPoolResourceRead:   {Free: 20, PerPool: true},
	UserPoolResourceUpdate: {Free: 15, PerPool: true},
	UserPoolClientRead:     {Free: 15, PerPool: true},
	UserPoolClientUpdate:   {Free: 15, PerPool: true},
	ClientAuthentication:   {Free: 150},
}

const (
	// PerPoolOperationLimit is the documented 5 requests per second per user
	// pool of each operation in the PerPool categories.
	PerPoolOperationLimit = 5
	// ChallengeAllowanceFactor: RespondToAuthChallenge and
	// AdminRespondToAuthChallenge may run at this many times the
	// UserAuthentication rate before counting against it (documented).
	ChallengeAllowanceFactor = 3
	// MaxProvisionedLimit bounds RequestedLimitValue (unverified: Cognito's
	// bound is not documented).
	MaxProvisionedLimit = 1_000_000
	// categoryAttribute is the LimitDefinition attribute naming the category
	// (documented: "specify the Category key").
	categoryAttribute = "Category"
)

// Client-visible messages.
const (
	// msgRateExceeded is observed (see above).
	msgRateExceeded = "Rate exceeded"
	// msgNoCategory (unverified).
	msgNoCategory = "LimitDefinition.Attributes must contain the key Category."
	// msgUnknownCategory (unverified); %s is the category given.
	msgUnknownCategory = "Unknown API category: %s."
	// msgUnknownAttribute (unverified); %s is the attribute key.
	msgUnknownAttribute = "Unsupported limit attribute: %s."
	// msgBadLimitValue (unverified); %d is the maximum.
	msgBadLimitValue = "RequestedLimitValue must be between 1 and %d."
)

// throttled is the answer to a request over its category's rate.
func throttled() error { return cognitoidp.NewTooManyRequestsException(msgRateExceeded) }
