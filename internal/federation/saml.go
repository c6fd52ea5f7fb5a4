package federation

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/crewjam/saml"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/oauth"
)

// serviceProvider is the pool's SAML service provider for one IdP, its
// assertion consumer service under baseURL.
func (s *Service) serviceProvider(ctx context.Context, poolID, baseURL string, p *cognitoidp.IdentityProviderType) (*saml.ServiceProvider, error) {
	sp, err := s.spSelf(ctx, poolID, baseURL)
	if err != nil {
		return nil, err
	}
	md, err := s.idpMetadata(ctx, p)
	if err != nil {
		return nil, err
	}
	sp.IDPMetadata = md
	if p.ProviderDetails["RequestSigningAlgorithm"] == requestSigningV1 {
		sp.SignatureMethod = sigAlgRSASHA256
	}
	return sp, nil
}

// spSelf is the pool's service provider without an IdP: its entity id,
// ACS, signing and encryption key and certificate.
func (s *Service) spSelf(ctx context.Context, poolID, baseURL string) (*saml.ServiceProvider, error) {
	_, key, err := s.keys.Signer(ctx, poolID, keys.UseID)
	if err != nil {
		return nil, fmt.Errorf("federation: signing key of %s: %w", poolID, err)
	}
	certB64, err := s.keys.SigningCertificate(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("federation: signing certificate of %s: %w", poolID, err)
	}
	der, err := base64.StdEncoding.DecodeString(certB64)
	if err != nil {
		return nil, fmt.Errorf("federation: signing certificate of %s: %w", poolID, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("federation: signing certificate of %s: %w", poolID, err)
	}
	acs, err := url.Parse(baseURL + SAMLACSPath)
	if err != nil {
		return nil, fmt.Errorf("federation: ACS URL: %w", err)
	}
	md, _ := url.Parse(baseURL + SAMLMetadataPath)
	return &saml.ServiceProvider{
		EntityID: SPEntityIDPrefix + poolID, Key: key, Certificate: cert,
		AcsURL: *acs, MetadataURL: *md, HTTPClient: s.http,
		AuthnNameIDFormat: saml.UnspecifiedNameIDFormat,
	}, nil
}

// idpMetadata reads a SAML provider's metadata: the MetadataFile, or the
// MetadataURL's document (cached for a while).
func (s *Service) idpMetadata(ctx context.Context, p *cognitoidp.IdentityProviderType) (*saml.EntityDescriptor, error) {
	raw := []byte(p.ProviderDetails["MetadataFile"])
	if len(raw) == 0 {
		u := p.ProviderDetails["MetadataURL"]
		if !webURL(u) {
			return nil, fail(errServerError, msgInternal, fmt.Errorf("SAML provider %s has no metadata", api.Deref(p.ProviderName)))
		}
		b, err := s.document(ctx, u)
		if err != nil {
			return nil, fail(errServerError, msgInternal, fmt.Errorf("SAML metadata of %s: %w", api.Deref(p.ProviderName), err))
		}
		raw = b
	}
	ed, err := parseIdPMetadata(raw)
	if err != nil {
		return nil, fail(errServerError, msgInternal, fmt.Errorf("SAML metadata of %s: %w", api.Deref(p.ProviderName), err))
	}
	return ed, nil
}

// parseIdPMetadata reads an EntityDescriptor, or the first EntityDescriptor
// with an IDPSSODescriptor of an EntitiesDescriptor.
func parseIdPMetadata(b []byte) (*saml.EntityDescriptor, error) {
	ed := new(saml.EntityDescriptor)
	if err := xml.Unmarshal(b, ed); err == nil && len(ed.IDPSSODescriptors) > 0 {
		return ed, nil
	}
	var list saml.EntitiesDescriptor
	if err := xml.Unmarshal(b, &list); err == nil {
		for i := range list.EntityDescriptors {
			if len(list.EntityDescriptors[i].IDPSSODescriptors) > 0 {
				return &list.EntityDescriptors[i], nil
			}
		}
	}
	return nil, errors.New("no EntityDescriptor with an IDPSSODescriptor")
}

// startSAML sends the browser to the IdP with an AuthnRequest: by the
// HTTP-Redirect binding, or an auto-submitted form when the IdP offers only
// HTTP-POST.
func (s *Service) startSAML(w http.ResponseWriter, r *http.Request, p *cognitoidp.IdentityProviderType, txn *oauth.Txn, rt *roundTrip) error {
	sp, err := s.serviceProvider(r.Context(), txn.PoolID, txn.BaseURL, p)
	if err != nil {
		return err
	}
	binding, loc := bindingRedirect, sp.GetSSOBindingLocation(bindingRedirect)
	if loc == "" {
		binding, loc = bindingPost, sp.GetSSOBindingLocation(bindingPost)
	}
	if loc == "" {
		return fail(errServerError, msgInternal, fmt.Errorf("SAML provider %s has no SingleSignOnService", api.Deref(p.ProviderName)))
	}
	req, err := sp.MakeAuthenticationRequest(loc, binding, bindingPost)
	if err != nil {
		return fmt.Errorf("federation: AuthnRequest: %w", err)
	}
	rt.RequestID = req.ID
	state, err := s.sealState(rt)
	if err != nil {
		return err
	}
	if binding == bindingPost {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(req.Post(state))
		return nil
	}
	u, err := req.Redirect(state, sp)
	if err != nil {
		return fmt.Errorf("federation: AuthnRequest redirect: %w", err)
	}
	http.Redirect(w, r, u.String(), http.StatusFound)
	return nil
}

// SAMLResponse serves /saml2/idpresponse: a SAML response posted by the
// browser (POST binding), answering an AuthnRequest (RelayState is Cogito's
// state) or IdP-initiated (RelayState holds authorize parameters).
func (s *Service) SAMLResponse(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, msgPageError)
		return
	}
	raw, relay := r.PostForm.Get("SAMLResponse"), r.PostForm.Get("RelayState")
	if raw == "" || len(raw) > maxSAMLResponse {
		s.errorPage(w, r, http.StatusBadRequest, msgPageError)
		return
	}
	if _, err := s.openState(relay); err == nil {
		s.spInitiated(w, r, raw, relay)
		return
	}
	s.idpInitiated(w, r, raw, relay)
}

