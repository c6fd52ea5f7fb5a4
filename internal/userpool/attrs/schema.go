// Package attrs is the one place the rules of user attributes live: a pool's
// schema, validation of attribute writes (types, constraints, mutability,
// required attributes, email and phone formats, per-client write access),
// what a client may read, and usernames and aliases (case folding, which
// alias values a user claims, how a sign-in name is resolved).
package attrs

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// Attribute names with special meaning.
const (
	Sub                 = "sub"
	Email               = "email"
	EmailVerified       = "email_verified"
	PhoneNumber         = "phone_number"
	PhoneNumberVerified = "phone_number_verified"
	PreferredUsername   = "preferred_username"
	Identities          = "identities"
	Birthdate           = "birthdate"
)

// Def is one attribute of a pool's schema, by its full name ("email",
// "custom:tier", "dev:custom:secret").
type Def struct {
	Name          string
	Type          string // String, Number, DateTime, Boolean
	Mutable       bool
	Required      bool
	DeveloperOnly bool
	Custom        bool
	MinLen        int // -1: none
	MaxLen        int // -1: none
	MinValue      *float64
	MaxValue      *float64
}

// Schema is a pool's attribute and username configuration.
type Schema struct {
	PoolID             string
	defs               map[string]*Def
	order              []string
	UsernameAttributes map[string]bool // email / phone_number as the username
	AliasAttributes    map[string]bool // email / phone_number / preferred_username
	CaseSensitive      bool
	AutoVerified       map[string]bool
	VerifyBeforeUpdate map[string]bool
}

// FromPool builds the schema of a pool from its settings document.
func FromPool(up *cognitoidp.UserPoolType) *Schema {
	s := &Schema{
		PoolID:             api.Deref(up.Id),
		defs:               map[string]*Def{},
		UsernameAttributes: map[string]bool{},
		AliasAttributes:    map[string]bool{},
		AutoVerified:       map[string]bool{},
		VerifyBeforeUpdate: map[string]bool{},
		CaseSensitive:      true,
	}
	for _, a := range up.SchemaAttributes {
		d := &Def{
			Name:          api.Deref(a.Name),
			Type:          string(api.Deref(a.AttributeDataType)),
			Mutable:       api.Deref(a.Mutable),
			Required:      api.Deref(a.Required),
			DeveloperOnly: api.Deref(a.DeveloperOnlyAttribute),
			MinLen:        -1,
			MaxLen:        -1,
		}
		if a.Mutable == nil {
			d.Mutable = true
		}
		if d.Type == "" {
			d.Type = "String"
		}
		d.Custom = strings.HasPrefix(d.Name, "custom:") || strings.HasPrefix(d.Name, "dev:custom:")
		if c := a.StringAttributeConstraints; c != nil {
			d.MinLen = atoiOr(c.MinLength, -1)
			d.MaxLen = atoiOr(c.MaxLength, -1)
		}
		if c := a.NumberAttributeConstraints; c != nil {
			d.MinValue = atofPtr(c.MinValue)
			d.MaxValue = atofPtr(c.MaxValue)
		}
		s.defs[d.Name] = d
		s.order = append(s.order, d.Name)
	}
	if _, ok := s.defs[Sub]; !ok {
		s.defs[Sub] = &Def{Name: Sub, Type: "String", Required: true, MinLen: 1, MaxLen: 2048}
		s.order = append([]string{Sub}, s.order...)
	}
	for _, u := range up.UsernameAttributes {
		s.UsernameAttributes[string(u)] = true
	}
	for _, a := range up.AliasAttributes {
		s.AliasAttributes[string(a)] = true
	}
	if up.UsernameConfiguration != nil && up.UsernameConfiguration.CaseSensitive != nil {
		s.CaseSensitive = *up.UsernameConfiguration.CaseSensitive
	}
	for _, a := range up.AutoVerifiedAttributes {
		s.AutoVerified[string(a)] = true
	}
	if us := up.UserAttributeUpdateSettings; us != nil {
		for _, a := range us.AttributesRequireVerificationBeforeUpdate {
			s.VerifyBeforeUpdate[string(a)] = true
		}
	}
	return s
}

