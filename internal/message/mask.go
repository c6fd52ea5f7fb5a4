package message

import (
	"strings"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// MaskDestination masks an email address or phone number the way
// CodeDeliveryDetails.Destination shows it.
func MaskDestination(medium cognitoidp.DeliveryMediumType, dest string) string {
	if medium == SMS {
		return MaskPhone(dest)
	}
	return MaskEmail(dest)
}

// MaskEmail keeps the first character of the local part and of the domain
// and the domain's last label: "jane@example.com" → "j***@e***.com"
// (observed in AWS CLI outputs of ForgotPassword and
// ResendConfirmationCode). A domain without a dot becomes "e***". Which
// labels of a longer domain stay ("mail.example.co.uk" → "m***.uk") is
// unverified. Something without an "@" keeps only its first character.
func MaskEmail(addr string) string {
	if addr == "" {
		return ""
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return firstRune(addr) + "***"
	}
	local, domain := addr[:at], addr[at+1:]
	out := firstRune(local) + "***@"
	if domain == "" {
		return out
	}
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || dot == len(domain)-1 {
		return out + firstRune(domain) + "***"
	}
	return out + firstRune(domain) + "***" + domain[dot:]
}

// MaskPhone replaces every digit but the last four with "*" and keeps the
// leading "+": "+12065551234" → "+*******1234" (observed: one star per
// hidden digit, e.g. "+********4114" for a 12-digit number).
func MaskPhone(phone string) string {
	digits := 0
	for i := 0; i < len(phone); i++ {
		if phone[i] >= '0' && phone[i] <= '9' {
			digits++
		}
	}
	hide := digits - 4
	var b strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			if hide > 0 {
				b.WriteByte('*')
				hide--
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func firstRune(s string) string {
	if s == "" {
		return ""
	}
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}
