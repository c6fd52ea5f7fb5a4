package pools

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// StandardSchema returns a fresh copy of the schema attributes every new
// pool starts with, in DescribeUserPool order.
func StandardSchema() []cognitoidp.SchemaAttributeType {
	out := make([]cognitoidp.SchemaAttributeType, 0, len(standardAttributes)+1)
	for _, a := range standardAttributes {
		out = append(out, cloneAttr(a))
	}
	if newPoolsHaveIdentitiesAttribute {
		out = append(out, cloneAttr(identitiesAttribute))
	}
	return out
}

// IdentitiesAttribute returns the "identities" schema attribute Cognito adds
// to a pool when it gets its first identity provider.
func IdentitiesAttribute() cognitoidp.SchemaAttributeType { return cloneAttr(identitiesAttribute) }

// IsStandardAttribute reports whether name is one of the standard attributes
// (the names a CreateUserPool Schema entry redefines rather than adds as custom:).
func IsStandardAttribute(name string) bool {
	_, ok := standardIndex(name)
	return ok
}

func standardIndex(name string) (int, bool) {
	for i, a := range standardAttributes {
		if *a.Name == name {
			return i, true
		}
	}
	return 0, false
}

// IsCustomAttribute reports whether a schema attribute name is a custom one
// (custom:x or dev:custom:x).
func IsCustomAttribute(name string) bool {
	return strings.HasPrefix(name, CustomPrefix) || strings.HasPrefix(name, DeveloperPrefix+CustomPrefix)
}

// customBase returns x for custom:x and dev:custom:x.
func customBase(name string) (string, bool) {
	name = strings.TrimPrefix(name, DeveloperPrefix)
	if !strings.HasPrefix(name, CustomPrefix) {
		return "", false
	}
	return strings.TrimPrefix(name, CustomPrefix), true
}

func cloneAttr(a cognitoidp.SchemaAttributeType) cognitoidp.SchemaAttributeType {
	c := cognitoidp.SchemaAttributeType{
		Name:                   clonePtr(a.Name),
		AttributeDataType:      clonePtr(a.AttributeDataType),
		DeveloperOnlyAttribute: clonePtr(a.DeveloperOnlyAttribute),
		Mutable:                clonePtr(a.Mutable),
		Required:               clonePtr(a.Required),
	}
	if a.StringAttributeConstraints != nil {
		c.StringAttributeConstraints = &cognitoidp.StringAttributeConstraintsType{
			MinLength: clonePtr(a.StringAttributeConstraints.MinLength),
			MaxLength: clonePtr(a.StringAttributeConstraints.MaxLength),
		}
	}
	if a.NumberAttributeConstraints != nil {
		c.NumberAttributeConstraints = &cognitoidp.NumberAttributeConstraintsType{
			MinValue: clonePtr(a.NumberAttributeConstraints.MinValue),
			MaxValue: clonePtr(a.NumberAttributeConstraints.MaxValue),
		}
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// buildSchema turns a CreateUserPool Schema into the pool's schema: the
// standard attributes, with entries naming one of them redefining it, then
// the custom attributes in request order.
func buildSchema(req []cognitoidp.SchemaAttributeType) ([]cognitoidp.SchemaAttributeType, error) {
	out := StandardSchema()
	redefined := map[string]bool{}
	for _, in := range req {
		name := api.Deref(in.Name)
		if name == "" {
			return nil, cognitoidp.NewInvalidParameterException(msgAttributeNameMissing)
		}
		if i, ok := standardIndex(name); ok {
			if redefined[name] {
				return nil, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgAttributeExists, name, name))
			}
			redefined[name] = true
			a, err := redefineStandard(out[i], in)
			if err != nil {
				return nil, err
			}
			out[i] = a
			continue
		}
		a, err := newCustomAttribute(in)
		if err != nil {
			return nil, err
		}
		if err := checkCustomConflict(out, in); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if countCustom(out) > MaxCustomAttributes {
		return nil, cognitoidp.NewInvalidParameterException(msgTooManyCustomAttributes)
	}
	return out, nil
}

// redefineStandard applies a Schema entry to a standard attribute: it may
// make it required or immutable and narrow its constraints, not change its
// type or make it developer-only.
func redefineStandard(std, in cognitoidp.SchemaAttributeType) (cognitoidp.SchemaAttributeType, error) {
	name := *std.Name
	if (in.AttributeDataType != nil && *in.AttributeDataType != *std.AttributeDataType) || api.Deref(in.DeveloperOnlyAttribute) {
		return std, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgStandardChange, name))
	}
	if name == "sub" {
		// sub is Cognito's: always required and immutable (unverified how a
		// request redefining it is answered; it is left unchanged).
		return std, nil
	}
	a := cloneAttr(std)
	if in.Mutable != nil {
		a.Mutable = api.Ptr(*in.Mutable)
	}
	if in.Required != nil {
		a.Required = api.Ptr(*in.Required)
	}
	switch *a.AttributeDataType {
	case cognitoidp.AttributeDataTypeString:
		if c := in.StringAttributeConstraints; c != nil {
			// Given bounds replace the defaults one by one (unverified).
			if c.MinLength != nil {
				a.StringAttributeConstraints.MinLength = api.Ptr(*c.MinLength)
			}
			if c.MaxLength != nil {
				a.StringAttributeConstraints.MaxLength = api.Ptr(*c.MaxLength)
			}
			if err := checkStringConstraints(name, a.StringAttributeConstraints); err != nil {
				return std, err
			}
		}
	case cognitoidp.AttributeDataTypeNumber:
		if c := in.NumberAttributeConstraints; c != nil {
			if c.MinValue != nil {
				a.NumberAttributeConstraints.MinValue = api.Ptr(*c.MinValue)
			}
			if c.MaxValue != nil {
				a.NumberAttributeConstraints.MaxValue = api.Ptr(*c.MaxValue)
			}
			if err := checkNumberConstraints(name, a.NumberAttributeConstraints); err != nil {
				return std, err
			}
		}
	}
	return a, nil
}