// spInitiated handles the answer to an AuthnRequest Cogito sent.
func (s *Service) spInitiated(w http.ResponseWriter, r *http.Request, raw, relay string) {
	rt, txn, ok := s.openRoundTrip(w, r, relay)
	if !ok {
		return
	}
	p, err := s.provider(r.Context(), txn.PoolID, rt.Provider)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	ext, err := s.assertion(r.Context(), txn, p, raw, []string{rt.RequestID}, false)
	if err != nil {
		s.fail(w, r, txn, err)
		return
	}
	s.finish(w, r, txn, p, ext)
}

// assertion validates a SAML response for txn (signature by a certificate of
// the IdP's metadata, issuer, destination and recipient, audience, time
// conditions, InResponseTo, status; decrypting an encrypted assertion),
// refuses an assertion seen before, and reads the identity: the NameID and
// the attributes by name.
func (s *Service) assertion(ctx context.Context, txn *oauth.Txn, p *cognitoidp.IdentityProviderType, raw string, requestIDs []string, idpInitiated bool) (*external, error) {
	sp, err := s.serviceProvider(ctx, txn.PoolID, txn.BaseURL, p)
	if err != nil {
		return nil, err
	}
	if idpInitiated {
		sp.AllowIDPInitiated = true
		sp.ValidateRequestID = func(resp saml.Response, _ []string) error {
			if resp.InResponseTo != "" {
				return errors.New("an IdP-initiated response must not carry InResponseTo")
			}
			return nil
		}
	}
	xmlBytes, err := base64.StdEncoding.DecodeString(strings.TrimSpace(raw))
	if err != nil {
		return nil, fail(errInvalidRequest, fmt.Sprintf(msgSAMLInvalid, "the SAMLResponse is not base64"), err)
	}
	a, err := sp.ParseXMLResponse(xmlBytes, requestIDs, sp.AcsURL)
	if err != nil {
		var ire *saml.InvalidResponseError
		cause := err
		if errors.As(err, &ire) && ire.PrivateErr != nil {
			cause = ire.PrivateErr
		}
		var bad saml.ErrBadStatus
		if errors.As(cause, &bad) {
			return nil, fail(errInvalidRequest, fmt.Sprintf(msgSAMLStatus, bad.Status), cause)
		}
		return nil, fail(errInvalidRequest, fmt.Sprintf(msgSAMLInvalid, reason(cause)), cause)
	}
	if idpInitiated && a.Subject != nil {
		for _, sc := range a.Subject.SubjectConfirmations {
			if sc.SubjectConfirmationData != nil && sc.SubjectConfirmationData.InResponseTo != "" {
				return nil, fail(errInvalidRequest, fmt.Sprintf(msgSAMLInvalid, "an IdP-initiated assertion must not carry InResponseTo"), nil)
			}
		}
	}
	if a.Subject == nil || a.Subject.NameID == nil || strings.TrimSpace(a.Subject.NameID.Value) == "" {
		return nil, fail(errInvalidRequest, fmt.Sprintf(msgSAMLInvalid, "the assertion has no NameID"), nil)
	}
	expires := s.clock.Now().Add(RoundTripLifetime)
	if a.Conditions != nil && a.Conditions.NotOnOrAfter.After(expires) {
		expires = a.Conditions.NotOnOrAfter.Add(saml.MaxClockSkew)
	}
	first, err := s.useOnce(ctx, txn.PoolID, "assertion", api.Deref(p.ProviderName)+"\x00"+a.ID, expires)
	if err != nil {
		return nil, err
	}
	if !first || a.ID == "" {
		return nil, fail(errInvalidRequest, msgSAMLReplay, nil)
	}
	claims := map[string]any{}
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			vals, _ := claims[at.Name].([]string)
			for _, v := range at.Values {
				val := v.Value
				if v.NameID != nil {
					val = v.NameID.Value
				}
				vals = append(vals, val)
			}
			claims[at.Name] = vals
		}
	}
	issuer := sp.IDPMetadata.EntityID
	return &external{subject: strings.TrimSpace(a.Subject.NameID.Value), claims: claims, issuer: &issuer}, nil
}

