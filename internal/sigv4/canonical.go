package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// canonicalRequest builds the SigV4 canonical request for r:
//
//	METHOD \n path \n query \n name:value\n... \n signedHeaders \n payloadHash
//
// path is the already URI-encoded path as it came over the wire; it is
// encoded once more here, as every SDK does for services other than S3.
// signedHeaders is used verbatim, as the client listed it. With presigned
// set, X-Amz-Signature is left out of the query.
func canonicalRequest(r *http.Request, path, signedHeaders, payloadHash string, presigned bool) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(uriEncode(path, true))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery, presigned))
	b.WriteByte('\n')
	for _, name := range signedHeaderNames(signedHeaders) {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(signedHeaders)
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// headerValue is the canonical value of one signed header: every value of
// the header, each trimmed with inner runs of white space collapsed to one
// space, joined by commas. Go's server moves Host (and Transfer-Encoding)
// out of the header map, so those are read from the request's fields.
func headerValue(r *http.Request, name string) string {
	var values []string
	switch strings.ToLower(name) {
	case "host":
		h := r.Host
		if h == "" && r.URL != nil {
			h = r.URL.Host
		}
		values = []string{h}
	case "content-length":
		values = headerValues(r.Header, name)
		if len(values) == 0 && r.ContentLength > 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	case "transfer-encoding":
		values = headerValues(r.Header, name)
		if len(values) == 0 {
			values = r.TransferEncoding
		}
	default:
		values = headerValues(r.Header, name)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = collapseSpaces(v)
	}
	return strings.Join(out, ",")
}

// headerValues finds a header whatever the case of its key in the map
// (the server canonicalizes keys; client-built requests may not).
func headerValues(h http.Header, name string) []string {
	if v := h.Values(name); len(v) > 0 {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// collapseSpaces trims v and turns every inner run of spaces and tabs into
// one space (the spec's Trimall; botocore and the JS SDK treat tabs so too).
func collapseSpaces(v string) string {
	return strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '\t' }), " ")
}

// canonicalQuery decodes every name and value, re-encodes them the SigV4
// way (RFC 3986 unreserved characters kept, everything else %XX, a space as
// %20) and sorts by name, then value. A pair without "=" has an empty value.
func canonicalQuery(raw string, presigned bool) string {
	if raw == "" {
		return ""
	}
	type pair struct{ k, v string }
	var pairs []pair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, v = uriEncode(queryUnescape(k), false), uriEncode(queryUnescape(v), false)
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, pair{k, v})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// queryUnescape decodes s, or keeps it as it is when it is not valid
// percent-encoding (it will then not match, as on AWS).
func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// uriEncode percent-encodes every byte but the RFC 3986 unreserved
// characters (and "/" when keepSlash), with upper-case hex.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || keepSlash && c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// normalizePath removes "." and ".." segments and empty segments (double
// slashes), keeping a trailing slash, as AWS services other than S3 do
// before encoding the path.
func normalizePath(p string) string {
	var segs []string
	for s := range strings.SplitSeq(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, s)
		}
	}
	out := "/" + strings.Join(segs, "/")
	if len(segs) > 0 && strings.HasSuffix(p, "/") {
		out += "/"
	}
	return out
}

// stringToSign is the second SigV4 stage.
func stringToSign(stamp string, sc scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + stamp + "\n" + sc.String() + "\n" + hex.EncodeToString(sum[:])
}

// signingKey derives the key for one day, region and service.
func signingKey(secret string, sc scope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), sc.date)
	k = hmacSHA256(k, sc.region)
	k = hmacSHA256(k, sc.service)
	return hmacSHA256(k, sc.terminator)
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
