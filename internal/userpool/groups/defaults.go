package groups

// This file gathers the facts about Cognito that the package imitates:
// limits, page sizes, orderings and the client-visible messages. Each one says
// where it comes from. "(unverified)" means it rests on third-party reports,
// emulators or reasoning, not on AWS documentation or a recorded response of
// the live service; correct it here when better evidence turns up.
//
// Behaviour chosen from documentation, with no switch:
//   - UpdateGroup changes only the members the request carries; an omitted
//     Description, RoleArn or Precedence keeps its value. The AWS CLI
//     update-group example sends only --description and --precedence and its
//     output still shows the group's RoleArn, and the Terraform provider (whose
//     acceptance tests run against AWS) sends only the changed members. A
//     value cannot be removed through UpdateGroup: an empty RoleArn fails the
//     model's length constraint and Precedence has no null.
//   - DeleteGroup deletes a group that still has members and drops the
//     memberships: the API reference says a deleted group "no longer
//     contributes to users' cognito:preferred_group or cognito:groups claims".
//     (An old developer-guide page said "Only groups with no members can be
//     deleted"; the current API reference contradicts it.)
//   - cognito:preferred_role (developer guide, "Using tokens to assign roles
//     to users" and CreateGroup's Precedence): when the user's groups carry a
//     single distinct role, that role; otherwise the role of the group with the
//     best (lowest) Precedence, null being worse than any number; when several
//     groups share the best Precedence, their common role if they all carry the
//     same one and no claim if they differ. Only groups that have a role take
//     part ("the group with the lowest precedence value whose role ARN is given
//     in the user's tokens").
//   - cognito:roles is the set of role ARNs of the user's groups (developer
//     guide: "a comma-separated string containing a set of allowed role ARNs";
//     tokens carry it as a JSON array), without repeats.
//
// Behaviour chosen without confirmation (unverified), with no switch:
//   - Group names are compared case-sensitively ("Admins" and "admins" are two
//     groups), whatever the pool's username case sensitivity. A 2024 Amplify
//     report (amplify-backend#1781) of "A group with the name already exists"
//     after renaming groups only by case hints that the live service may
//     compare them case-insensitively.
//   - cognito:groups lists the groups by Precedence, lowest first, groups
//     without Precedence last, ties by name (byte order). The documentation
//     does not give an order.
//   - AdminAddUserToGroup and AdminRemoveUserFromGroup check the group before
//     the user: with both unknown the answer is "Group not found.".
//   - AdminRemoveUserFromGroup succeeds for a user who is not a member.
//   - Memberships change neither the group's LastModifiedDate nor the user's
//     UserLastModifiedDate; UpdateGroup always sets LastModifiedDate, even when
//     the request changes nothing.
//   - ListGroups and AdminListGroupsForUser return groups by name;
//     ListUsersInGroup returns users by (normalized) username. The AWS CLI
//     list-users-in-group example is in neither username nor creation order, so
//     the live service's order is not one a client can rely on.
//   - A Description of "" is kept and shown as "" (not dropped).

// Documented quotas ("Quotas in Amazon Cognito": neither is adjustable).
const (
	// MaxGroupsPerPool is "Groups per user pool".
	MaxGroupsPerPool = 10000
	// MaxGroupsPerUser is "Groups to which each user can belong".
	MaxGroupsPerUser = 100
)

// Page sizes.
const (
	// DefaultListLimit is the page size of ListGroups, ListUsersInGroup and
	// AdminListGroupsForUser without Limit (unverified: 60 is ListUsers'
	// documented default and the model's maximum).
	DefaultListLimit = 60
	// limitZeroMeansDefault: Limit 0 (allowed by the model's range 0–60) is
	// served as the default page size (unverified). In 2018 the live service
	// answered AdminListGroupsForUser with Limit 0 by "1 validation error
	// detected: Value '0' at 'maxItems' failed to satisfy constraint: Member
	// must have value greater than or equal to 1" (aws-sdk-js#2193, reported
	// as a service bug); false reproduces that answer.
	limitZeroMeansDefault = true
)

// Client-visible messages.
const (
	// msgGroupExists is the GroupExistsException of CreateGroup (unverified
	// wording: moto answers "A group with the name already exists", and
	// amplify-backend#1781 quotes the service as "A group with the name ...
	// already exists").
	msgGroupExists = "A group with the name %s already exists."
	// msgGroupNotFound is ResourceNotFoundException for an unknown group
	// (observed: "ResourceNotFoundException: Group not found.",
	// amplify-cli#2214 and aws-aspnet-cognito-identity-provider#85).
	msgGroupNotFound = "Group not found."
	// msgUserNotFound is UserNotFoundException of the Admin* operations
	// (observed, reference facts §4.5).
	msgUserNotFound = "User does not exist."
	// msgInvalidNextToken answers a NextToken this package did not issue for
	// the same listing (unverified; the same words as the other families).
	msgInvalidNextToken = "Invalid NextToken."
	// msgLimitZero is the 2018 answer to Limit 0 (see limitZeroMeansDefault).
	msgLimitZero = "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"
	// msgTooManyGroups is LimitExceededException of CreateGroup at the pool
	// quota (unverified wording; the quota is documented).
	msgTooManyGroups = "The user pool has reached the maximum of %d groups."
	// msgTooManyGroupsForUser is LimitExceededException of AdminAddUserToGroup
	// for a user already in MaxGroupsPerUser groups (unverified: the model
	// lists no LimitExceededException for AdminAddUserToGroup, but the quota is
	// documented and not adjustable).
	msgTooManyGroupsForUser = "The user is already a member of the maximum of %d groups."
)
