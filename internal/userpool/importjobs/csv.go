package importjobs

import (
	"strings"
	"unicode/utf8"
)

// csvReader reads the user import file as Cognito describes it: records
// separated by line feeds (a CR before the LF is dropped), values separated
// by commas, a backslash making the comma, quote or backslash after it
// literal ("\," is a comma inside a value; a backslash before anything else
// is kept), and values trimmed of surrounding white space. It also
// reads RFC 4180 double-quoted values ("a, b" and "say ""hi""") so that
// files written by ordinary CSV writers import as their authors meant; a
// quoted value may span lines.
type csvReader struct {
	data string
	pos  int
	line int // physical line number of the next record (1-based)
}

func newCSVReader(data string) *csvReader { return &csvReader{data: data, line: 1} }

// record is one parsed row.
type record struct {
	line   int      // physical line the record starts on
	fields []string // trimmed values
	chars  int      // characters in the record, separators included
	blank  bool     // every value empty (an empty line, or only separators)
}

// next returns the next record; ok is false at the end of the data.
func (r *csvReader) next() (rec record, ok bool) {
	if r.pos >= len(r.data) {
		return record{}, false
	}
	rec.line = r.line
	start := r.pos
	var (
		field  strings.Builder
		quoted bool // inside a quoted value
	)
	flush := func() {
		rec.fields = append(rec.fields, strings.TrimSpace(field.String()))
		field.Reset()
	}
	end := func(stop int) (record, bool) {
		raw := strings.TrimSuffix(r.data[start:stop], "\r")
		rec.chars = utf8.RuneCountInString(raw)
		flush()
		rec.blank = true
		for _, f := range rec.fields {
			if f != "" {
				rec.blank = false
				break
			}
		}
		return rec, true
	}
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case quoted:
			switch {
			case c == '"' && r.pos+1 < len(r.data) && r.data[r.pos+1] == '"':
				field.WriteByte('"')
				r.pos += 2
				continue
			case c == '"':
				quoted = false
			case c == '\n':
				r.line++
				field.WriteByte(c)
			default:
				field.WriteByte(c)
			}
			r.pos++
		case c == '\n':
			stop := r.pos
			r.pos++
			r.line++
			// A CR before the LF ends the line, not the value.
			if s := field.String(); strings.HasSuffix(s, "\r") {
				field.Reset()
				field.WriteString(strings.TrimSuffix(s, "\r"))
			}
			return end(stop)
		case c == '\\' && r.pos+1 < len(r.data) && strings.IndexByte(`,\"`, r.data[r.pos+1]) >= 0:
			// "\," "\\" and "\"" stand for the character; any other
			// backslash is itself.
			field.WriteByte(r.data[r.pos+1])
			r.pos += 2
		case c == ',':
			flush()
			r.pos++
		case c == '"' && strings.TrimSpace(field.String()) == "":
			// A value opening with a quote (after optional blanks) is quoted.
			field.Reset()
			quoted = true
			r.pos++
		default:
			field.WriteByte(c)
			r.pos++
		}
	}
	// The last record, without a final line feed.
	if s := field.String(); strings.HasSuffix(s, "\r") {
		field.Reset()
		field.WriteString(strings.TrimSuffix(s, "\r"))
	}
	return end(len(r.data))
}
