package replicas

// This file gathers the facts about Cognito that the package imitates. Each
// says where it comes from; "(unverified)" means it rests on reasoning, not on
// AWS documentation or a recorded response of the live service.
//
// Documented (developer guide, "Multi-Region replication for user pools", and
// the API reference of the replica operations):
//   - A replica is a user pool in another Region with the same user pool ID;
//     its ARN names its own Region. The primary is the authority for
//     configuration and directory writes; secondaries cannot create users and
//     inherit most settings.
//   - Replication needs the Essentials or Plus feature plan (not Lite).
//   - A new secondary starts INACTIVE (after CREATING); INACTIVE serves
//     administrator operations but no end users; ACTIVE serves both;
//     UpdateUserPoolReplica sets ACTIVE or INACTIVE; deletion goes through
//     DELETING.
//   - A SECONDARY supports "only administrator operations that set
//     configurations specific to the replica, and only end-user operations
//     that do not create or change attributes of a user";
//     OperationNotEnabledException is "thrown when an operation is not
//     available in the current region", e.g. in secondary replica regions.
//   - UserPoolTags on a replica are kept apart from the primary's.
//   - ListUserPools shows the Regions of a pool's replicas (ReplicaRegions).
//
// Chosen without confirmation (unverified):
//   - ListUserPoolReplicas lists the primary too (Role PRIMARY, ACTIVE),
//     first, then the secondaries by Region, in one page; ReplicaRegions
//     lists only the secondaries.
//   - CREATING lasts TransitionDelay, and so does DELETING before the replica
//     is gone (the live service takes minutes).
//   - The refusals' exceptions and messages below; which operations count as
//     reads, end-user operations and writes (classes.go): devices and sign-out
//     are allowed on an ACTIVE secondary, attribute, password, MFA and
//     passkey changes are not, and neither is any configuration write (the
//     replica-specific settings — email, SMS, triggers, log export, WAF —
//     are not emulated per Region).
//   - A request for a Region where the pool has no replica is served as
//     before (Cogito cannot tell a client's configured Region from where it
//     meant to send the request).
//
// Not emulated: the multi-Region KMS key and issuer requirements, regional
// settings of secondaries, failover of domains, replication delay.

import "time"

// TransitionDelay is how long a replica stays CREATING, and DELETING before
// it is gone, unless Config says otherwise.
const TransitionDelay = 2 * time.Second

// resourceKind is the storage.Resource kind of replicas; their ID is the
// Region.
const resourceKind = "replica"

// Client-visible messages.
const (
	// msgPoolNotFound is observed for user pools.
	msgPoolNotFound = "User pool %s does not exist."
	// msgReplicaNotFound (unverified); %s the Region, %s the pool.
	msgReplicaNotFound = "User pool %[2]s has no replica in %[1]s."
	// msgRegionNotServed (unverified); %s the Region.
	msgRegionNotServed = "Replicas cannot be created in region %s."
	// msgPrimaryRegion (unverified); %s the Region.
	msgPrimaryRegion = "%s is the primary region of the user pool."
	// msgReplicaExists (unverified); %s the Region.
	msgReplicaExists = "The user pool already has a replica in %s."
	// msgNeedsPlan (unverified wording; the rule is documented).
	msgNeedsPlan = "Multi-Region replication requires the Essentials or Plus feature plan."
	// msgReplicaBusy (unverified); %s the Region, %s the status.
	msgReplicaBusy = "The replica in %s is %s."
	// msgPrimaryStatus (unverified).
	msgPrimaryStatus = "The status of the primary user pool cannot be changed."
	// msgInvalidNextToken (unverified).
	msgInvalidNextToken = "Invalid NextToken."
	// msgSecondary (unverified): an operation a secondary does not serve.
	msgSecondary = "%s is not supported on a secondary replica user pool."
	// msgInactive (unverified): an end-user operation on an INACTIVE replica.
	msgInactive = "The replica user pool in %s is inactive."
	// msgNotReady (unverified): any operation on a CREATING or DELETING replica.
	msgNotReady = "The replica user pool in %s is %s."
	// msgConcurrentModification (unverified).
	msgConcurrentModification = "The replica was modified concurrently. Retry the request."
)
