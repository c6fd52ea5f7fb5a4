package branding

// This file gathers the facts about Cognito that the package imitates. Each
// says where it comes from; "(unverified)" marks third-party reports,
// emulators or reasoning rather than AWS documentation or recorded responses.
//
// Hosted UI (classic) customization, documented (developer guide "Customizing
// hosted UI (classic) branding", API reference Set/GetUICustomization):
//   - Settings apply to one app client or, with ClientId ALL (or none), to
//     every client without its own; a client with its own no longer falls
//     back to ALL. GetUICustomization answers the client's, else the pool's,
//     else an empty object.
//   - The pool must have a domain.
//   - CSS and logo are set together: a SetUICustomization replaces both.
//   - The logo is a PNG or JPEG of at most 100 KB.
//   - CSS may use only the documented classes (cssClasses); @import,
//     @supports, @page, @media and JavaScript are refused. Only the
//     documented properties of each class take effect ("Added CSS keys will
//     not be reflected in your UI"): HostedCSS keeps only those.
//
// Managed login branding, documented (API reference):
//   - One style per app client; a second answers
//     ManagedLoginBrandingExistsException.
//   - UseCognitoProvidedValues true must come without Settings and Assets.
//   - Updates preserve "existing style settings that you don't specify":
//     Settings are merged member by member (objects recursively, anything
//     else replaced) and Assets by (Category, ColorMode).
//   - ReturnMergedResources adds Cognito's defaults for what the style does
//     not set.
//   - At most 40 assets of at most 1,000,000 bytes each (model).
//
// Chosen without confirmation (unverified), with no switch:
//   - ImageUrl is a URL Cogito serves: {base}/_cogito/ui/{poolId}/{clientId or
//     ALL}/logo (Cognito answers a CloudFront URL).
//   - CSSVersion is the time of the SetUICustomization as yyyyMMddHHmmss
//     (the AWS CLI example shows "20190129172214").
//   - Unknown CSS properties of an allowed class are accepted and kept in
//     GetUICustomization's CSS, but left out of HostedCSS.
//   - Cognito's default branding document is large and unpublished; Cogito's
//     defaults (defaultSettings) are its own small document with the same
//     top-level members (categories, componentClasses, components).
//   - A style or UI customization of a deleted app client stays until it is
//     deleted (it is never used: client ids are not reused).

// Limits.
const (
	// maxLogoBytes is the documented logo limit (100 KB).
	maxLogoBytes = 100 * 1024
	// ALL is the ClientId of the pool-level UI customization.
	ALL = "ALL"
)

// cssClasses are the documented hosted UI (classic) classes and the
// properties each one honours.
var cssClasses = map[string][]string{
	".background-customizable":             {"background-color"},
	".banner-customizable":                 {"padding", "background-color"},
	".errorMessage-customizable":           {"margin", "padding", "font-size", "width", "background", "border", "color", "box-sizing"},
	".idpButton-customizable":              {"height", "width", "text-align", "margin-bottom", "color", "background-color", "border-color"},
	".idpButton-customizable:hover":        {"color", "background-color"},
	".idpDescription-customizable":         {"padding-top", "padding-bottom", "display", "font-size"},
	".inputField-customizable":             {"width", "height", "color", "background-color", "border"},
	".inputField-customizable:focus":       {"border-color", "outline"},
	".label-customizable":                  {"font-weight"},
	".legalText-customizable":              {"color", "font-size"},
	".logo-customizable":                   {"max-width", "max-height"},
	".passwordCheck-notValid-customizable": {"color"},
	".passwordCheck-valid-customizable":    {"color"},
	".redirect-customizable":               {"color", "font-size"},
	".socialButton-customizable":           {"height", "text-align", "width", "margin-bottom"},
	".submitButton-customizable":           {"font-size", "font-weight", "margin", "width", "height", "color", "background-color"},
	".submitButton-customizable:hover":     {"color", "background-color"},
	".textDescription-customizable":        {"padding-top", "padding-bottom", "display", "font-size"},
}