// newCustomAttribute builds a custom attribute from a Schema or
// CustomAttributes entry. Its name always gets the custom: prefix (a request
// naming "custom:x" gets "custom:custom:x", as Cognito does), and dev: in
// front of that when it is developer-only.
func newCustomAttribute(in cognitoidp.SchemaAttributeType) (cognitoidp.SchemaAttributeType, error) {
	base := api.Deref(in.Name)
	if base == "" {
		return in, cognitoidp.NewInvalidParameterException(msgAttributeNameMissing)
	}
	if in.AttributeDataType == nil || !validDataType(*in.AttributeDataType) {
		return in, cognitoidp.NewInvalidParameterException(msgInvalidDataType)
	}
	if api.Deref(in.Required) {
		return in, cognitoidp.NewInvalidParameterException(msgRequiredCustom)
	}
	devOnly := api.Deref(in.DeveloperOnlyAttribute)
	name := CustomPrefix + base
	if devOnly {
		name = DeveloperPrefix + name
	}
	mutable := true
	if in.Mutable != nil {
		mutable = *in.Mutable
	}
	a := cognitoidp.SchemaAttributeType{
		Name:                   api.Ptr(name),
		AttributeDataType:      api.Ptr(*in.AttributeDataType),
		DeveloperOnlyAttribute: api.Ptr(devOnly),
		Mutable:                api.Ptr(mutable),
		Required:               api.Ptr(false),
	}
	switch *in.AttributeDataType {
	case cognitoidp.AttributeDataTypeString:
		// Without bounds, Cognito shows an empty constraints object (unverified).
		a.StringAttributeConstraints = &cognitoidp.StringAttributeConstraintsType{}
		if c := in.StringAttributeConstraints; c != nil {
			a.StringAttributeConstraints.MinLength = clonePtr(c.MinLength)
			a.StringAttributeConstraints.MaxLength = clonePtr(c.MaxLength)
			if err := checkStringConstraints(name, a.StringAttributeConstraints); err != nil {
				return in, err
			}
		}
	case cognitoidp.AttributeDataTypeNumber:
		a.NumberAttributeConstraints = &cognitoidp.NumberAttributeConstraintsType{}
		if c := in.NumberAttributeConstraints; c != nil {
			a.NumberAttributeConstraints.MinValue = clonePtr(c.MinValue)
			a.NumberAttributeConstraints.MaxValue = clonePtr(c.MaxValue)
			if err := checkNumberConstraints(name, a.NumberAttributeConstraints); err != nil {
				return in, err
			}
		}
	}
	return a, nil
}

func validDataType(t cognitoidp.AttributeDataType) bool {
	switch t {
	case cognitoidp.AttributeDataTypeString, cognitoidp.AttributeDataTypeNumber,
		cognitoidp.AttributeDataTypeDatetime, cognitoidp.AttributeDataTypeBoolean:
		return true
	}
	return false
}

// checkCustomConflict refuses a custom attribute whose base name is taken by
// an existing custom or developer-only attribute.
func checkCustomConflict(schema []cognitoidp.SchemaAttributeType, in cognitoidp.SchemaAttributeType) error {
	base := api.Deref(in.Name)
	for _, a := range schema {
		existing := api.Deref(a.Name)
		if b, ok := customBase(existing); ok && b == base {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgAttributeExists, CustomPrefix+base, existing))
		}
	}
	return nil
}

func countCustom(schema []cognitoidp.SchemaAttributeType) int {
	n := 0
	for _, a := range schema {
		if IsCustomAttribute(api.Deref(a.Name)) {
			n++
		}
	}
	return n
}

// checkStringConstraints: lengths are non-negative integers up to 2048, min ≤ max.
func checkStringConstraints(name string, c *cognitoidp.StringAttributeConstraintsType) error {
	bad := cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgInvalidConstraints, "StringAttributeConstraints", name))
	lengths := [2]int64{-1, -1}
	for i, p := range []*string{c.MinLength, c.MaxLength} {
		if p == nil {
			continue
		}
		n, err := strconv.ParseInt(*p, 10, 64)
		if err != nil {
			if isDigits(*p) { // a huge but well-formed number
				return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgStringTooLong, name))
			}
			return bad
		}
		if n < 0 {
			return bad
		}
		if n > MaxStringAttributeLength {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgStringTooLong, name))
		}
		lengths[i] = n
	}
	if lengths[0] >= 0 && lengths[1] >= 0 && lengths[0] > lengths[1] {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMinOverMaxLength, name))
	}
	return nil
}

// checkNumberConstraints: bounds are integers (any size, either sign), min ≤ max.
func checkNumberConstraints(name string, c *cognitoidp.NumberAttributeConstraintsType) error {
	var bounds [2]*big.Int
	for i, p := range []*string{c.MinValue, c.MaxValue} {
		if p == nil {
			continue
		}
		n, ok := new(big.Int).SetString(*p, 10)
		if !ok {
			return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgInvalidConstraints, "NumberAttributeConstraints", name))
		}
		bounds[i] = n
	}
	if bounds[0] != nil && bounds[1] != nil && bounds[0].Cmp(bounds[1]) > 0 {
		return cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgMinOverMaxValue, name))
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
