package branding

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// cssRule is one rule of hosted UI CSS: its selectors and declarations.
type cssRule struct {
	selectors []string
	decls     [][2]string // property (lowercase), value
}

var (
	reComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	reSpaces  = regexp.MustCompile(`\s+`)
)

// parseCSS reads CSS made of flat rules of the documented classes; anything
// else (at-rules, nested blocks, other selectors, script) is an error.
func parseCSS(css string) ([]cssRule, error) {
	lower := strings.ToLower(css)
	for _, f := range forbiddenCSS {
		if strings.Contains(lower, f) {
			return nil, fmt.Errorf("%s is not allowed", f)
		}
	}
	rest := reComment.ReplaceAllString(css, " ")
	var rules []cssRule
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if strings.TrimSpace(rest) != "" {
				return nil, errors.New("text outside a rule")
			}
			return rules, nil
		}
		end := strings.IndexByte(rest[open+1:], '}')
		if end < 0 {
			return nil, errors.New("unterminated rule")
		}
		body := rest[open+1 : open+1+end]
		if strings.ContainsAny(body, "{") || strings.ContainsAny(rest[:open], "}") {
			return nil, errors.New("nested or unbalanced braces")
		}
		var r cssRule
		for _, sel := range strings.Split(rest[:open], ",") {
			sel = reSpaces.ReplaceAllString(strings.TrimSpace(sel), " ")
			if _, ok := cssClasses[sel]; !ok {
				return nil, fmt.Errorf("selector %q is not one of the customizable classes", sel)
			}
			r.selectors = append(r.selectors, sel)
		}
		for _, decl := range strings.Split(body, ";") {
			if strings.TrimSpace(decl) == "" {
				continue
			}
			prop, value, ok := strings.Cut(decl, ":")
			prop = strings.ToLower(strings.TrimSpace(prop))
			if !ok || prop == "" {
				return nil, fmt.Errorf("declaration %q has no property", strings.TrimSpace(decl))
			}
			r.decls = append(r.decls, [2]string{prop, strings.TrimSpace(value)})
		}
		rules = append(rules, r)
		rest = rest[open+1+end+1:]
	}
}

// HostedCSS is what the hosted pages apply of a UI customization's CSS: the
// documented properties of each class, one rule per class ("" when the CSS
// is not valid).
func HostedCSS(css string) string {
	rules, err := parseCSS(css)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, r := range rules {
		for _, sel := range r.selectors {
			var decls []string
			for _, d := range r.decls {
				if slices.Contains(cssClasses[sel], d[0]) && !strings.ContainsAny(d[1], "<>{}\\") && d[1] != "" {
					decls = append(decls, d[0]+": "+d[1])
				}
			}
			if len(decls) > 0 {
				b.WriteString(sel + " { " + strings.Join(decls, "; ") + "; }\n")
			}
		}
	}
	return b.String()
}
