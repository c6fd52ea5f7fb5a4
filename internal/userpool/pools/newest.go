package pools

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// The pool members that the JS SDK v3 declarations add to the Smithy model
// (KeyConfiguration, AcrConfiguration, DcrConfiguration and SmsConfiguration's
// EumsSms; IssuerConfiguration is the issuer's, see internal/server). The
// generated validators know only their enums and required members, so the
// lengths and patterns AWS's API reference gives them are checked here, with
// the model's Coral wording, and Cognito's rules after them. What Cogito does
// with each is in defaults.go.

var (
	// reARN is the model's ArnType pattern (KmsKeyArn and CallerArn use it).
	reARN = regexp.MustCompile(`^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$`)
	// reKMSKey is a KMS key ARN: arn:{partition}:kms:{region}:{account}:key/{id}
	// (single-Region ids are UUIDs, multi-Region ones "mrk-" and 32 hex digits).
	reKMSKey = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)
	// reACRValue is AcrLevelConfigType.AcrValue's pattern (API reference).
	reACRValue = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`)
	// reScope is the model's ScopeType pattern (DcrConfiguration.AllowedScopes).
	reScope = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`)
	// reE164 is a phone number in E.164 form.
	reE164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
)

// Patterns as the validation messages print them.
const (
	shownARN   = `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`
	shownACR   = `[\x21\x23-\x5B\x5D-\x7E]+`
	shownScope = `[\x21\x23-\x5B\x5D-\x7E]+`
)

// ACR levels: the four fixed authentication context class reference levels
// (AcrConfiguration's keys) and the names Cognito reports for them by default.
const (
	ACRLevel1 = "Level1"
	ACRLevel2 = "Level2"
	ACRLevel3 = "Level3"
	ACRLevel4 = "Level4"
)

// acrLevels lists the levels in order; DefaultACRValues their default names
// (AcrConfiguration docs: "By default, the levels are named urn:cognito:loa:1
// through urn:cognito:loa:4").
var (
	acrLevels        = []string{ACRLevel1, ACRLevel2, ACRLevel3, ACRLevel4}
	DefaultACRValues = map[string]string{
		ACRLevel1: "urn:cognito:loa:1",
		ACRLevel2: "urn:cognito:loa:2",
		ACRLevel3: "urn:cognito:loa:3",
		ACRLevel4: "urn:cognito:loa:4",
	}
)

// checkNewest validates the newest members of a CreateUserPool or
// UpdateUserPool request, already copied into up (whose UserPoolTier is
// set), and fills their defaults. old is the pool before an update (nil for
// CreateUserPool); region is the pool's Region.
func checkNewest(up, old *cognitoidp.UserPoolType, region string) error {
	if up.KeyConfiguration == nil && old != nil {
		// Re-encrypting a pool is not a default to fall back to: an update
		// without KeyConfiguration keeps the pool's key (unverified).
		up.KeyConfiguration = old.KeyConfiguration.Clone()
	}
	var v api.Validator
	validateKeyConfiguration(&v, up.KeyConfiguration)
	validateACR(&v, up.AcrConfiguration)
	validateDCR(&v, up.DcrConfiguration)
	if sc := up.SmsConfiguration; sc != nil && sc.EumsSms != nil {
		validateEums(&v, "smsConfiguration.eumsSms", sc.EumsSms)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := checkKeyConfiguration(up.KeyConfiguration, region); err != nil {
		return err
	}
	if err := checkACR(up); err != nil {
		return err
	}
	if err := checkDCR(up); err != nil {
		return err
	}
	return checkEums(up.SmsConfiguration, region)
}

// validateKeyConfiguration applies KmsKeyArn's documented length and pattern.
func validateKeyConfiguration(v *api.Validator, kc *cognitoidp.KeyConfigurationType) {
	if kc == nil || kc.KmsKeyArn == nil {
		return
	}
	v.StringLen("keyConfiguration.kmsKeyArn", *kc.KmsKeyArn, 20, 2048, false)
	v.Pattern("keyConfiguration.kmsKeyArn", *kc.KmsKeyArn, reARN, shownARN, false)
}

// checkKeyConfiguration applies the key rules and fills KeyType: a customer
// managed key needs the ARN of a KMS key in the pool's Region, an AWS owned
// key takes none, and without KeyType the ARN decides.
func checkKeyConfiguration(kc *cognitoidp.KeyConfigurationType, region string) error {
	if kc == nil {
		return nil
	}
	arn := api.Deref(kc.KmsKeyArn)
	if kc.KeyType == nil {
		kc.KeyType = api.Ptr(cognitoidp.EncryptionKeyTypeAwsOwnedKey)
		if arn != "" {
			kc.KeyType = api.Ptr(cognitoidp.EncryptionKeyTypeCustomerManagedKey)
		}
	}
	switch *kc.KeyType {
	case cognitoidp.EncryptionKeyTypeAwsOwnedKey:
		if arn != "" {
			return cognitoidp.NewInvalidParameterException(msgKmsKeyWithAWSOwned)
		}
	case cognitoidp.EncryptionKeyTypeCustomerManagedKey:
		if arn == "" {
			return cognitoidp.NewInvalidParameterException(msgKmsKeyRequired)
		}
		m := reKMSKey.FindStringSubmatch(arn)
		if m == nil {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgKmsKeyArn, arn))
		}
		if m[1] != region {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgKmsKeyRegion, arn, region))
		}
	}
	return nil
}

