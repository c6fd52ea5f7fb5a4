package users

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestParseFilter(t *testing.T) {
	ok := []struct {
		in   string
		want storage.UserFilter
	}{
		{``, storage.UserFilter{}},
		{`   `, storage.UserFilter{}},
		{`email = "jane@example.com"`, storage.UserFilter{Field: "email", Value: "jane@example.com"}},
		{`email="jane@example.com"`, storage.UserFilter{Field: "email", Value: "jane@example.com"}},
		{`  phone_number  ^=  "+4474"  `, storage.UserFilter{Field: "phone_number", Value: "+4474", Prefix: true}},
		{`phone_number^="+33"`, storage.UserFilter{Field: "phone_number", Value: "+33", Prefix: true}},
		{`family_name = "Reddy"`, storage.UserFilter{Field: "family_name", Value: "Reddy"}},
		{`family_name = ""`, storage.UserFilter{Field: "family_name", Value: ""}},
		{`name = "say \"hi\""`, storage.UserFilter{Field: "name", Value: `say "hi"`}},
		{`name = "back\\slash"`, storage.UserFilter{Field: "name", Value: `back\slash`}},
		{`name = "lone\backslash"`, storage.UserFilter{Field: "name", Value: `lone\backslash`}},
		{`name = "a = \"b\" ^= c"`, storage.UserFilter{Field: "name", Value: `a = "b" ^= c`}},
		{"given_name\t=\t\"Jon\"", storage.UserFilter{Field: "given_name", Value: "Jon"}},
		{`cognito:user_status = "CONFIRMED"`, storage.UserFilter{Field: "cognito:user_status", Value: "CONFIRMED"}},
		{`status = "Disabled"`, storage.UserFilter{Field: "status", Value: "Disabled"}},
		{`sub = "0f8a7c1e-1111-2222-3333-444455556666"`, storage.UserFilter{Field: "sub", Value: "0f8a7c1e-1111-2222-3333-444455556666"}},
		{`username ^= "jo"`, storage.UserFilter{Field: "username", Value: "jo", Prefix: true}},
		{`preferred_username = "ünïcode"`, storage.UserFilter{Field: "preferred_username", Value: "ünïcode"}},
	}
	for _, c := range ok {
		got, err := ParseFilter(c.in)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("ParseFilter(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}

	parseErrors := []string{
		`foo`,
		`username = foo`,
		`username=`,
		`username = "unterminated`,
		`username = "escaped end\"`,
		`= "x"`,
		`username == "x"`,
		`username != "x"`,
		`username ^ "x"`,
		`username = "a" and email = "b"`,
		`username = "a" x`,
		`username = 'single'`,
		`"username" = "x"`,
		`user\name = "x"`,
	}
	for _, in := range parseErrors {
		_, err := ParseFilter(in)
		wantFilterErr(t, in, err, "Error while parsing filter.")
	}

	invalidAttr := map[string]string{
		`custom:foo = "bar"`:    "custom:foo",
		`custom:tier ^= "a"`:    "custom:tier",
		`email_verified="true"`: "email_verified",
		`Email = "x"`:           "Email",
		`address = "x"`:         "address",
	}
	for in, name := range invalidAttr {
		_, err := ParseFilter(in)
		wantFilterErr(t, in, err, "Invalid search attribute: "+name)
	}
}

func wantFilterErr(t *testing.T, in string, err error, msg string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok {
		t.Errorf("ParseFilter(%q) error = %v, want InvalidParameterException", in, err)
		return
	}
	if e.Code != "InvalidParameterException" || e.Message != msg {
		t.Errorf("ParseFilter(%q) = %s: %q, want InvalidParameterException: %q", in, e.Code, e.Message, msg)
	}
}

func TestFormatFilterRoundTrip(t *testing.T) {
	for _, f := range []storage.UserFilter{
		{},
		{Field: "email", Value: "a@b.c"},
		{Field: "name", Value: `quote " and backslash \ and \"`, Prefix: true},
		{Field: "name", Value: `trailing\`},
		{Field: "name", Value: ""},
	} {
		got, err := ParseFilter(FormatFilter(f))
		if err != nil || got != f {
			t.Errorf("ParseFilter(FormatFilter(%+v)) = %+v, %v", f, got, err)
		}
	}
}

// FuzzParseFilter checks the parser never panics, fails only with Cognito's
// two messages, and that every filter it accepts formats back to itself.
// The seeds run as ordinary tests.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		``, ` `, `email = "a@b.c"`, `phone_number ^= "+44"`, `name = "say \"hi\""`,
		`name = "\\"`, `name = "\"`, `username = foo`, `custom:x = "y"`, `a="b"c`,
		`status="Enabled"`, `cognito:user_status ^= "conf"`, "sub\t=\t\"x\"", `^=""`, `="`, `""`,
		`name = "` + strings.Repeat(`\"`, 20) + `"`, "name = \"\xff\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFilter(s)
		if err != nil {
			e, ok := awserr.As(err)
			if !ok || e.Code != "InvalidParameterException" ||
				(e.Message != msgParseFilter && !strings.HasPrefix(e.Message, "Invalid search attribute: ")) {
				t.Fatalf("ParseFilter(%q) error %v", s, err)
			}
			return
		}
		if got.Field == "" {
			if strings.Trim(s, " \t\r\n") != "" {
				t.Fatalf("ParseFilter(%q) selected everyone", s)
			}
			return
		}
		if utf8.ValidString(s) && !utf8.ValidString(got.Value) {
			t.Fatalf("ParseFilter(%q) made invalid UTF-8 %q", s, got.Value)
		}
		again, err := ParseFilter(FormatFilter(got))
		if err != nil || again != got {
			t.Fatalf("round trip of %q: %+v -> %q -> %+v, %v", s, got, FormatFilter(got), again, err)
		}
	})
}
