package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"version"}, func(string) string { return "" }, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "cogito ") {
		t.Fatalf("version: %d %q", code, out.String())
	}
	if code := run([]string{"bogus"}, func(string) string { return "" }, &out, &errb); code != 2 {
		t.Fatalf("unknown command: %d", code)
	}
	if code := run(nil, func(string) string { return "" }, &out, &errb); code != 2 {
		t.Fatalf("no command: %d", code)
	}
	if code := run([]string{"serve", "--region", "nowhere"}, func(string) string { return "" }, &out, &errb); code != 2 {
		t.Fatalf("bad config: %d", code)
	}
}
