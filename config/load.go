package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a configuration file.
type Problem struct {
	File string
	Line int
	Key  string // dotted key path, e.g. "smtp.limits.max_recipients"
	Msg  string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Key, p.Msg)
}

// Problems is every problem found in a file, in file order. Load returns
// all of them at once so an operator fixes a file in one pass.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads, decodes and validates the configuration file at path. A
// content problem is returned as Problems; an unreadable file as a wrapped
// I/O error.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates data as if read from the file path.
func Parse(path string, data []byte) (*Config, error) {
	cfg := Default()
	cfg.path = path
	d := decoder{file: path, lines: map[string]int{}}

	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, Problems{{File: path, Line: yamlErrLine(err), Key: "(file)", Msg: yamlErrMsg(err)}}
	}
	if len(doc.Content) == 1 {
		d.decode(doc.Content[0], reflect.ValueOf(cfg).Elem(), "")
	}
	cfg.applyDerivedDefaults()
	d.problems = append(d.problems, cfg.validate(d.at)...)
	if len(d.problems) > 0 {
		sort.SliceStable(d.problems, func(i, j int) bool { return d.problems[i].Line < d.problems[j].Line })
		return nil, d.problems
	}
	return cfg, nil
}

// decoder walks the YAML node tree against the config structs so that every
// unknown key and every bad value is reported with its line, instead of
// stopping at the first as yaml.v3's KnownFields does.
type decoder struct {
	file     string
	lines    map[string]int // key path -> line of the key
	problems Problems
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

func (d *decoder) add(line int, key, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	t := v.Type()
	isUnmarshaler := reflect.PointerTo(t).Implements(unmarshalerType)
	switch {
	case t.Kind() == reflect.Struct && !isUnmarshaler:
		d.decodeStruct(n, v, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		if n.Kind != yaml.SequenceNode {
			d.add(n.Line, path, "must be a list")
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.lines[p] = item.Line
			d.decode(item, s.Index(i), p)
		}
		v.Set(s)
	default:
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.add(n.Line, path, "%s", cleanDecodeErr(err))
		}
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.add(n.Line, orRoot(path), "must be a mapping of keys")
		return
	}
	fields := map[string]int{}
	for i := 0; i < v.NumField(); i++ {
		if tag := v.Type().Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
			fields[strings.Split(tag, ",")[0]] = i
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		name := k.Value
		if name == "" || k.Kind != yaml.ScalarNode {
			name = "(empty key)"
		}
		p := join(path, name)
		idx, ok := fields[k.Value]
		if !ok {
			d.add(k.Line, p, "unknown key")
			continue
		}
		if seen[k.Value] {
			d.add(k.Line, p, "key given twice")
			continue
		}
		seen[k.Value] = true
		d.lines[p] = k.Line
		d.decode(val, v.Field(idx), p)
	}
}

// at returns the line of a key path, or of its nearest ancestor present in
// the file, so defaults that fail validation still point somewhere useful.
func (d *decoder) at(path string) int {
	for p := path; p != ""; {
		if l, ok := d.lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 1
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}

func cleanDecodeErr(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		// "line 3: cannot unmarshal !!str `x` into int" -> "cannot unmarshal ..."
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "line ") {
			msg = msg[i+2:]
		}
		msg = strings.ReplaceAll(msg, "!!str", "string")
		msg = strings.ReplaceAll(msg, "!!int", "number")
		msg = strings.ReplaceAll(msg, "!!seq", "list")
		msg = strings.ReplaceAll(msg, "!!map", "mapping")
		return msg
	}
	return err.Error()
}

func yamlErrLine(err error) int {
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+5:]
		if j := strings.IndexByte(rest, ':'); j > 0 {
			if n, convErr := strconv.Atoi(rest[:j]); convErr == nil {
				return n
			}
		}
	}
	return 1
}

func yamlErrMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "line ") {
		msg = msg[i+2:]
	}
	return msg
}
