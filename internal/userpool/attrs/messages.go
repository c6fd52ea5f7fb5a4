package attrs

// Client-visible messages of attribute validation, in one place so they are
// easy to correct. Those marked (unverified) are best guesses.
const (
	// msgSchemaPrefix starts every schema failure; several failures are joined with "\n"
	// (observed: "Attributes did not conform to the schema: email: The attribute is required").
	msgSchemaPrefix = "Attributes did not conform to the schema: "
	// msgRequired (observed).
	msgRequired = "The attribute is required"
	// msgUnknown (unverified wording after the name).
	msgUnknown = "Attribute does not exist in the schema."
	// msgImmutable (observed from federation: "user.email: Attribute cannot be updated.").
	msgImmutable = "Attribute cannot be updated."
	// msgTooLong / msgTooShort (unverified).
	msgTooLong  = "String must be no longer than %d characters"
	msgTooShort = "String must be at least %d characters long"
	// msgNotNumber / range (unverified).
	msgNotNumber = "Number must be a number"
	msgNumTooLow = "Number must be greater than or equal to %s"
	msgNumHigh   = "Number must be less than or equal to %s"
	// msgNotBoolean (unverified).
	msgNotBoolean = "Boolean must be either true or false"
	// msgNotDate (unverified).
	msgNotDate = "DateTime must be a date"
	// msgBirthdate (unverified).
	msgBirthdate = "Birthdate must be in the format YYYY-MM-DD"
	// MsgInvalidEmail (observed).
	MsgInvalidEmail = "Invalid email address format."
	// MsgInvalidPhone (observed).
	MsgInvalidPhone = "Invalid phone number format."
	// MsgUnauthorizedWrite (observed, NotAuthorizedException).
	MsgUnauthorizedWrite = "A client attempted to write unauthorized attribute"
	// msgDuplicate (unverified).
	msgDuplicate = "Duplicate attribute names are not allowed: %s"
	// MsgUsernameIsEmail: a username that looks like an email in a pool with an email alias
	// (unverified wording).
	MsgUsernameIsEmail = "Username should be either an email or a phone number."
	// MsgUsernameLooksLikeAlias: username shaped like an enabled alias (unverified).
	MsgUsernameLooksLikeAlias = "Username cannot be of email format, since user pool is configured for email alias."
	// MsgUsernameLooksLikePhone (unverified).
	MsgUsernameLooksLikePhone = "Username cannot be of phone number format, since user pool is configured for phone number alias."
)