// validateACR applies AcrValue's documented length and pattern.
func validateACR(v *api.Validator, acr map[string]cognitoidp.AcrLevelConfigType) {
	for _, level := range sortedLevels(acr) {
		c := acr[level]
		if c.AcrValue == nil {
			continue // the generated validator reported it
		}
		path := api.Key("acrConfiguration", level) + ".acrValue"
		v.StringLen(path, *c.AcrValue, 1, 64, false)
		v.Pattern(path, *c.AcrValue, reACRValue, shownACR, false)
	}
}

// checkACR applies the ACR rules and stores the effective configuration:
// the levels are Level1–Level4, every name (given or default) differs from
// the others, and custom names need the Essentials or Plus plan.
func checkACR(up *cognitoidp.UserPoolType) error {
	given := up.AcrConfiguration
	custom := false
	for level, c := range given {
		if _, ok := DefaultACRValues[level]; !ok {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgACRLevel, level))
		}
		if api.Deref(c.AcrValue) != DefaultACRValues[level] {
			custom = true
		}
	}
	eff := EffectiveACR(given)
	seen := map[string]string{}
	for _, level := range acrLevels {
		name := *eff[level].AcrValue
		if other, dup := seen[name]; dup {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgACRDuplicate, name, other, level))
		}
		seen[name] = level
	}
	if custom && api.Deref(up.UserPoolTier) == cognitoidp.UserPoolTierTypeLite {
		return cognitoidp.NewFeatureUnavailableInTierException(fmt.Sprintf(msgFeatureTier, cognitoidp.UserPoolTierTypeLite, "AcrConfiguration"))
	}
	up.AcrConfiguration = eff
	return nil
}

// EffectiveACR returns the ACR level names in effect: the given ones, and
// Cognito's defaults for the levels not given ("Amazon Cognito always
// returns the effective configuration, with default names merged in").
func EffectiveACR(given map[string]cognitoidp.AcrLevelConfigType) map[string]cognitoidp.AcrLevelConfigType {
	out := make(map[string]cognitoidp.AcrLevelConfigType, len(acrLevels))
	for _, level := range acrLevels {
		name := DefaultACRValues[level]
		if c, ok := given[level]; ok && c.AcrValue != nil {
			name = *c.AcrValue
		}
		out[level] = cognitoidp.AcrLevelConfigType{AcrValue: api.Ptr(name)}
	}
	return out
}

