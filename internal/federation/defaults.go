package federation

import "time"

// This file gathers the facts about Cognito's federation that the package
// imitates. Each says where it comes from; "(unverified)" marks third-party
// reports, emulators or reasoning rather than AWS documentation.
//
// Documented (developer guide, "Adding user pool sign-in through a third
// party", "Using SAML identity providers", "Using OIDC identity providers",
// "Specifying identity provider attribute mappings", "The IdP SAML assertion
// endpoint", "SAML session initiation", AdminLinkProviderForUser):
//   - The OIDC and social providers answer at https://{domain}/oauth2/idpresponse,
//     SAML providers post to https://{domain}/saml2/idpresponse (POST
//     binding). The SP entity id and audience is urn:amazon:cognito:sp:{poolId}.
//   - A sign-in that is not completed within 5 minutes is cancelled
//     (RoundTripLifetime).
//   - OIDC: Cognito authenticates at the IdP's token endpoint with
//     client_secret_post and does not read token_endpoint_auth_methods_supported.
//     (Cogito departs here: an IdP whose discovery document offers only
//     client_secret_basic gets Basic authentication.) The ID token is
//     verified with the IdP's JWKS; the userInfo endpoint is read with the
//     attributes_request_method.
//   - Federated users are created with the username {ProviderName}_{user id},
//     status EXTERNAL_PROVIDER and the identities attribute; at every later
//     sign-in Cognito updates each mapped attribute from the IdP (claims the
//     IdP no longer sends are left alone).
//   - A mapped email is unverified unless email_verified is mapped too.
//   - Multi-valued IdP attributes: the values, URL form-encoded when they
//     hold characters other than letters, digits and . - * _, joined in
//     brackets ("[a, b]"; the brackets and separator are what users report
//     seeing (unverified)).
//   - An identity linked with AdminLinkProviderForUser signs in as the
//     destination user, whose mapped attributes are updated (the reason every
//     attribute of the destination must be mutable).
//   - PreSignUp_ExternalProvider runs when a federated user is created; the
//     pre authentication trigger runs at federated sign-ins (the attribute
//     mapping guide suggests it to clear attributes before the mapping
//     re-fills them).
//   - SAML: assertions must be signed by a certificate of the IdP's metadata
//     (any of several); the same assertion is never accepted twice;
//     IdP-initiated sign-in (the provider's IDPInit detail) posts a response
//     without InResponseTo whose RelayState holds the authorize parameters
//     (response_type, client_id, redirect_uri, scope, identity_provider or
//     idp_identifier); the endpoint accepts responses of up to 100,000
//     characters. SAML requests are signed (RequestSigningAlgorithm
//     rsa-sha256) with the pool's signing certificate, the one
//     GetSigningCertificate returns.
//
// Chosen without confirmation (unverified):
//   - The round trip state (the sealed login transaction, PKCE verifier,
//     nonce, SAML request id) travels in the OIDC state / SAML RelayState
//     parameter, sealed with Cogito's master key, and is good once.
//   - PKCE (S256) is sent to every OIDC IdP.
//   - First sign-in runs PreSignUp_ExternalProvider, creates the user, then
//     post confirmation (PostConfirmation_ConfirmSignUp) and post
//     authentication; later sign-ins run pre authentication, update the
//     attributes, then post authentication. autoVerifyEmail/autoVerifyPhone
//     of the pre sign-up answer mark the mapped email/phone verified.
//   - Federated users claim no aliases (an email of a federated user never
//     clashes with a local user's, as pools with email usernames show in
//     practice).
//   - The identities entry's issuer is null, except for SAML providers,
//     whose entity id it holds.
//   - Encrypted SAML assertions are decrypted with the pool's signing key
//     (Cognito keeps a separate encryption certificate); unencrypted ones
//     are accepted even when EncryptedResponses is true.
//   - The SP metadata is served at /saml2/metadata under the pool's domain
//     (Cognito documents none).
//   - SAML time checks are crewjam/saml's, on the wall clock (as IdPs stamp
//     assertions), not on Cogito's test clock: a response must be issued
//     within 90 s (Cognito documents 6 minutes for IdP-initiated ones), with
//     180 s of clock skew allowed on NotBefore/NotOnOrAfter.
//   - Error words sent to the app client's redirect_uri (messages below).

// RoundTripLifetime is how long a sign-in at an external IdP may take
// (documented: requests not completed within 5 minutes are cancelled).
const RoundTripLifetime = 5 * time.Minute

// Limits and timings.
const (
	// maxSAMLResponse is the largest SAMLResponse the endpoint accepts
	// (documented: 100,000 characters).
	maxSAMLResponse = 100_000
	// maxFormBytes bounds the body of the idpresponse endpoints.
	maxFormBytes = 256 << 10
	// maxFetchBytes bounds a fetched discovery, JWKS, token, userinfo or
	// metadata document.
	maxFetchBytes = 1 << 20
	// DefaultHTTPTimeout bounds one call to an IdP.
	DefaultHTTPTimeout = 10 * time.Second
	// metadataCacheTTL is how long a fetched SAML MetadataURL document or
	// OIDC discovery document is reused (unverified: Cognito's refresh
	// interval is not documented).
	metadataCacheTTL = 10 * time.Minute
	// maxCached bounds each cache (key sets, metadata, discovery).
	maxCached = 256
	// appleSecretLifetime is the lifetime of the client_secret JWT Cogito
	// signs for Sign in with Apple (Apple allows up to six months).
	appleSecretLifetime = 5 * time.Minute
)

// SPEntityIDPrefix is the SAML SP entity id (audience) of a pool, followed by
// the pool id (documented).
const SPEntityIDPrefix = "urn:amazon:cognito:sp:"

