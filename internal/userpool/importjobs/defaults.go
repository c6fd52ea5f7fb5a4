package importjobs

import "time"

// This file gathers the facts about Cognito that the package imitates: the
// client-visible messages, limits and behaviour choices. "(documented)" means
// the Amazon Cognito Developer Guide or API reference says so; "(observed)"
// means quoted from real service output in AWS's own CLI examples or public
// reports; "(unverified)" means it rests on reasoning or emulators. Correct
// them here when better evidence turns up.
//
// Behaviour chosen from documentation ("Importing users into a user pool from
// a CSV file" and its sub-pages):
//   - GetCSVHeader lists the pool's schema attributes in schema order without
//     sub (and without identities), then cognito:mfa_enabled and
//     cognito:username (documented sample response). Custom attributes come
//     with the others in schema order, that is after updated_at and before
//     cognito:mfa_enabled: two independently published headers of pools with
//     custom attributes show them there (unverified by a recorded response).
//   - The first row is the header; column order does not matter; every column
//     of the pool's header must be present, none other (documented "All
//     columns in the header must be present"). A header that is not the pool's
//     fails the job (documented "the import job will fail … Amazon Cognito is
//     unable to parse the .csv file"); its CompletionMessage is unverified.
//   - Values are not quoted; a comma inside a value is written "\,"; leading
//     and trailing white space is trimmed; the file is UTF-8 (documented).
//     Cogito also reads RFC 4180 double-quoted fields (what CSV writers such
//     as Python's csv module produce), and takes "\\" and "\"" as a
//     backslash and a quote; a backslash before anything else is kept
//     (unverified: the guide only shows "\,").
//   - Rows with no value at all (empty lines, lines of bare commas) are
//     ignored, not counted (unverified). A row with more or fewer values than
//     the header fails (unverified).
//   - Each user is created in RESET_REQUIRED, without a password, created now
//     (documented). Booleans may be written TRUE/FALSE (documented sample).
//     birthdate is written mm/dd/yyyy in the file (documented) and kept as
//     the standard YYYY-MM-DD (unverified conversion; a value already in
//     YYYY-MM-DD is taken as is).
//   - A row fails, and the job goes on, when no auto-verified attribute of the
//     pool is set to true ("[FAILED] Line Number N - The User Record does not
//     set any of the auto verified attributes to true." observed in the
//     guide's CloudWatch sample), when the data does not match the schema,
//     when email_verified (phone_number_verified) is true without email
//     (phone_number), or when cognito:mfa_enabled is empty or contradicts the
//     pool's MFA setting (documented rules). So a pool without
//     AutoVerifiedAttributes imports nobody (documented: "the import job will
//     not start"; that it is every row failing rather than a refused
//     StartUserImportJob is unverified).
//   - A user whose username exists is skipped ("[SKIPPED] … The user already
//     exists." observed); a row whose alias (email, phone or
//     preferred_username) another user holds fails (unverified).
//   - Only one import job of an account runs at a time (documented for
//     StartUserImportJob); a started job waits in Pending meanwhile
//     (unverified: Pending is documented as "started, but has not begun
//     importing users yet").
//   - A Created job not started within 24–48 hours expires (documented); the
//     AWS CLI example shows Expired about 24.5 hours after creation, so
//     Cogito expires it after createdJobLifetime.
//
// Behaviour that is Cogito's own (Cognito has no equivalent):
//   - The pre-signed URL points at Cogito's upload endpoint
//     (PUT /_cogito/import/{poolId}/{jobId}?expires=…&signature=…), an HMAC-SHA256
//     over pool, job and expiry with the configured key.
//   - A job whose worker died (crash, shutdown) is Failed with msgInterrupted;
//     see Recover.

// Client-visible messages.
const (
	// msgPoolNotFound comes from pools.Load ("User pool %s does not exist.").

	// msgJobNotFound (unverified), ResourceNotFoundException for an unknown job id.
	msgJobNotFound = "Import job %s does not exist."
	// msgNoUpload (observed: "No csv file was uploaded for import-9sHxosU7BP"),
	// PreconditionNotMetException of StartUserImportJob before an upload.
	msgNoUpload = "No csv file was uploaded for %s"
	// msgNotStartable (unverified), PreconditionNotMetException of
	// StartUserImportJob for a job not in Created.
	msgNotStartable = "Import job %s cannot be started because its status is %s."
	// msgNotStoppable (unverified), PreconditionNotMetException of
	// StopUserImportJob for a job neither Pending nor InProgress.
	msgNotStoppable = "Import job %s cannot be stopped because its status is %s."
	// msgTooManyJobs (unverified), LimitExceededException of CreateUserImportJob
	// at the documented quota.
	msgTooManyJobs = "The user pool has reached the limit of %d import jobs."
	// msgInvalidPaginationToken (unverified), InvalidParameterException.
	msgInvalidPaginationToken = "Invalid pagination token."
	// rowBadHash (unverified): the password-hash column holds something that
	// is not a hash of the job's PasswordHashingAlgorithm.
	rowBadHash = "The password hash is not a valid hash for the import job's PasswordHashingAlgorithm."
)

