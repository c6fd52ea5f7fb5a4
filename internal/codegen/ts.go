package codegen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// The JS SDK v3 declarations are newer than the Smithy model: they add
// members, structures, enum values, exceptions and (in the newest-ops file)
// whole operations. MergeTS folds them into a Smithy-loaded model. A member
// only in the declarations is optional unless the declaration marks it
// required ("Name: T | undefined" without "?").

type tsInterface struct {
	Name    string
	Members []tsMember
	Doc     string
}

type tsMember struct {
	Name     string
	Type     string
	Required bool
	Doc      string
}

type tsDecls struct {
	Interfaces []tsInterface
	Enums      map[string][]EnumValue
	EnumOrder  []string
	Errors     map[string]string // name -> fault
	ErrorOrder []string
}

var (
	reInterface = regexp.MustCompile(`^export interface (\w+) \{`)
	reMember    = regexp.MustCompile(`^    (\w+)(\??): (.+?)(?: \| undefined)?;$`)
	reEnum      = regexp.MustCompile(`^export declare const (\w+): \{`)
	reEnumValue = regexp.MustCompile(`^    readonly (\w+): "([^"]*)";$`)
	reError     = regexp.MustCompile(`^export declare class (\w+) extends __BaseException \{`)
	reFault     = regexp.MustCompile(`^    readonly \$fault: "(\w+)";`)
)

func parseTSFile(path string, d *tsDecls) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var (
		cur     *tsInterface
		enum    string
		errName string
		doc     []string
		inDoc   bool
	)
	for sc.Scan() {
		line := sc.Text()
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, "/**"):
			inDoc, doc = true, nil
			continue
		case inDoc:
			if strings.HasPrefix(trim, "*/") {
				inDoc = false
				continue
			}
			t := strings.TrimSpace(strings.TrimPrefix(trim, "*"))
			if !strings.HasPrefix(t, "@") {
				doc = append(doc, t)
			}
			continue
		}
		if cur != nil {
			if line == "}" {
				d.Interfaces = append(d.Interfaces, *cur)
				cur = nil
				continue
			}
			if m := reMember.FindStringSubmatch(line); m != nil {
				cur.Members = append(cur.Members, tsMember{Name: m[1], Type: m[3], Required: m[2] == "", Doc: strings.Join(doc, " ")})
			}
			doc = nil
			continue
		}
		if enum != "" {
			if line == "};" {
				enum = ""
				continue
			}
			if m := reEnumValue.FindStringSubmatch(line); m != nil {
				d.Enums[enum] = append(d.Enums[enum], EnumValue{Name: m[1], Value: m[2]})
			}
			continue
		}
		if errName != "" {
			if line == "}" {
				errName = ""
				continue
			}
			if m := reFault.FindStringSubmatch(line); m != nil {
				d.Errors[errName] = m[1]
			}
			continue
		}
		if m := reInterface.FindStringSubmatch(line); m != nil {
			cur = &tsInterface{Name: m[1], Doc: strings.Join(doc, " ")}
		} else if m := reEnum.FindStringSubmatch(line); m != nil {
			enum = m[1]
			d.EnumOrder = append(d.EnumOrder, enum)
		} else if m := reError.FindStringSubmatch(line); m != nil {
			errName = m[1]
			d.ErrorOrder = append(d.ErrorOrder, errName)
		}
		doc = nil
	}
	return sc.Err()
}

