package importjobs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readAll(data string) []record {
	r := newCSVReader(data)
	var out []record
	for {
		rec, ok := r.next()
		if !ok {
			return out
		}
		out = append(out, rec)
	}
}

func TestCSVReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
	}{
		{"plain", "a,b,c\n1,2,3\n", [][]string{{"a", "b", "c"}, {"1", "2", "3"}}},
		{"no final newline", "a,b\n1,2", [][]string{{"a", "b"}, {"1", "2"}}},
		{"CRLF", "a,b\r\n1,2\r\n", [][]string{{"a", "b"}, {"1", "2"}}},
		{"empty values", "a,,c\n,,\n", [][]string{{"a", "", "c"}, {"", "", ""}}},
		{"trimmed", " a , b \n", [][]string{{"a", "b"}}},
		{"escaped comma", `1 Main St\, Springfield,x` + "\n", [][]string{{"1 Main St, Springfield", "x"}}},
		{"escaped backslash and quote", `a\\b,\"q\"` + "\n", [][]string{{`a\b`, `"q"`}}},
		{"backslash before other", `C:\temp` + "\n", [][]string{{`C:\temp`}}},
		{"trailing backslash kept", "a\\\n", [][]string{{`a\`}}},
		{"quoted with comma", `"1 Main St, Springfield",x` + "\n", [][]string{{"1 Main St, Springfield", "x"}}},
		{"quoted with doubled quote", `"say ""hi""",x` + "\n", [][]string{{`say "hi"`, "x"}}},
		{"quoted across lines", "\"two\nlines\",x\ny,z\n", [][]string{{"two\nlines", "x"}, {"y", "z"}}},
		{"quote inside value is literal", `ab"c,d` + "\n", [][]string{{`ab"c`, "d"}}},
		{"multibyte after backslash", `\é,ü` + "\n", [][]string{{`\é`, "ü"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]string
			for _, rec := range readAll(tc.in) {
				got = append(got, rec.fields)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVReaderLinesBlanksAndLength(t *testing.T) {
	recs := readAll("h1,h2\n\n  \na,b\n\"x\ny\",z\n,\nlast,1")
	var lines []int
	var blank []bool
	for _, r := range recs {
		lines = append(lines, r.line)
		blank = append(blank, r.blank)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5, 7, 8}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{false, true, true, false, false, true, false}, blank); diff != "" {
		t.Errorf("blank (-want +got):\n%s", diff)
	}
	long := readAll(strings.Repeat("é", 20) + ",x\r\n")
	if long[0].chars != 22 {
		t.Errorf("chars = %d, want 22 (runes, CR excluded)", long[0].chars)
	}
	if n := countRows("h\n\na\nb\n\n"); n != 2 {
		t.Errorf("countRows = %d, want 2", n)
	}
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{"a,b\n1,2", `"q""x",\,` + "\r\n", "\"open\n", "\\", ",,,\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := newCSVReader(s)
		for range len(s) + 2 {
			if _, ok := r.next(); !ok {
				return
			}
		}
		t.Fatalf("reader did not end on %q", s)
	})
}