func atoiOr(p *string, def int) int {
	if p == nil {
		return def
	}
	n, err := strconv.Atoi(*p)
	if err != nil {
		return def
	}
	return n
}

func atofPtr(p *string) *float64 {
	if p == nil || *p == "" {
		return nil
	}
	f, err := strconv.ParseFloat(*p, 64)
	if err != nil {
		return nil
	}
	return &f
}

// Def returns the definition of a full attribute name.
func (s *Schema) Def(name string) (*Def, bool) {
	d, ok := s.defs[name]
	return d, ok
}

// Names returns every attribute name in schema order.
func (s *Schema) Names() []string { return append([]string(nil), s.order...) }

// Required returns the names of required attributes other than sub.
func (s *Schema) Required() []string {
	var out []string
	for _, n := range s.order {
		if d := s.defs[n]; d.Required && n != Sub {
			out = append(out, n)
		}
	}
	return out
}

// Op says what a write is part of.
type Op int

const (
	// OpCreate: AdminCreateUser, SignUp, imports — immutable attributes may be set.
	OpCreate Op = iota
	// OpUpdate: (Admin)UpdateUserAttributes — immutable attributes may not change.
	OpUpdate
)

// Caller says who writes: an administrator (IAM) or an app client with its
// WriteAttributes (nil WriteAttributes means the client may write every
// attribute but developer-only ones, as Cognito treats an unset list).
type Caller struct {
	Admin           bool
	WriteAttributes map[string]bool
}

// mayWrite reports whether an app client may write d. Without a
// WriteAttributes list a client may write every attribute but sub,
// developer-only attributes and the verification flags: a user must not be
// able to mark their own email or phone verified (unverified: Cognito's
// default write set is not documented; this is the safe reading).
func (c Caller) mayWrite(d *Def) bool {
	if d.DeveloperOnly || d.Name == Sub {
		return false
	}
	if c.WriteAttributes == nil {
		return d.Name != EmailVerified && d.Name != PhoneNumberVerified
	}
	return c.WriteAttributes[d.Name]
}

// AdminCaller is an IAM-authorized caller.
var AdminCaller = Caller{Admin: true}

// ClientCaller returns the caller for an app client's WriteAttributes.
func ClientCaller(write []string) Caller {
	if len(write) == 0 {
		return Caller{}
	}
	m := make(map[string]bool, len(write))
	for _, w := range write {
		m[w] = true
	}
	return Caller{WriteAttributes: m}
}

var (
	rePhone = regexp.MustCompile(`^\+[0-9]{1,15}$`)
	reDate  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// ValidEmail reports whether s is an email address as Cognito accepts it.
func ValidEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') || at == len(s)-1 {
		return false
	}
	if strings.ContainsAny(s, " \t\r\n,;<>()[]\\\"") {
		return false
	}
	return utf8.ValidString(s)
}

// ValidPhone reports whether s is an E.164 phone number (+ and digits).
func ValidPhone(s string) bool { return rePhone.MatchString(s) }

// Values is a user's attributes by full name.
type Values = map[string]string