// MergeTS folds the declarations in dir (all *.d.ts) and the extra files into m.
// newOps names operations that exist only in the declarations.
func MergeTS(m *Model, dir string, extra []string, newOps []string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.d.ts"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	files = append(files, extra...)
	d := &tsDecls{Enums: map[string][]EnumValue{}, Errors: map[string]string{}}
	for _, f := range files {
		if err := parseTSFile(f, d); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	// Enums first: members may refer to them.
	for _, name := range d.EnumOrder {
		vals := d.Enums[name]
		s, ok := m.Shapes[name]
		if !ok {
			m.Shapes[name] = &Shape{Name: name, Type: "enum", Enum: vals, Source: "ts"}
			continue
		}
		if s.Type != "enum" {
			continue // a Smithy string shape with no enum trait; keep the model's view
		}
		have := map[string]bool{}
		for _, v := range s.Enum {
			have[v.Value] = true
		}
		for _, v := range vals {
			if !have[v.Value] {
				s.Enum = append(s.Enum, v)
			}
		}
	}
	for _, name := range d.ErrorOrder {
		if _, ok := m.Shapes[name]; ok {
			continue
		}
		status := 400
		if d.Errors[name] == "server" {
			status = 500
		}
		m.Shapes[name] = &Shape{Name: name, Type: "structure", Error: d.Errors[name], Status: status, Source: "ts",
			Members: []*Member{{Name: "message", Target: m.prelude("String")}}}
	}
	// Create every new structure before resolving member types.
	for _, in := range d.Interfaces {
		if _, ok := m.Shapes[in.Name]; !ok {
			m.Shapes[in.Name] = &Shape{Name: in.Name, Type: "structure", Doc: in.Doc, Source: "ts"}
		}
	}
	for _, in := range d.Interfaces {
		s := m.Shapes[in.Name]
		if s.Type != "structure" {
			continue
		}
		have := map[string]*Member{}
		for _, mem := range s.Members {
			have[mem.Name] = mem
		}
		for _, tm := range in.Members {
			if mem := have[tm.Name]; mem != nil {
				// The declarations are newer: a member they make optional
				// is no longer required (e.g. SmsConfigurationType's
				// SnsCallerArn, optional since EumsSms).
				if mem.Required && !tm.Required && !mem.HasDefault {
					mem.Required = false
				}
				continue
			}
			target, err := m.tsTarget(tm.Type)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", in.Name, tm.Name, err)
			}
			s.Members = append(s.Members, &Member{Name: tm.Name, Target: target, Required: tm.Required, Doc: tm.Doc})
		}
	}
	for _, op := range newOps {
		if m.hasOperation(op) {
			continue
		}
		in, out := op+"Request", op+"Response"
		if _, ok := m.Shapes[in]; !ok {
			return fmt.Errorf("operation %s: no %s in the declarations", op, in)
		}
		if _, ok := m.Shapes[out]; !ok {
			return fmt.Errorf("operation %s: no %s in the declarations", op, out)
		}
		m.Operations = append(m.Operations, &Operation{Name: op, Input: in, Output: out, Source: "ts",
			Errors: []string{"InternalErrorException", "InvalidParameterException", "NotAuthorizedException", "ResourceNotFoundException", "TooManyRequestsException"}})
	}
	sort.Slice(m.Operations, func(i, j int) bool { return m.Operations[i].Name < m.Operations[j].Name })
	return nil
}

func (m *Model) hasOperation(name string) bool {
	for _, op := range m.Operations {
		if op.Name == name {
			return true
		}
	}
	return false
}

func (m *Model) prelude(name string) string {
	if _, ok := m.Shapes[name]; !ok {
		m.Shapes[name] = &Shape{Name: name, Type: preludeTypes[name], Prelude: true}
	}
	return name
}

// tsTarget resolves a TypeScript type expression to a shape name, creating
// list and map shapes as needed.
func (m *Model) tsTarget(t string) (string, error) {
	t = strings.TrimSpace(t)
	switch t {
	case "string":
		return m.prelude("String"), nil
	case "number":
		return m.prelude("Integer"), nil
	case "boolean":
		return m.prelude("Boolean"), nil
	case "Date":
		return m.prelude("Timestamp"), nil
	case "Uint8Array":
		return m.prelude("Blob"), nil
	case "__DocumentType":
		return m.prelude("Document"), nil
	}
	if strings.HasSuffix(t, "[]") {
		elem, err := m.tsTarget(strings.TrimSuffix(t, "[]"))
		if err != nil {
			return "", err
		}
		name := "List__" + elem
		if _, ok := m.Shapes[name]; !ok {
			m.Shapes[name] = &Shape{Name: name, Type: "list", Member: elem, Source: "ts"}
		}
		return name, nil
	}
	if strings.HasPrefix(t, "Record<string, ") && strings.HasSuffix(t, ">") {
		val, err := m.tsTarget(strings.TrimSuffix(strings.TrimPrefix(t, "Record<string, "), ">"))
		if err != nil {
			return "", err
		}
		name := "Map__" + val
		if _, ok := m.Shapes[name]; !ok {
			m.Shapes[name] = &Shape{Name: name, Type: "map", Key: m.prelude("String"), Value: val, Source: "ts"}
		}
		return name, nil
	}
	if _, ok := m.Shapes[t]; ok {
		return t, nil
	}
	return "", fmt.Errorf("unknown TypeScript type %q", t)
}
