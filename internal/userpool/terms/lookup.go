package terms

import "context"

// Documents are an app client's terms documents as managed login shows them:
// the links of each document by Links key.
type Documents struct {
	TermsOfUse    map[string]string
	PrivacyPolicy map[string]string
}

// ForClient returns the terms documents of an app client.
func (s *Service) ForClient(ctx context.Context, poolID, clientID string) (Documents, error) {
	var out Documents
	rs, err := s.all(ctx, poolID)
	if err != nil {
		return out, err
	}
	for _, r := range rs {
		d, err := decode(r)
		if err != nil {
			return out, err
		}
		if d.ClientID != clientID {
			continue
		}
		switch d.TermsName {
		case TermsOfUse:
			out.TermsOfUse = d.Links
		case PrivacyPolicy:
			out.PrivacyPolicy = d.Links
		}
	}
	return out, nil
}

// Links returns the terms-of-use and privacy-policy URLs to show a user
// whose page is in language (a managed-login language tag such as "en" or
// "pt-BR"; "" for none): each document's link for the language, else its
// cognito:default link. ok is false — show nothing — unless both documents
// have a link for the page, as Cognito shows terms only once both exist.
func (d Documents) Links(language string) (termsOfUse, privacyPolicy string, ok bool) {
	termsOfUse = pick(d.TermsOfUse, language)
	privacyPolicy = pick(d.PrivacyPolicy, language)
	return termsOfUse, privacyPolicy, termsOfUse != "" && privacyPolicy != ""
}

func pick(links map[string]string, language string) string {
	if key, ok := languageKeys[language]; ok {
		if u := links[key]; u != "" {
			return u
		}
	}
	return links[DefaultLanguage]
}
