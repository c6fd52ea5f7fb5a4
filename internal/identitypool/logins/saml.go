package logins

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/cogito-dev/cogito/internal/config"
)

// SAML names used by the checks.
const (
	samlRoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role"
	// DefaultSAMLAudience is the audience AWS federation expects in assertions.
	DefaultSAMLAudience = "urn:amazon:webservices"
	// samlSkew is the clock skew tolerated on NotBefore.
	samlSkew = 3 * time.Minute
)

var roleARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/`)

// samlProvider is a configured IAM SAML provider: the certificates its
// responses must be signed with.
type samlProvider struct {
	arn      string
	certs    []*x509.Certificate
	audience string
}

// loadSAMLProvider reads the provider's certificates from its metadata file
// (SAML metadata or PEM) or its inline certificate.
func loadSAMLProvider(p config.SAMLProvider) (*samlProvider, error) {
	data := []byte(p.Certificate)
	if p.Metadata != "" {
		b, err := os.ReadFile(p.Metadata)
		if err != nil {
			return nil, fmt.Errorf("logins: saml provider %s: %w", p.ARN, err)
		}
		data = b
	}
	certs, err := parseCertificates(data)
	if err != nil {
		return nil, fmt.Errorf("logins: saml provider %s: %w", p.ARN, err)
	}
	aud := p.Audience
	if aud == "" {
		aud = DefaultSAMLAudience
	}
	return &samlProvider{arn: p.ARN, certs: certs, audience: aud}, nil
}

// parseCertificates reads PEM certificates, or the signing certificates of a
// SAML metadata document (KeyDescriptor use="signing" or without use).
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	if strings.Contains(string(data), "-----BEGIN CERTIFICATE-----") {
		for rest := data; ; {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	} else {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(data); err != nil {
			return nil, fmt.Errorf("neither PEM nor SAML metadata: %w", err)
		}
		for _, kd := range descendants(doc.Root(), "KeyDescriptor") {
			if use := kd.SelectAttrValue("use", "signing"); use != "signing" {
				continue
			}
			for _, xc := range descendants(kd, "X509Certificate") {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xc.Text()), ""))
				if err != nil {
					return nil, fmt.Errorf("metadata certificate: %w", err)
				}
				c, err := x509.ParseCertificate(der)
				if err != nil {
					return nil, err
				}
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no signing certificate found")
	}
	return out, nil
}

// detach copies el out of its document, declaring on it the namespaces it
// inherited, so its signature verifies as it did in place.
func detach(el *etree.Element) *etree.Element {
	out := el.Copy()
	has := map[string]bool{}
	for _, a := range out.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			has[a.FullKey()] = true
		}
	}
	for p := el.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if (a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns")) && !has[a.FullKey()] {
				has[a.FullKey()] = true
				out.CreateAttr(a.FullKey(), a.Value)
			}
		}
	}
	return out
}

// descendants returns every element below el (and el) whose local name is tag.
func descendants(el *etree.Element, tag string) []*etree.Element {
	if el == nil {
		return nil
	}
	var out []*etree.Element
	if el.Tag == tag {
		out = append(out, el)
	}
	for _, c := range el.ChildElements() {
		out = append(out, descendants(c, tag)...)
	}
	return out
}

// child returns el's first child element with local name tag.
func child(el *etree.Element, tag string) *etree.Element {
	if el == nil {
		return nil
	}
	for _, c := range el.ChildElements() {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}

// checkSAML verifies a base64 SAMLResponse of the IAM SAML provider arn.
func (v *Validator) checkSAML(_ context.Context, arn, tok string) (*Login, error) {
	sp := v.saml[arn]
	if sp == nil {
		return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "no certificate is configured for this provider"))
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(tok), ""))
	if err != nil {
		return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "not base64"))
	}
	doc := etree.NewDocument()
	doc.ReadSettings.ValidateInput = true
	if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil || doc.Root().Tag != "Response" {
		return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "not a SAML response"))
	}
	now := v.clock.Now()
	vctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: sp.certs})
	vctx.IdAttribute = "ID"
	vctx.Clock = dsig.NewFakeClockAt(now)

	// Only what a verified signature covers is read: the whole response, or
	// else the assertion.
	var assertion *etree.Element
	if resp, err := vctx.Validate(doc.Root()); err == nil {
		if !statusSuccess(resp) {
			return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "the response is not a success"))
		}
		assertion = child(resp, "Assertion")
	} else {
		if !statusSuccess(doc.Root()) {
			return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "the response is not a success"))
		}
		a := child(doc.Root(), "Assertion")
		if a == nil {
			return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "no assertion (encrypted assertions are not supported)"))
		}
		if assertion, err = vctx.Validate(detach(a)); err != nil {
			return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "the signature does not verify"))
		}
	}
	if assertion == nil {
		return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "no assertion"))
	}
	if err := checkConditions(assertion, sp.audience, now); err != nil {
		return nil, err
	}
	nameID := strings.TrimSpace(child(child(assertion, "Subject"), "NameID").Text())
	if child(child(assertion, "Subject"), "NameID") == nil || nameID == "" {
		return nil, notAuthorized(fmt.Sprintf(msgInvalidSAML, "no NameID"))
	}
	claims := map[string]any{"sub": nameID}
	for _, st := range assertion.ChildElements() {
		if st.Tag != "AttributeStatement" {
			continue
		}
		for _, a := range st.ChildElements() {
			name := a.SelectAttrValue("Name", "")
			if a.Tag != "Attribute" || name == "" {
				continue
			}
			var vals []any
			for _, val := range a.ChildElements() {
				if val.Tag == "AttributeValue" {
					vals = append(vals, strings.TrimSpace(val.Text()))
				}
			}
			if len(vals) == 1 {
				claims[name] = vals[0]
			} else {
				claims[name] = vals
			}
		}
	}
	l := &Login{Kind: KindSAML, Provider: arn, Subject: nameID, RoleMappingKey: arn, Claims: claims,
		AMR: []string{arn, arn + ":" + nameID}, Roles: samlRoles(claims[samlRoleAttribute], arn)}
	if len(l.Roles) == 1 {
		l.PreferredRole = l.Roles[0]
	}
	return l, nil
}

// statusSuccess reports whether a response's StatusCode is Success (or
// absent).
func statusSuccess(resp *etree.Element) bool {
	code := child(child(resp, "Status"), "StatusCode")
	return code == nil || strings.HasSuffix(code.SelectAttrValue("Value", ""), ":Success")
}

// checkConditions checks the assertion's validity window and audience.
func checkConditions(assertion *etree.Element, audience string, now time.Time) error {
	cond := child(assertion, "Conditions")
	if cond == nil {
		return nil
	}
	if nb := cond.SelectAttrValue("NotBefore", ""); nb != "" {
		t, err := time.Parse(time.RFC3339, nb)
		if err != nil || now.Add(samlSkew).Before(t) {
			return notAuthorized(fmt.Sprintf(msgInvalidSAML, "the assertion is not yet valid"))
		}
	}
	if na := cond.SelectAttrValue("NotOnOrAfter", ""); na != "" {
		t, err := time.Parse(time.RFC3339, na)
		if err != nil {
			return notAuthorized(fmt.Sprintf(msgInvalidSAML, "bad NotOnOrAfter"))
		}
		if !now.Before(t) {
			return expired(now, t)
		}
	}
	var auds []string
	for _, r := range cond.ChildElements() {
		if r.Tag != "AudienceRestriction" {
			continue
		}
		for _, a := range r.ChildElements() {
			if a.Tag == "Audience" {
				auds = append(auds, strings.TrimSpace(a.Text()))
			}
		}
	}
	if len(auds) > 0 {
		for _, a := range auds {
			if a == audience {
				return nil
			}
		}
		return notAuthorized(msgUnsupportedProvider)
	}
	return nil
}

// samlRoles reads the Role attribute's "roleArn,providerArn" pairs (either
// order) that name this provider, returning the role ARNs.
func samlRoles(attr any, providerARN string) []string {
	var vals []string
	switch x := attr.(type) {
	case string:
		vals = []string{x}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				vals = append(vals, s)
			}
		}
	}
	var out []string
	for _, v := range vals {
		a, b, ok := strings.Cut(v, ",")
		if !ok {
			continue
		}
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		switch {
		case b == providerARN && roleARNPattern.MatchString(a):
			out = append(out, a)
		case a == providerARN && roleARNPattern.MatchString(b):
			out = append(out, b)
		}
	}
	return out
}
