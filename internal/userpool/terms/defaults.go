package terms

// This file gathers the facts about Cognito that the package imitates. Each
// says where it comes from; "(unverified)" means it rests on reasoning, not
// on AWS documentation or a recorded response of the live service.
//
// Documented (API reference of CreateTerms and the managed-login guide):
//   - Terms belong to an app client; TermsName is terms-of-use or
//     privacy-policy; names are unique per app client (TermsExistsException).
//   - TermsSource accepts only LINK and Enforcement only NONE (the model's
//     enums); Links maps cognito:default or a managed-login language
//     (cognito:english, cognito:french, …) to a URL, 1 to 12 entries.
//   - Managed login shows the links on the sign-up page once both documents
//     exist in at least one language, choosing the user's language and
//     falling back to cognito:default.
//
// Chosen without confirmation (unverified):
//   - CreateTerms without Links is refused: the stored TermsType requires
//     Links.
//   - Link values must be absolute http(s) URLs.
//   - Terms go with their app client (deleted with it) and with their pool.
//   - ListTerms lists by TermsId, DefaultMaxResults a page.

// Names of terms documents (the TermsName pattern).
const (
	TermsOfUse    = "terms-of-use"
	PrivacyPolicy = "privacy-policy"
	// DefaultLanguage is the Links key used when the user's language has no
	// link of its own.
	DefaultLanguage = "cognito:default"
)

// DefaultMaxResults is ListTerms' page size when MaxResults is not given
// (unverified; the model allows 1–60).
const DefaultMaxResults = 60

// resourceKind is the storage.Resource kind of terms documents.
const resourceKind = "terms"

// Client-visible messages.
const (
	// msgClientNotFound is observed for app clients.
	msgClientNotFound = "User pool client %s does not exist."
	// msgTermsNotFound (unverified); %s is the TermsId.
	msgTermsNotFound = "Terms %s do not exist."
	// msgTermsExist (unverified); %s is the TermsName.
	msgTermsExist = "Terms with the name %s already exist for this app client."
	// msgLinksRequired (unverified).
	msgLinksRequired = "Links is required."
	// msgBadLink (unverified); %s is the language key.
	msgBadLink = "The link for %s must be an absolute http or https URL."
	// msgInvalidNextToken (unverified).
	msgInvalidNextToken = "Invalid NextToken."
	// msgConcurrentModification (unverified).
	msgConcurrentModification = "The terms were modified concurrently. Retry the request."
)

// languageKeys maps the language tags of the managed-login pages to the
// Links keys of their language (the LanguageIdType values).
var languageKeys = map[string]string{
	"en":    "cognito:english",
	"fr":    "cognito:french",
	"es":    "cognito:spanish",
	"de":    "cognito:german",
	"id":    "cognito:bahasa-indonesia",
	"it":    "cognito:italian",
	"ja":    "cognito:japanese",
	"ko":    "cognito:korean",
	"pt-BR": "cognito:portuguese-brazil",
	"zh-CN": "cognito:chinese-simplified",
	"zh-TW": "cognito:chinese-traditional",
}