// ACRValue is the name a pool reports in the acr claim for a level
// ("Level1"–"Level4"); "" for anything else. The sign-in and OAuth families
// use it once a sign-in asks for a target level (TARGET_ACR_VALUES,
// acr_values).
func ACRValue(up *cognitoidp.UserPoolType, level string) string {
	c, ok := EffectiveACR(up.AcrConfiguration)[level]
	if !ok {
		return ""
	}
	return *c.AcrValue
}

// ACRLevel is the level ("Level1"–"Level4") a pool names value, or "" when
// value is none of its names.
func ACRLevel(up *cognitoidp.UserPoolType, value string) string {
	eff := EffectiveACR(up.AcrConfiguration)
	for _, level := range acrLevels {
		if *eff[level].AcrValue == value {
			return level
		}
	}
	return ""
}

func sortedLevels(m map[string]cognitoidp.AcrLevelConfigType) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// validateDCR applies ScopeType's length and pattern, and ScopeListType's
// size, to AllowedScopes.
func validateDCR(v *api.Validator, dc *cognitoidp.DcrConfigurationType) {
	if dc == nil || dc.AllowedScopes == nil {
		return
	}
	path := "dcrConfiguration.allowedScopes"
	v.Count(path, len(dc.AllowedScopes), api.ShowList(dc.AllowedScopes), 0, maxDCRScopes)
	for i, s := range dc.AllowedScopes {
		v.StringLen(api.Index(path, i), s, 1, 256, false)
		v.Pattern(api.Index(path, i), s, reScope, shownScope, false)
	}
}

// checkDCR applies the dynamic client registration rules: EnableStatus
// defaults to ENABLED, a grant type is listed once, and registration needs
// the Essentials or Plus plan.
func checkDCR(up *cognitoidp.UserPoolType) error {
	dc := up.DcrConfiguration
	if dc == nil {
		return nil
	}
	if dc.EnableStatus == nil {
		dc.EnableStatus = api.Ptr(cognitoidp.StatusTypeEnabled)
	}
	for _, list := range [][]cognitoidp.OAuthFlowType{dc.AuthenticatedGrantTypes, dc.OpenDcrGrantTypes} {
		for i, g := range list {
			if slices.Contains(list[:i], g) {
				return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDCRDuplicateGrant, g))
			}
		}
	}
	for i, s := range dc.AllowedScopes {
		if slices.Contains(dc.AllowedScopes[:i], s) {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDCRDuplicateScope, s))
		}
	}
	if *dc.EnableStatus == cognitoidp.StatusTypeEnabled && api.Deref(up.UserPoolTier) == cognitoidp.UserPoolTierTypeLite {
		return cognitoidp.NewFeatureUnavailableInTierException(fmt.Sprintf(msgFeatureTier, cognitoidp.UserPoolTierTypeLite, "DcrConfiguration"))
	}
	return nil
}

// DCRPolicy is a pool's dynamic client registration configuration in
// effect, for the registration endpoint (/oauth2/register).
type DCRPolicy struct {
	// Enabled: DcrConfiguration is set and EnableStatus is ENABLED.
	Enabled bool
	// Open: registration without an initial access token is allowed
	// (OpenDcrEnabled; default false).
	Open bool
	// AuthenticatedGrants are the grant types a client registered with an
	// access token may request (default code and client_credentials; an
	// empty list set on purpose refuses authenticated registration).
	AuthenticatedGrants []cognitoidp.OAuthFlowType
	// OpenGrants are the grant types of open registration (default code;
	// an empty list refuses open registration).
	OpenGrants []cognitoidp.OAuthFlowType
	// Scopes are the scopes a registered client may request besides the
	// OIDC ones (openid, email, phone, profile), without the registration
	// scope itself (DCRRegisterScope), which no registered client gets.
	Scopes []string
}

// DCRRegisterScope is the scope of the access token that authenticated
// registration presents (DcrConfigurationType docs).
const DCRRegisterScope = "aws.cognito/dcr/register"