// Paths of the endpoints under a pool's domain.
const (
	OIDCCallbackPath = "/oauth2/idpresponse"
	SAMLACSPath      = "/saml2/idpresponse"
	SAMLMetadataPath = "/saml2/metadata"
)

// UsernameSeparator joins the provider name and the user id in a federated
// user's username (documented: Google_1234...).
const UsernameSeparator = "_"

// SAML bindings and algorithms.
const (
	bindingRedirect  = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	bindingPost      = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
	sigAlgRSASHA256  = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	requestSigningV1 = "rsa-sha256"
)

// Provider types (the generated enum's values, as ProviderType strings).
const (
	typeOIDC     = "OIDC"
	typeSAML     = "SAML"
	typeGoogle   = "Google"
	typeFacebook = "Facebook"
	typeAmazon   = "LoginWithAmazon"
	typeApple    = "SignInWithApple"
)

// socialDefaults are endpoints Cogito needs that the stored provider details
// do not carry (the details carry authorize_url, token_url and, for most,
// attributes_url and oidc_issuer; see the idps package). Google's ID tokens
// are verified with its published keys and give the claims, its people API
// the mapped ones they lack; Apple's ID tokens with Apple's keys.
var socialDefaults = map[string]map[string]string{
	typeGoogle: {
		"jwks_uri":       "https://www.googleapis.com/oauth2/v3/certs",
		"oidc_issuer":    "https://accounts.google.com",
		"attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
		"authorize_url":  "https://accounts.google.com/o/oauth2/v2/auth",
		"token_url":      "https://oauth2.googleapis.com/token",
	},
	typeApple: {
		"jwks_uri":      "https://appleid.apple.com/auth/keys",
		"oidc_issuer":   "https://appleid.apple.com",
		"authorize_url": "https://appleid.apple.com/auth/authorize",
		"token_url":     "https://appleid.apple.com/auth/token",
	},
	typeAmazon: {
		"authorize_url":  "https://www.amazon.com/ap/oa",
		"token_url":      "https://api.amazon.com/auth/o2/token",
		"attributes_url": "https://api.amazon.com/user/profile",
	},
	typeFacebook: {
		"authorize_url":  "https://www.facebook.com/dialog/oauth",
		"token_url":      "https://graph.facebook.com/oauth/access_token",
		"attributes_url": "https://graph.facebook.com/me?fields=",
	},
}

// subjectClaims is the claim holding a provider's user id when the
// AttributeMapping maps no "username" (the idps package adds the same
// default mapping at create time).
var subjectClaims = map[string]string{
	typeOIDC: "sub", typeGoogle: "sub", typeApple: "sub",
	typeFacebook: "id", typeAmazon: "user_id",
}

// appleAudience is the aud of Sign in with Apple's client_secret JWT
// (Apple's documentation).
const appleAudience = "https://appleid.apple.com"

// OAuth 2.0 error codes sent to the app client (RFC 6749).
const (
	errInvalidRequest = "invalid_request"
	errAccessDenied   = "access_denied"
	errServerError    = "server_error"
	errUnauthorized   = "unauthorized_client"
	errInvalidScope   = "invalid_scope"
)

// Messages. The error_description values Cognito sends are known only from
// reports; each is (unverified) unless it says otherwise.
const (
	// msgAttributesRequired: the missing attribute names, comma separated
	// (reported: "attributes required: [email]").
	msgAttributesRequired = "attributes required: [%s]"
	// msgUserDisabled: a disabled user signing in (reported: "User is disabled.").
	msgUserDisabled = "User is disabled."
	// msgInvalidAttributes: the attribute check's own message.
	msgInvalidAttributes = "Invalid user attributes: %s"
	// msgProviderGone: the provider was deleted meanwhile.
	msgProviderGone = "The identity provider %s does not exist."
	// msgIdPError: the IdP's error and description.
	msgIdPError = "Error from the identity provider: %s"
	// msgNoCode: the IdP's answer carried no code.
	msgNoCode = "The identity provider returned no authorization code."
	// msgTokenExchange: the token request failed.
	msgTokenExchange = "Unable to exchange the authorization code with the identity provider."
	// msgBadIDToken: the ID token failed verification.
	msgBadIDToken = "Invalid id_token from the identity provider."
	// msgNoSubject: the claim the username is mapped to is missing.
	msgNoSubject = "The identity provider did not send the user identifier (%s)."
	// msgUserInfo: the userinfo/attributes request failed.
	msgUserInfo = "Unable to read the user's attributes from the identity provider."
	// msgSAMLInvalid: the SAML response failed validation (reported shape:
	// "Invalid SAML response received: ...").
	msgSAMLInvalid = "Invalid SAML response received: %s"
	// msgSAMLReplay: an assertion seen before.
	msgSAMLReplay = "Invalid SAML response received: the assertion was already used."
	// msgSAMLStatus: the IdP answered a SAML status other than Success.
	msgSAMLStatus = "Error in SAML response processing: the identity provider answered %s."
	// msgSAMLNoIDPInit: an unsolicited response for a provider without IDPInit.
	msgSAMLNoIDPInit = "IdP-initiated sign-in is not enabled for the identity provider %s."
	// msgInternal: anything else.
	msgInternal = "An internal error occurred. Please try again."
	// msgPageError is the page shown when there is no redirect_uri to send
	// an error to (Cognito's error page says "An error was encountered with
	// the requested page.").
	msgPageError = "An error was encountered with the requested page."
	// msgPageExpired explains an expired or altered state.
	msgPageExpired = "Your sign-in took too long or the request was altered. Go back to the application and sign in again."
	// msgIDPInitParams: an IdP-initiated RelayState lacking parameters or
	// naming an unknown client, a redirect_uri the client does not register.
	msgIDPInitParams = "Invalid RelayState: %s"
)
