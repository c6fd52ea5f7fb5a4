package message

import "testing"

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"jane@example.com":         "j***@e***.com", // AWS CLI forgot-password example
		"alice@example.com":        "a***@e***.com",
		"bob@localhost":            "b***@l***",
		"carol@mail.example.co.uk": "c***@m***.uk",
		"émile@été.fr":             "é***@é***.fr",
		"x@y":                      "x***@y***",
		"@example.com":             "***@e***.com",
		"jane@":                    "j***@",
		"nodomain":                 "n***",
		"":                         "",
	} {
		if got := MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+12065551234":   "+*******1234",
		"+447700904114":  "+********4114",
		"+5511987654516": "+*********4516",
		"+1234":          "+1234",
		"123":            "123",
		"":               "",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskDestination(t *testing.T) {
	if got := MaskDestination(SMS, "+12065551234"); got != "+*******1234" {
		t.Errorf("sms: %q", got)
	}
	if got := MaskDestination(Email, "jane@example.com"); got != "j***@e***.com" {
		t.Errorf("email: %q", got)
	}
}
