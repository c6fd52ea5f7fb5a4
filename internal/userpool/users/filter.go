package users

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ParseFilter parses a ListUsers Filter: `name = "value"` (exact) or
// `name ^= "value"` (prefix), with optional whitespace around the operator
// and at both ends, the value in double quotes with `\"` standing for a quote
// and `\\` for a backslash. An empty (or blank) filter selects every user.
//
// A malformed filter is InvalidParameterException "Error while parsing
// filter."; a well-formed one on an attribute ListUsers cannot search
// (storage.SearchableUserFields) is InvalidParameterException
// "Invalid search attribute: name". The value is returned as written; the
// caller normalizes it for the field.
func ParseFilter(s string) (storage.UserFilter, error) {
	p := filterParser{s: s}
	p.skipSpace()
	if p.done() {
		return storage.UserFilter{}, nil
	}
	name := p.name()
	if name == "" {
		return storage.UserFilter{}, errParseFilter()
	}
	p.skipSpace()
	var prefix bool
	switch {
	case strings.HasPrefix(p.s[p.i:], "^="):
		prefix = true
		p.i += 2
	case strings.HasPrefix(p.s[p.i:], "="):
		p.i++
	default:
		return storage.UserFilter{}, errParseFilter()
	}
	p.skipSpace()
	value, ok := p.quoted()
	if !ok {
		return storage.UserFilter{}, errParseFilter()
	}
	p.skipSpace()
	if !p.done() {
		return storage.UserFilter{}, errParseFilter()
	}
	if !slices.Contains(storage.SearchableUserFields, name) {
		return storage.UserFilter{}, cognitoidp.NewInvalidParameterException(fmt.Sprintf(msgInvalidSearchAttribute, name))
	}
	return storage.UserFilter{Field: name, Value: value, Prefix: prefix}, nil
}

// FormatFilter writes f as a filter ParseFilter reads back to f.
func FormatFilter(f storage.UserFilter) string {
	if f.Field == "" {
		return ""
	}
	op := " = "
	if f.Prefix {
		op = " ^= "
	}
	v := strings.ReplaceAll(f.Value, `\`, `\\`)
	v = strings.ReplaceAll(v, `"`, `\"`)
	return f.Field + op + `"` + v + `"`
}

func errParseFilter() error { return cognitoidp.NewInvalidParameterException(msgParseFilter) }

type filterParser struct {
	s string
	i int
}

func (p *filterParser) done() bool { return p.i >= len(p.s) }

func isFilterSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *filterParser) skipSpace() {
	for !p.done() && isFilterSpace(p.s[p.i]) {
		p.i++
	}
}

// name reads an attribute name: everything up to whitespace, an operator or a quote.
func (p *filterParser) name() string {
	start := p.i
	for !p.done() {
		c := p.s[p.i]
		if isFilterSpace(c) || c == '=' || c == '^' || c == '"' || c == '\\' {
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

// quoted reads a double-quoted value with \" and \\ escapes; any other
// backslash stands for itself.
func (p *filterParser) quoted() (string, bool) {
	if p.done() || p.s[p.i] != '"' {
		return "", false
	}
	p.i++
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), true
		case c == '\\' && p.i+1 < len(p.s) && (p.s[p.i+1] == '"' || p.s[p.i+1] == '\\'):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", false // unterminated
}