// reason shortens a validation error for the app client.
func reason(err error) string {
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}

// SPMetadata writes the pool's SAML 2.0 service provider metadata: entity
// id urn:amazon:cognito:sp:{poolId}, the ACS (POST binding) under baseURL,
// and the pool's signing certificate for signing and encryption.
func (s *Service) SPMetadata(w http.ResponseWriter, r *http.Request, poolID, baseURL string) {
	sp, err := s.spSelf(r.Context(), poolID, baseURL)
	if err != nil {
		s.log.ErrorContext(r.Context(), "federation: SP metadata", "pool", poolID, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, msgPageError)
		return
	}
	sp.SignatureMethod = sigAlgRSASHA256 // the signing key is published
	md := sp.Metadata()
	// Only the POST binding is served.
	for i := range md.SPSSODescriptors {
		acs := md.SPSSODescriptors[i].AssertionConsumerServices[:0]
		for _, e := range md.SPSSODescriptors[i].AssertionConsumerServices {
			if e.Binding == bindingPost {
				acs = append(acs, e)
			}
		}
		md.SPSSODescriptors[i].AssertionConsumerServices = acs
		md.SPSSODescriptors[i].AuthnRequestsSigned = nil
	}
	b, err := xml.MarshalIndent(md, "", "  ")
	if err != nil {
		s.log.ErrorContext(r.Context(), "federation: SP metadata", "pool", poolID, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, msgPageError)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	w.Header().Set("Cache-Control", "max-age=300")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
}
