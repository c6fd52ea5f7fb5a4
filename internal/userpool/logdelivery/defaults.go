package logdelivery

// This file gathers the facts about Cognito that the package imitates. Each
// says where it comes from; "(unverified)" means it rests on reasoning, not on
// AWS documentation or a recorded response of the live service.
//
// Documented (developer guide, "Exporting logs from Amazon Cognito user
// pools", and the API reference of LogConfigurationType):
//   - userNotification logs (message-delivery errors) are ERROR level and go
//     to a CloudWatch Logs log group only; they need no particular plan.
//   - userAuthEvents logs (threat-protection user activity) are INFO level and
//     go to one of a log group, an S3 bucket or a Firehose stream; they need
//     the Plus feature plan, and are only produced while threat protection is
//     in audit or full-function mode.
//   - A configuration holds at most two entries, one per event source; user
//     activity cannot go to several destinations.
//   - The log event formats (eventTimestamp in epoch milliseconds as a
//     string, eventSource USER_NOTIFICATION / USER_ACTIVITY, logLevel,
//     message, logSourceId.userPoolId; the user-activity message's members,
//     its creationDate in Java's Date format, booleans as strings). "Some
//     fields might be logged with null values."
//   - Delivery is best effort.
//
// Chosen without confirmation (unverified):
//   - The messages of the refusals below, and that a configuration naming no
//     destination, or two, is InvalidParameterException.
//   - A destination ARN must name the service of its member (logs, s3,
//     firehose).
//   - GetLogDeliveryConfiguration of a pool never configured answers its
//     UserPoolId with an empty LogConfigurations.
//   - SetLogDeliveryConfiguration accepts userAuthEvents on a Plus pool whose
//     threat protection is off; events flow only while it is on (the account
//     family records none otherwise).
//   - The text of a notification error's details; the user-activity message's
//     riskDecision and riskLevel spellings (PASS, BLOCK, ACCOUNT_TAKEOVER;
//     LOW, MEDIUM, HIGH) and its challenges as {"challengeName",
//     "challengeResponse"} objects; clientId is empty (sign-in does not hand
//     it to the auth-event record).

import "time"

// resourceKind and resourceID name a pool's log delivery configuration in the
// resource store (one per pool).
const (
	resourceKind = "log-delivery"
	resourceID   = "configuration"
)

// Event sources as the log lines name them.
const (
	sourceNotification = "USER_NOTIFICATION"
	sourceActivity     = "USER_ACTIVITY"
)

// HTTPTimeout bounds one delivery to an HTTP sink; delivery runs in the
// request that caused the event.
const HTTPTimeout = 3 * time.Second

// javaDateLayout is the format of Java's Date.toString, which the
// user-activity log's creationDate uses ("Wed Jul 17 17:25:55 UTC 2024").
const javaDateLayout = "Mon Jan 02 15:04:05 MST 2006"

// Client-visible messages.
const (
	// msgPoolNotFound is observed for user pools.
	msgPoolNotFound = "User pool %s does not exist."
	// msgNoDestination (unverified); %d is the entry's position (1-based).
	msgNoDestination = "Log configuration %d must have exactly one destination."
	// msgNotificationLevel (unverified).
	msgNotificationLevel = "userNotification logs must have log level ERROR."
	// msgNotificationDestination (unverified).
	msgNotificationDestination = "userNotification logs can only be sent to CloudWatch Logs."
	// msgActivityLevel (unverified).
	msgActivityLevel = "userAuthEvents logs must have log level INFO."
	// msgDuplicateSource (unverified); %s is the event source.
	msgDuplicateSource = "Only one log configuration per event source is allowed: %s."
	// msgWrongService (unverified); %s the ARN, %s the service wanted.
	msgWrongService = "%s is not an ARN of %s."
	// msgActivityNeedsPlus (unverified wording; the rule is documented).
	msgActivityNeedsPlus = "Exporting user activity logs requires the Plus feature plan."
	// msgConcurrentModification (unverified).
	msgConcurrentModification = "The log delivery configuration was modified concurrently. Retry the request."
)
