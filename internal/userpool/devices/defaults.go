package devices

import "time"

// This file gathers the Cognito facts the package imitates: client-visible
// messages, attribute names, limits and the rules chosen where Cognito's
// behaviour is not documented. "(documented)" means AWS documentation says
// so; "(observed)" that it is seen in real service output quoted publicly
// (issues, the AWS CLI reference's example output, SDK integration tests
// run against the live service); "(unverified)" that it rests on reasoning,
// emulators or third-party reports. Correct it here when better evidence
// turns up.
//
// Rules:
//   - Device tracking is on when the pool has a DeviceConfiguration
//     (documented: "When you provide a value for any DeviceConfiguration
//     field, you activate the Amazon Cognito device-remembering feature";
//     null deactivates it). In a pool without one every device operation
//     answers InvalidUserPoolConfigurationException msgTrackingOff
//     (unverified: the exception is in every device operation's model, and
//     Amplify's examples are reported to throw on such pools; the wording is
//     ours).
//   - A device key is "{region}_{uuid}" (documented). It is issued, with the
//     user's DeviceGroupKey, in NewDeviceMetadata after a sign-in that
//     authenticated no device, and the access token of that sign-in carries
//     it as device_key. Nothing is stored then: the device is recorded by
//     ConfirmDevice, whose access token proves the key was issued to that
//     user for that sign-in. A key that was never confirmed is therefore
//     unknown to every operation ("Device does not exist."), as a forgotten
//     one is (unverified: Cognito may keep unconfirmed keys; none of its
//     operations is known to show them).
//   - The DeviceGroupKey is one per user, the same for all their devices
//     (unverified: its name suggests a group of devices; clients store it
//     per device and treat it as opaque). Ours is "-" and 8 letters or
//     digits, derived from the master key, the pool and the user, like the
//     observed shape of real keys (unverified).
//   - ConfirmDevice's DeviceKey must be the device_key of its access token:
//     otherwise InvalidParameterException msgInvalidDeviceKey (observed:
//     "Invalid device key given." when the key and the token's sign-in do not
//     match, amplify-js #2705). Its DeviceSecretVerifierConfig is required
//     here (the model makes it optional; without a verifier the device could
//     never sign in; unverified) and must be base64 of a salt and of a group
//     element (msgInvalidVerifier, unverified wording). Confirming a device
//     already confirmed replaces its verifier and name (unverified).
//   - ConfirmDevice answers UserConfirmationNecessary false and records the
//     device as remembered when the pool always remembers devices
//     (DeviceOnlyRememberedOnUserPrompt false), and true with the device not
//     remembered when users opt in (documented: "the response from the
//     request to initiate tracking indicates whether the user should be
//     prompted"; then UpdateDeviceStatus remembers it).
//   - The user's own operations see remembered devices only: ListDevices
//     lists them, GetDevice of a not-remembered device is
//     ResourceNotFoundException (observed in the AWS Android SDK's
//     integration tests against the live service, and amazon-cognito-identity-js
//     documents that listDevices "only returns remembered devices").
//     UpdateDeviceStatus and ForgetDevice work on every device of the user
//     (observed for UpdateDeviceStatus; unverified for ForgetDevice). The
//     Admin* operations see every confirmed device, remembered or not
//     (observed: AdminGetDevice shows not_remembered devices).
//   - An unknown device key, a forgotten one, and another user's are all
//     ResourceNotFoundException msgDeviceNotFound (observed; Amplify matches
//     the text to drop a stale device and retry).
//   - ForgetDevice deletes the device; the refresh tokens issued to it stop
//     working (documented in the AWS blog on device tracking: "all future
//     calls to revalidate that device's refresh tokens will fail"). The
//     sign-in code asks RefreshAllowed before every refresh of a token issued
//     to a device. Access tokens already issued stay valid until they expire
//     (unverified).
//   - Device attributes, in this order (observed in the AWS CLI reference's
//     example output): device_status "valid", device_name (when the device
//     has one), dev:device_arn
//     ("arn:aws:cognito-idp:{region}:{account}:owner/{username}.{poolId}/device/{deviceKey}"),
//     dev:device_owner ("{username}.{poolId}"), last_ip_used (when known),
//     dev:device_remembered_status, dev:device_sdk. The owner is the internal
//     username (unverified: the examples show plain usernames); the SDK
//     value is deviceSDK (observed values "aws-sdk" and
//     "aws-sdk-unknown-unknown"; how Cognito derives it is unverified).
//   - DeviceCreateDate is when ConfirmDevice recorded the device,
//     DeviceLastModifiedDate changes with ConfirmDevice and the status
//     updates, DeviceLastAuthenticatedDate with every sign-in the device
//     authenticated (and ConfirmDevice) (observed: the example output's
//     creation and authentication dates coincide while the modification date
//     is later; which operations move each date is unverified).
//   - A device SRP answer is checked as the user's PASSWORD_VERIFIER is: a
//     wrong proof is NotAuthorizedException msgIncorrect, an expired block
//     msgSessionExpired, a bad SRP_A InvalidParameterException (unverified
//     for devices: the user flow's observed answers).

