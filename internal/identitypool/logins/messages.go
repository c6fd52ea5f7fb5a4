package logins

// Client-visible messages of login checks (NotAuthorizedException unless
// said otherwise). "observed" ones were seen in real service output quoted in
// public issue reports; the rest are (unverified) wordings.
const (
	// msgNotOIDC: the value is not a JWT at all (observed).
	msgNotOIDC = "Invalid login token. Not a valid OpenId Connect identity token."
	// msgMissingAud: a JWT without aud, e.g. a user pool access token (observed).
	msgMissingAud = "Invalid login token. Missing a required claim: aud"
	// msgIssuerMismatch: the token's iss is not the provider named (observed).
	msgIssuerMismatch = "Invalid login token. Issuer doesn't match providerName"
	// msgCouldntVerify: the signature does not verify (observed).
	msgCouldntVerify = "Invalid login token. Couldn't verify signed token."
	// msgExpired: "Token expired: <now> >= <exp>" in epoch seconds (observed).
	msgExpired = "Invalid login token. Token expired: %d >= %d"
	// msgUnsupportedProvider: the provider or the token's audience is not one
	// the identity pool trusts (observed).
	msgUnsupportedProvider = "Token is not from a supported provider of this identity pool."
	// msgInactive: ServerSideTokenCheck found the user signed out, deleted or
	// disabled (observed for sign-out; deletion and disabling (unverified)).
	msgInactive = "Token is inactive"

	// (unverified) wordings.
	msgDeveloperLogin       = "Developer provider logins can only be used with GetOpenIdTokenForDeveloperIdentity."
	msgProviderNotSupported = "Invalid login token. Logins of %s are not supported."
	msgSocialRejected       = "Invalid login token. The token was rejected by %s."
	msgInvalidSAML          = "Invalid login token. Invalid SAML assertion: %s"
	// msgExternal is ExternalServiceException: a provider could not be reached.
	msgExternal = "Unable to verify the login token with %s."
)