// CompletionMessage values.
const (
	// msgSucceeded (observed in the AWS CLI list-user-import-jobs example).
	msgSucceeded = "Import Job Completed Successfully."
	// msgTooManyFailed (observed, documented samples and public reports).
	msgTooManyFailed = "Too many users have failed or been skipped during the import."
	// msgStopped (observed, AWS CLI stop-user-import-job example).
	msgStopped = "The Import Job was stopped by the developer."
	// msgExpired (observed, AWS CLI list-user-import-jobs example).
	msgExpired = "The user import job has expired."
	// msgBadHeader (unverified): the header is not the pool's.
	msgBadHeader = "The CSV header does not match the user pool's attributes."
	// msgUnparsable (unverified): the file is empty or not UTF-8.
	msgUnparsable = "Unable to parse the CSV file."
	// msgTooManyRows (unverified): more users than the documented maximum.
	msgTooManyRows = "The CSV file contains more than 500000 users."
	// msgInterrupted (Cogito's own): the process running the job stopped
	// (crash or shutdown) before the job completed.
	msgInterrupted = "The import job was interrupted before it completed."
	// msgPoolDeleted (unverified): documented as a cause of a failed job.
	msgPoolDeleted = "The user pool has been deleted."
)

// Per-row results, written to the log at debug level the way Cognito writes
// them to CloudWatch Logs (line numbers only, never user data).
const (
	// rowSucceeded (observed).
	rowSucceeded = "The import succeeded."
	// rowExists (observed).
	rowExists = "The user already exists."
	// rowNoAutoVerified (observed in the developer guide's CloudWatch sample).
	rowNoAutoVerified = "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."
	// rowFieldCount (unverified): a row with more or fewer values than the header.
	rowFieldCount = "The number of values does not match the number of columns in the header."
	// rowTooLong (unverified): a row over the documented 16,000 characters.
	rowTooLong = "The row is longer than 16000 characters."
	// rowNoUsername (unverified).
	rowNoUsername = "The cognito:username field is required."
	// rowBadUsername (unverified): whitespace, control characters or over 128 characters.
	rowBadUsername = "The cognito:username value is not a valid username."
	// rowMFA (unverified): cognito:mfa_enabled empty, not a boolean, or against the pool's MFA setting.
	rowMFA = "The cognito:mfa_enabled value is not valid for the user pool's MFA configuration."
	// rowVerifiedWithoutValue (unverified).
	rowVerifiedWithoutValue = "%s is true but %s is empty."
	// rowInternal (documented as a cause: "an internal error").
	rowInternal = "The user could not be imported because of an internal error."
)

// Limits and times.
const (
	// MaxJobsPerPool is "User import jobs per user pool" (quota, documented 1,000).
	MaxJobsPerPool = 1000
	// MaxUploadBytes is the documented maximum CSV file size (100 MB).
	MaxUploadBytes = 100 << 20
	// maxRows is the documented maximum number of users in a file.
	maxRows = 500000
	// maxRowChars is the documented maximum row length.
	maxRowChars = 16000
	// maxUsernameChars is the model's Username length limit.
	maxUsernameChars = 128
	// uploadValidity: "The PRE_SIGNED_URL returned in the response is valid
	// for 15 minutes" (documented).
	uploadValidity = 15 * time.Minute
	// createdJobLifetime: a job not started expires (documented 24–48 hours;
	// the AWS CLI example shows ~24.5 hours).
	createdJobLifetime = 24 * time.Hour
	// jobLease is how long a running job may go without a progress
	// checkpoint before another process takes it for dead (Cogito's own;
	// checkpoints come every batch, normally well under a second apart).
	jobLease = 2 * time.Minute
	// stopWait is how long StopUserImportJob waits for a job running in this
	// process to acknowledge the stop, so that it can answer Stopped as the
	// AWS CLI example shows (Cogito's own).
	stopWait = 2 * time.Second
	// defaultBatchSize is the number of rows between progress checkpoints.
	defaultBatchSize = 500
	// defaultMaxConcurrentJobs: "Only one import job can be active at a
	// time per account" (documented).
	defaultMaxConcurrentJobs = 1
)

// tooManyFailed reports whether a finished job counts as Failed. Every
// published result with a failed or skipped user is Failed (0/1, 0/5 and
// 14 imported with 32 failed), and none shows Succeeded with one, so any
// failed or skipped user fails the job (unverified as a rule).
func tooManyFailed(imported, skipped, failed int64) bool {
	return skipped+failed > 0
}
