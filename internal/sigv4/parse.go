package sigv4

import (
	"net/http"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/awserr"
)

const (
	algorithm     = "AWS4-HMAC-SHA256"
	terminator    = "aws4_request"
	amzDateLayout = "20060102T150405Z"
)

// authorization is the parsed Authorization header:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex
//
// A parameter that is present with an empty value is recorded as present.
type authorization struct {
	algorithm     string
	credential    string
	signedHeaders string
	signature     string

	hasCredential    bool
	hasSignedHeaders bool
	hasSignature     bool
}

// parseAuthorization splits an Authorization header the way AWS's front end
// does: the algorithm is the first word; the rest is a list of key=value
// items separated by commas and/or white space. The only error is an item
// without "=", which AWS reports before anything else. Unknown keys are
// ignored; for a repeated key the first one counts.
func parseAuthorization(h string) (authorization, *awserr.Error) {
	var a authorization
	s := strings.TrimLeft(h, " \t")
	alg, rest := s, ""
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		alg, rest = s[:i], s[i+1:]
	}
	a.algorithm = alg
	items := strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	for _, item := range items {
		k, v, ok := strings.Cut(item, "=")
		if !ok {
			return authorization{}, missingEqualSign(item, h)
		}
		switch k {
		case "Credential":
			if !a.hasCredential {
				a.credential, a.hasCredential = v, true
			}
		case "SignedHeaders":
			if !a.hasSignedHeaders {
				a.signedHeaders, a.hasSignedHeaders = v, true
			}
		case "Signature":
			if !a.hasSignature {
				a.signature, a.hasSignature = v, true
			}
		}
	}
	return a, nil
}

// missing lists what the header lacks, in AWS's order and words, or "".
// SignedHeaders may be empty at this point (the Host check follows later);
// Credential and Signature may not.
func (a authorization) missing(hasDate bool) string {
	var b strings.Builder
	if !a.hasCredential || a.credential == "" {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if !a.hasSignature || a.signature == "" {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if !a.hasSignedHeaders {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	if !hasDate {
		b.WriteString(msgMissingDate)
	}
	return b.String()
}

// scope is the parsed credential: keyid/date/region/service/aws4_request.
type scope struct {
	keyID, date, region, service, terminator string
}

// parseCredential splits a credential into its five parts. Trailing slashes
// are ignored, as AWS does; any other count of parts is an error.
func parseCredential(c string) (scope, bool) {
	parts := strings.Split(strings.TrimRight(c, "/"), "/")
	if len(parts) != 5 {
		return scope{}, false
	}
	return scope{keyID: parts[0], date: parts[1], region: parts[2], service: parts[3], terminator: parts[4]}, true
}

// String is the credential scope as it appears in the string to sign.
func (s scope) String() string {
	return s.date + "/" + s.region + "/" + s.service + "/" + s.terminator
}

// problems lists every way the scope is wrong for service and the request
// time, concatenated as AWS does, or "".
func (s scope) problems(service string, at time.Time, stamp string) string {
	var b strings.Builder
	if s.region == "" {
		// Any region is accepted: Cogito serves them all on one port.
		b.WriteString(scopeRegion(s.region))
	}
	if s.service != service {
		b.WriteString(scopeService(service))
	}
	if s.terminator != terminator {
		b.WriteString(scopeTerminator(s.terminator))
	}
	if day := at.Format("20060102"); s.date != day {
		b.WriteString(scopeDate(s.date, day, stamp))
	}
	return b.String()
}

// signedHeaderNames splits a SignedHeaders value; empty names are dropped.
func signedHeaderNames(v string) []string {
	names := strings.Split(v, ";")
	out := names[:0]
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// parseAmzDate accepts exactly the ISO-8601 basic form 20060102T150405Z.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(amzDateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(amzDateLayout, s)
	if err != nil || t.Format(amzDateLayout) != s {
		return time.Time{}, false
	}
	return t, true
}

// parseDateHeader reads a Date header: an HTTP date (RFC 1123 and its two
// older forms) or the ISO-8601 basic form. (unverified: that AWS accepts
// both; every SDK sends X-Amz-Date, so this path is seldom taken.)
func parseDateHeader(s string) (time.Time, bool) {
	if t, ok := parseAmzDate(s); ok {
		return t, true
	}
	t, err := http.ParseTime(s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
