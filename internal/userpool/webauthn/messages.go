package webauthn

// Client-visible messages. None has been observed from the live service;
// all are (unverified) and chosen to say what went wrong.
const (
	msgNotEnabled           = "Passkeys are not enabled for this user pool."
	msgConfigurationMissing = "The user pool has no relying party id and no domain for passkeys."
	msgLimitExceeded        = "The user has registered the maximum number of passkeys."
	msgChallengeNotFound    = "The passkey registration challenge was not found or has expired."
	msgClientMismatch       = "The access token was issued to a different app client than the one that started the passkey registration."
	msgOriginNotAllowed     = "The origin of the passkey registration is not allowed for the user pool's relying party."
	msgRelyingPartyMismatch = "The passkey was created for a different relying party than the user pool's."
	msgBadCredential        = "The passkey registration response is invalid."
	msgBadAttestation       = "The passkey attestation could not be verified."
	msgNoUserPresence       = "The passkey registration response lacks user presence."
	msgUserVerification     = "The user pool requires a passkey that verifies the user."
	msgUnsupportedAlgorithm = "The passkey uses an unsupported public key algorithm."
	msgUnsupportedFormat    = "The passkey uses an unsupported attestation format."
	msgAlreadyRegistered    = "This passkey is already registered."
	msgCredentialNotFound   = "Credential not found."
	msgInvalidNextToken     = "Invalid NextToken."
	msgSignInFailed         = "Incorrect passkey or authentication state for the user."
	// msgUserGone is the account family's UserNotFoundException text.
	msgUserGone = "User does not exist."
)
