package api

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/awserr"
)

// Validator collects constraint failures in the order members are checked
// and renders them as AWS's Coral services do:
//
//	1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null
//
// Several failures are joined with "; " after "N validation errors detected: ".
type Validator struct {
	msgs []string
}

// Err returns the InvalidParameterException for the collected failures, or nil.
func (v *Validator) Err() error {
	switch len(v.msgs) {
	case 0:
		return nil
	case 1:
		return awserr.InvalidParameter("1 validation error detected: " + v.msgs[0])
	}
	return awserr.InvalidParameter(strconv.Itoa(len(v.msgs)) + " validation errors detected: " + strings.Join(v.msgs, "; "))
}

func (v *Validator) fail(value string, path, constraint string) {
	v.msgs = append(v.msgs, "Value "+value+"at '"+path+"' failed to satisfy constraint: "+constraint)
}

func quote(s string, sensitive bool) string {
	if sensitive {
		return ""
	}
	return "'" + s + "' "
}

// Required reports a missing required member.
func (v *Validator) Required(path string) {
	v.msgs = append(v.msgs, "Value null at '"+path+"' failed to satisfy constraint: Member must not be null")
}

// StringLen checks a string's length in characters against min and max (max < 0: no maximum).
func (v *Validator) StringLen(path, s string, min, max int, sensitive bool) {
	n := utf8.RuneCountInString(s)
	if n < min {
		v.fail(quote(s, sensitive), path, "Member must have length greater than or equal to "+strconv.Itoa(min))
	} else if max >= 0 && n > max {
		v.fail(quote(s, sensitive), path, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
}

// Pattern checks a string against the model's pattern; shown is the pattern as AWS prints it.
func (v *Validator) Pattern(path, s string, re *regexp.Regexp, shown string, sensitive bool) {
	if !re.MatchString(s) {
		v.fail(quote(s, sensitive), path, "Member must satisfy regular expression pattern: "+shown)
	}
}

// Enum checks a string is one of values.
func (v *Validator) Enum(path, s string, values []string, sensitive bool) {
	for _, x := range values {
		if x == s {
			return
		}
	}
	v.fail(quote(s, sensitive), path, "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

// Range checks a number against min and max (nil: unbounded).
func (v *Validator) Range(path string, n float64, min, max *float64) {
	if min != nil && n < *min {
		v.fail(quote(formatNum(n), false), path, "Member must have value greater than or equal to "+formatNum(*min))
	} else if max != nil && n > *max {
		v.fail(quote(formatNum(n), false), path, "Member must have value less than or equal to "+formatNum(*max))
	}
}

// Count checks the number of entries of a list, map or blob.
func (v *Validator) Count(path string, n int, shown string, min, max int) {
	if n < min {
		v.fail(quote(shown, false), path, "Member must have length greater than or equal to "+strconv.Itoa(min))
	} else if max >= 0 && n > max {
		v.fail(quote(shown, false), path, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
}

// ShowList renders a list of strings the way Coral prints it: [a, b].
func ShowList(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

// ShowMap renders a map's size for messages (values may be sensitive).
func ShowMap(n int) string { return fmt.Sprintf("{%d entries}", n) }

func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Index is the Coral path of a list element: parent.N.member (1-based).
func Index(path string, i int) string { return path + "." + strconv.Itoa(i+1) + ".member" }

// Key is the Coral path of a map entry's value.
func Key(path, key string) string { return path + "." + key + ".member" }

// F64 returns a pointer to a float bound for Range.
func F64(f float64) *float64 { return &f }