// CheckWrite validates attributes written by caller as part of op against
// current (the user's attributes before the write; nil on create). It
// returns the new values to apply: an empty value means delete (update
// only). Errors are Cognito's exceptions.
func (s *Schema) CheckWrite(in []cognitoidp.AttributeType, op Op, caller Caller, current Values) (Values, error) {
	out := make(Values, len(in))
	var problems []string
	seen := map[string]bool{}
	for _, a := range in {
		name := api.Deref(a.Name)
		value := api.Deref(a.Value)
		if seen[name] {
			return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgDuplicate, name))
		}
		seen[name] = true
		d, ok := s.defs[name]
		if !ok {
			problems = append(problems, name+": "+msgUnknown)
			continue
		}
		if !caller.Admin && !caller.mayWrite(d) {
			return nil, cognitoidp.NewNotAuthorizedException(MsgUnauthorizedWrite)
		}
		if name == Sub {
			problems = append(problems, name+": "+msgImmutable)
			continue
		}
		if op == OpUpdate && !d.Mutable {
			if cur, had := current[name]; !had || cur != value {
				problems = append(problems, name+": "+msgImmutable)
				continue
			}
		}
		if value == "" && op == OpCreate {
			continue // an empty value on creation sets nothing
		}
		if value == "" && op == OpUpdate {
			if d.Required {
				problems = append(problems, name+": "+msgRequired)
				continue
			}
			out[name] = ""
			continue
		}
		if p := s.checkValue(d, value); p != "" {
			if p == MsgInvalidEmail || p == MsgInvalidPhone {
				return nil, cognitoidp.NewInvalidParameterException(p)
			}
			problems = append(problems, name+": "+p)
			continue
		}
		out[name] = value
	}
	if len(problems) > 0 {
		return nil, cognitoidp.NewInvalidParameterException(msgSchemaPrefix + strings.Join(problems, "\n"))
	}
	return out, nil
}

// checkValue returns a problem description, or "".
func (s *Schema) checkValue(d *Def, v string) string {
	switch d.Name {
	case Email:
		if !ValidEmail(v) {
			return MsgInvalidEmail
		}
	case PhoneNumber:
		if !ValidPhone(v) {
			return MsgInvalidPhone
		}
	case Birthdate:
		if !reDate.MatchString(v) {
			return msgBirthdate
		}
	}
	switch d.Type {
	case "String":
		n := utf8.RuneCountInString(v)
		if d.MaxLen >= 0 && n > d.MaxLen {
			return fmt.Sprintf(msgTooLong, d.MaxLen)
		}
		if d.MinLen > 0 && n < d.MinLen {
			return fmt.Sprintf(msgTooShort, d.MinLen)
		}
		if d.MaxLen < 0 && n > 2048 {
			return fmt.Sprintf(msgTooLong, 2048)
		}
	case "Number":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return msgNotNumber
		}
		if d.MinValue != nil && f < *d.MinValue {
			return fmt.Sprintf(msgNumTooLow, strconv.FormatFloat(*d.MinValue, 'f', -1, 64))
		}
		if d.MaxValue != nil && f > *d.MaxValue {
			return fmt.Sprintf(msgNumHigh, strconv.FormatFloat(*d.MaxValue, 'f', -1, 64))
		}
	case "Boolean":
		if v != "true" && v != "false" {
			return msgNotBoolean
		}
	case "DateTime":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return msgNotDate
			}
		}
	}
	return ""
}

// CheckRequired reports the required attributes missing from attrs
// (Cognito: "Attributes did not conform to the schema: email: The attribute is required").
func (s *Schema) CheckRequired(attrs Values) error {
	var problems []string
	for _, n := range s.Required() {
		if attrs[n] == "" {
			problems = append(problems, n+": "+msgRequired)
		}
	}
	if len(problems) > 0 {
		return cognitoidp.NewInvalidParameterException(msgSchemaPrefix + strings.Join(problems, "\n"))
	}
	return nil
}

// Readable reports whether a client with the given ReadAttributes may read
// name (nil/empty read list: every attribute but developer-only ones).
func (s *Schema) Readable(name string, read map[string]bool) bool {
	if d, ok := s.defs[name]; ok && d.DeveloperOnly {
		return false
	}
	if len(read) == 0 {
		return true
	}
	return name == Sub || read[name]
}

// ToAPI renders a user's attributes as the API lists them: sub first, then
// the others by name. keep filters (nil keeps all).
func ToAPI(sub string, attrs Values, keep func(name string) bool) []cognitoidp.AttributeType {
	out := make([]cognitoidp.AttributeType, 0, len(attrs)+1)
	if keep == nil || keep(Sub) {
		out = append(out, cognitoidp.AttributeType{Name: api.Ptr(Sub), Value: api.Ptr(sub)})
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		if n != Sub {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if keep != nil && !keep(n) {
			continue
		}
		out = append(out, cognitoidp.AttributeType{Name: api.Ptr(n), Value: api.Ptr(attrs[n])})
	}
	return out
}