// DCR returns the pool's dynamic client registration policy. implicit, which
// Cognito "accepts in this list but ignores", is left out of the grants.
func DCR(up *cognitoidp.UserPoolType) DCRPolicy {
	dc := up.DcrConfiguration
	if dc == nil || api.Deref(dc.EnableStatus) == cognitoidp.StatusTypeDisabled {
		return DCRPolicy{}
	}
	p := DCRPolicy{Enabled: true, Open: api.Deref(dc.OpenDcrEnabled)}
	p.AuthenticatedGrants = withoutImplicit(dc.AuthenticatedGrantTypes,
		[]cognitoidp.OAuthFlowType{cognitoidp.OAuthFlowTypeCode, cognitoidp.OAuthFlowTypeClientCredentials})
	p.OpenGrants = withoutImplicit(dc.OpenDcrGrantTypes, []cognitoidp.OAuthFlowType{cognitoidp.OAuthFlowTypeCode})
	for _, s := range dc.AllowedScopes {
		if s != DCRRegisterScope {
			p.Scopes = append(p.Scopes, s)
		}
	}
	return p
}

// withoutImplicit returns list without "implicit", or def when list is nil
// (not set; an empty list set on purpose stays empty).
func withoutImplicit(list, def []cognitoidp.OAuthFlowType) []cognitoidp.OAuthFlowType {
	if list == nil {
		return slices.Clone(def)
	}
	out := []cognitoidp.OAuthFlowType{}
	for _, g := range list {
		if g != cognitoidp.OAuthFlowTypeImplicit {
			out = append(out, g)
		}
	}
	return out
}

// validateEums applies EumsSmsConfigurationType's documented lengths and
// CallerArn's pattern; path is where the structure sits in the request.
func validateEums(v *api.Validator, path string, e *cognitoidp.EumsSmsConfigurationType) {
	if e.CallerArn != nil {
		v.StringLen(path+".callerArn", *e.CallerArn, 20, 2048, false)
		v.Pattern(path+".callerArn", *e.CallerArn, reARN, shownARN, false)
	}
	if e.ExternalId != nil {
		v.StringLen(path+".externalId", *e.ExternalId, 0, 131072, false)
	}
	if e.ConfigurationSetName != nil {
		v.StringLen(path+".configurationSetName", *e.ConfigurationSetName, 0, 131072, false)
	}
	if e.Region != nil {
		v.StringLen(path+".region", *e.Region, 5, 32, false)
	}
}

// checkEums applies the End User Messaging rules: a Region other than the
// pool's is refused (documented), the origination identity is an E.164
// number or an ARN, and (see refuseSNSWithEums) not both SNS and End User
// Messaging.
func checkEums(sc *cognitoidp.SmsConfigurationType, region string) error {
	if sc == nil || sc.EumsSms == nil {
		return nil
	}
	e := sc.EumsSms
	if refuseSNSWithEums && api.Deref(sc.SnsCallerArn) != "" {
		return cognitoidp.NewInvalidParameterException(msgSNSAndEums)
	}
	if r := api.Deref(e.Region); r != "" && r != region {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgEumsRegion, r, region))
	}
	if o := api.Deref(e.OriginationIdentity); o != "" && !reE164.MatchString(o) && !(strings.HasPrefix(o, "arn:") && reARN.MatchString(o)) {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgEumsOrigination, o))
	}
	return nil
}

// CheckSmsConfiguration validates an SmsConfiguration that another family
// stores in a pool (the MFA family's SetUserPoolMfaConfig), with the rules
// CreateUserPool and UpdateUserPool apply to it; path is where it sits in
// the request ("smsMfaConfiguration.smsConfiguration").
func CheckSmsConfiguration(poolID, path string, sc *cognitoidp.SmsConfigurationType) error {
	if sc == nil || sc.EumsSms == nil {
		return nil
	}
	var v api.Validator
	validateEums(&v, path+".eumsSms", sc.EumsSms)
	if err := v.Err(); err != nil {
		return err
	}
	return checkEums(sc, RegionOf(poolID))
}

// RegionOf is the Region a pool id names ("us-east-1_AbC" → "us-east-1").
func RegionOf(poolID string) string {
	r, _, _ := strings.Cut(poolID, "_")
	return r
}
