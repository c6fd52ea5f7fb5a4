// Package codegen turns the AWS API models (Smithy JSON AST, plus the JS SDK
// v3 TypeScript declarations for members and operations newer than the
// Smithy model) into an intermediate form, and that into Go source for
// internal/api/<service>.
package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Model is one service, all traits resolved.
type Model struct {
	ServiceShape string // e.g. AWSCognitoIdentityProviderService (the X-Amz-Target prefix)
	SigningName  string // SigV4 service name
	Version      string
	Operations   []*Operation
	Shapes       map[string]*Shape // by short name
}

// Shape is a named (or prelude) shape.
type Shape struct {
	Name    string
	Type    string // structure, string, enum, integer, long, boolean, timestamp, blob, list, map, document, float, double
	Members []*Member
	Enum    []EnumValue
	Member  string // list element target
	Key     string // map key target
	Value   string // map value target
	Length  *Bounds
	Range   *Bounds
	Pattern string
	// PatternShown, when set, is how error messages print the pattern
	// (otherwise the pattern without its ^ and $ anchors, as Coral prints it).
	PatternShown string
	Sensitive    bool
	Error        string // "client" / "server" for exception structures
	Status       int
	Doc          string
	Prelude      bool
	Source       string // "smithy", "ts"
}

// Member is a structure member.
type Member struct {
	Name       string
	Target     string
	Required   bool
	HasDefault bool
	Length     *Bounds
	Range      *Bounds
	Pattern    string
	Doc        string
	Deprecated bool
}

// EnumValue is one value of an enum.
type EnumValue struct {
	Name  string
	Value string
}

// Bounds is a length or range constraint; nil ends mean unbounded.
type Bounds struct {
	Min *float64
	Max *float64
}

// Operation is one API operation.
type Operation struct {
	Name     string
	Input    string
	Output   string
	Errors   []string
	Unsigned bool
	Doc      string
	Source   string
}

type rawShape struct {
	Type       string                     `json:"type"`
	Members    json.RawMessage            `json:"members"`
	Member     *rawRef                    `json:"member"`
	Key        *rawRef                    `json:"key"`
	Value      *rawRef                    `json:"value"`
	Input      *rawRef                    `json:"input"`
	Output     *rawRef                    `json:"output"`
	Errors     []rawRef                   `json:"errors"`
	Operations []rawRef                   `json:"operations"`
	Version    string                     `json:"version"`
	Traits     map[string]json.RawMessage `json:"traits"`
}

type rawRef struct {
	Target string                     `json:"target"`
	Traits map[string]json.RawMessage `json:"traits"`
}

type rawBounds struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
}

func short(id string) string {
	if i := strings.LastIndexByte(id, '#'); i >= 0 {
		return id[i+1:]
	}
	return id
}

var preludeTypes = map[string]string{
	"String": "string", "Boolean": "boolean", "PrimitiveBoolean": "boolean", "Integer": "integer",
	"PrimitiveInteger": "integer", "Long": "long", "PrimitiveLong": "long", "Timestamp": "timestamp",
	"Blob": "blob", "Document": "document", "Float": "float", "Double": "double", "Unit": "structure",
}