// forbiddenCSS may not appear in CSS (documented: @import, @supports, @page,
// @media, JavaScript; the rest are ways to run script from CSS).
var forbiddenCSS = []string{"@import", "@supports", "@page", "@media", "javascript:", "expression(", "<script", "behavior:", "-moz-binding"}

// Client-visible messages.
const (
	// msgClientNotFound: client id (observed).
	msgClientNotFound = "User pool client %s does not exist."
	// msgNoDomain refuses UI customization of a pool without a domain
	// (unverified wording; the rule is documented).
	msgNoDomain = "There has to be an existing domain associated with this user pool"
	// msgCSSInvalid: the reason (unverified).
	msgCSSInvalid = "css is not valid: %s"
	// msgImageTooLarge (unverified wording; the limit is documented).
	msgImageTooLarge = "The logo image must not be larger than 100 KB."
	// msgImageType (unverified wording; the formats are documented).
	msgImageType = "The logo image must be a PNG or JPEG file."
	// msgBrandingExists: client id (unverified).
	msgBrandingExists = "A managed login branding style already exists for app client %s."
	// msgBrandingNotFound: id (unverified).
	msgBrandingNotFound = "Managed login branding %s does not exist."
	// msgBrandingForClientNotFound: client id (unverified).
	msgBrandingForClientNotFound = "No managed login branding style is associated with app client %s."
	// msgDefaultsWithValues (unverified wording; the rule is documented).
	msgDefaultsWithValues = "Settings and Assets must be omitted when UseCognitoProvidedValues is true."
	// msgSettingsNotObject (unverified).
	msgSettingsNotObject = "Settings must be a JSON object."
	// msgDuplicateAsset: category, color mode (unverified).
	msgDuplicateAsset = "Duplicate asset for category %s and color mode %s."
	// msgMissingMember: member (unverified).
	msgMissingMember = "%s is required."
)

// Resource kinds (storage.ResourceStore).
const (
	// kindUI: ID the app client id or ALL.
	kindUI = "ui-customization"
	// kindStyle: ID the style's id, LookupKey "{poolId}/{clientId}" (one
	// style per client).
	kindStyle = "managed-login-branding"
)

// defaultSettings is Cogito's stand-in for Cognito's default branding
// document, merged under a style's own settings by ReturnMergedResources.
const defaultSettings = `{
  "categories": {
    "auth": {"authMethodOrder": [[{"display": "BUTTON", "type": "FEDERATED"}, {"display": "INPUT", "type": "USERNAME_PASSWORD"}]], "federation": {"interfaceStyle": "BUTTON_LIST", "order": []}},
    "form": {"displayGraphics": true, "instructions": {"enabled": false}, "languageSelector": {"enabled": false}, "location": {"horizontal": "CENTER", "vertical": "CENTER"}, "sessionTimerDisplay": "NONE"},
    "global": {"colorSchemeMode": "LIGHT", "pageFooter": {"enabled": false}, "pageHeader": {"enabled": false}, "spacingDensity": "REGULAR"},
    "signUp": {"acceptanceElements": []}
  },
  "componentClasses": {
    "buttons": {"borderRadius": 8},
    "input": {"borderRadius": 8, "lightMode": {"defaults": {"backgroundColor": "ffffffff", "borderColor": "949494ff"}}},
    "link": {"lightMode": {"defaults": {"textColor": "0972d3ff"}, "hover": {"textColor": "033160ff"}}}
  },
  "components": {
    "form": {"borderRadius": 8, "lightMode": {"backgroundColor": "ffffffff", "borderColor": "c6c6cdff"}},
    "pageBackground": {"image": {"enabled": true}, "lightMode": {"color": "ffffffff"}},
    "pageText": {"lightMode": {"bodyColor": "414d5cff", "descriptionColor": "414d5cff", "headingColor": "000716ff"}},
    "primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0972d3ff", "textColor": "ffffffff"}}}
  }
}`