// Client-visible messages.
const (
	// msgDeviceNotFound (observed, reference facts §0.10 and §3.6),
	// ResourceNotFoundException.
	msgDeviceNotFound = "Device does not exist."
	// msgUserNotFound (observed), UserNotFoundException of the Admin*
	// operations.
	msgUserNotFound = "User does not exist."
	// msgTrackingOff (unverified wording), InvalidUserPoolConfigurationException
	// of every device operation in a pool without DeviceConfiguration.
	msgTrackingOff = "Device tracking is not enabled for this user pool."
	// msgInvalidDeviceKey (observed, amplify-js #2705), InvalidParameterException
	// of ConfirmDevice for a key that is not the access token's device.
	msgInvalidDeviceKey = "Invalid device key given."
	// msgInvalidVerifier (unverified wording), InvalidParameterException of
	// ConfirmDevice for a missing or malformed DeviceSecretVerifierConfig.
	msgInvalidVerifier = "Invalid device secret verifier config."
	// msgInvalidPaginationToken (unverified, the words of the other
	// families), InvalidParameterException for a PaginationToken this package
	// did not issue for the same listing.
	msgInvalidPaginationToken = "Invalid PaginationToken."
	// msgLimitZero (unverified; the 2018 answer the groups family reproduces
	// for Limit 0), InvalidParameterException.
	msgLimitZero = "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
	// msgMissingParameter (observed for the user flow), InvalidParameterException
	// of a device challenge answer without a required response. %s is its name.
	msgMissingParameter = "Missing required parameter %s"
	// msgInvalidSRPA (the sign-in family's words), InvalidParameterException.
	msgInvalidSRPA = "SRP_A is not a valid SRP public value."
	// msgBadTimestamp (observed for the user flow), InvalidParameterException.
	msgBadTimestamp = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
	// msgIncorrect (observed for the user flow), NotAuthorizedException of a
	// wrong device proof.
	msgIncorrect = "Incorrect username or password."
	// msgSessionExpired (observed), NotAuthorizedException of an expired
	// device SECRET_BLOCK.
	msgSessionExpired = "Invalid session for the user, session is expired."
	// msgTooManyRequests (unverified), TooManyRequestsException when a device
	// kept changing under a read-modify-write.
	msgTooManyRequests = "Too many requests"
)

// Device attribute names and values.
const (
	attrStatus           = "device_status"
	attrName             = "device_name"
	attrARN              = "dev:device_arn"
	attrOwner            = "dev:device_owner"
	attrLastIP           = "last_ip_used"
	attrRememberedStatus = "dev:device_remembered_status"
	attrSDK              = "dev:device_sdk"

	// statusValid is device_status of every device shown (observed).
	statusValid = "valid"
	// deviceSDK is dev:device_sdk (observed value; see the rules).
	deviceSDK = "aws-sdk"
)

// Limits and page sizes.
const (
	// DefaultListLimit is the page size of ListDevices and AdminListDevices
	// without Limit (unverified: 60 is the model's maximum and what Amplify
	// asks for).
	DefaultListLimit = 60
	// limitZeroMeansDefault: Limit 0 (allowed by the model's range 0–60) is
	// served as the default page size (unverified; false answers msgLimitZero).
	limitZeroMeansDefault = true
	// maxSRPStateAge bounds a device SECRET_BLOCK's age. The sign-in Session
	// it travels with expires first (AuthSessionValidity, 3–15 minutes);
	// this is the upper end of that range.
	maxSRPStateAge = 15 * time.Minute
)