// LoadSmithy reads a Smithy JSON AST file.
func LoadSmithy(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Shapes map[string]rawShape `json:"shapes"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := &Model{Shapes: map[string]*Shape{}}
	ref := func(id string) string {
		if strings.HasPrefix(id, "smithy.api#") {
			n := short(id)
			if _, ok := m.Shapes[n]; !ok {
				t, ok := preludeTypes[n]
				if !ok {
					panic("unknown prelude shape " + id)
				}
				m.Shapes[n] = &Shape{Name: n, Type: t, Prelude: true}
			}
			return n
		}
		return short(id)
	}
	ids := make([]string, 0, len(doc.Shapes))
	for id := range doc.Shapes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		rs := doc.Shapes[id]
		name := short(id)
		switch rs.Type {
		case "service":
			m.ServiceShape = name
			m.Version = rs.Version
			var sig struct {
				Name string `json:"name"`
			}
			if t, ok := rs.Traits["aws.auth#sigv4"]; ok {
				_ = json.Unmarshal(t, &sig)
			}
			m.SigningName = sig.Name
			continue
		case "operation":
			op := &Operation{Name: name, Doc: traitString(rs.Traits, "smithy.api#documentation"), Source: "smithy"}
			if rs.Input != nil {
				op.Input = ref(rs.Input.Target)
			}
			if rs.Output != nil {
				op.Output = ref(rs.Output.Target)
			}
			for _, e := range rs.Errors {
				op.Errors = append(op.Errors, ref(e.Target))
			}
			if a, ok := rs.Traits["smithy.api#auth"]; ok {
				var list []string
				_ = json.Unmarshal(a, &list)
				op.Unsigned = len(list) == 0
			}
			m.Operations = append(m.Operations, op)
			continue
		}
		s := &Shape{Name: name, Type: rs.Type, Doc: traitString(rs.Traits, "smithy.api#documentation"), Source: "smithy"}
		applyShapeTraits(s, rs.Traits)
		switch rs.Type {
		case "structure":
			keys, raws, err := orderedMembers(rs.Members)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			for i, k := range keys {
				var r rawRef
				if err := json.Unmarshal(raws[i], &r); err != nil {
					return nil, err
				}
				mem := &Member{Name: k, Target: ref(r.Target), Doc: traitString(r.Traits, "smithy.api#documentation")}
				_, mem.Required = r.Traits["smithy.api#required"]
				if d, ok := r.Traits["smithy.api#default"]; ok && string(d) != "null" {
					mem.HasDefault = true
				}
				_, mem.Deprecated = r.Traits["smithy.api#deprecated"]
				mem.Length = bounds(r.Traits, "smithy.api#length")
				mem.Range = bounds(r.Traits, "smithy.api#range")
				mem.Pattern = traitString(r.Traits, "smithy.api#pattern")
				s.Members = append(s.Members, mem)
			}
		case "enum":
			keys, raws, err := orderedMembers(rs.Members)
			if err != nil {
				return nil, err
			}
			for i, k := range keys {
				var r rawRef
				if err := json.Unmarshal(raws[i], &r); err != nil {
					return nil, err
				}
				v := traitString(r.Traits, "smithy.api#enumValue")
				if v == "" {
					v = k
				}
				s.Enum = append(s.Enum, EnumValue{Name: k, Value: v})
			}
		case "list":
			s.Member = ref(rs.Member.Target)
		case "map":
			s.Key = ref(rs.Key.Target)
			s.Value = ref(rs.Value.Target)
		}
		m.Shapes[name] = s
	}
	sort.Slice(m.Operations, func(i, j int) bool { return m.Operations[i].Name < m.Operations[j].Name })
	return m, nil
}

func applyShapeTraits(s *Shape, tr map[string]json.RawMessage) {
	s.Length = bounds(tr, "smithy.api#length")
	s.Range = bounds(tr, "smithy.api#range")
	s.Pattern = traitString(tr, "smithy.api#pattern")
	_, s.Sensitive = tr["smithy.api#sensitive"]
	s.Error = traitString(tr, "smithy.api#error")
	if h, ok := tr["smithy.api#httpError"]; ok {
		_ = json.Unmarshal(h, &s.Status)
	}
}

func bounds(tr map[string]json.RawMessage, name string) *Bounds {
	raw, ok := tr[name]
	if !ok {
		return nil
	}
	var b rawBounds
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil
	}
	return &Bounds{Min: b.Min, Max: b.Max}
}

func traitString(tr map[string]json.RawMessage, name string) string {
	raw, ok := tr[name]
	if !ok {
		return ""
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// orderedMembers returns an object's keys in document order with their raw values.
func orderedMembers(raw json.RawMessage) ([]string, []json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, t.(string))
		vals = append(vals, v)
	}
	return keys, vals, nil
}
