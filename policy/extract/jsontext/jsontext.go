// Package jsontext turns JSON into "key: value" lines, one per scalar,
// with a blank line after each object. Detectors read context from
// keywords next to a value ("電話番号: 090-…"), and an exported list of
// objects becomes a sequence of pseudo-records. Invalid JSON is not an
// error: the caller scans it as plain text instead.
package jsontext

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/okuri/okuri/policy/extract"
)

// ErrNotJSON means the input did not parse as JSON; nothing was written
// for the invalid remainder, so the caller must fall back to text.
var ErrNotJSON = errors.New("not JSON")

// maxDepth bounds nesting (encoding/json itself allows 10000).
const maxDepth = 200

// Extract writes the scalars of the JSON document(s) in r to w.
func Extract(r io.Reader, w extract.TextWriter) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	type frame struct {
		object bool
		key    string
		expect bool // object: next token is a key
	}
	var stack []frame
	var line []byte
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("%w: %v", ErrNotJSON, err)
			}
			return err // a read error: a limit, the deadline, I/O
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if len(stack) >= maxDepth {
					return &extract.LimitError{Limit: extract.LimitDepth}
				}
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].expect = true
				}
				stack = append(stack, frame{object: d == '{', expect: d == '{'})
			case '}', ']':
				stack = stack[:len(stack)-1]
				if d == '}' {
					if _, err := w.Write([]byte{'\n'}); err != nil {
						return err
					}
				}
			}
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expect {
			stack[n-1].key, _ = tok.(string)
			stack[n-1].expect = false
			continue
		}
		var v string
		switch t := tok.(type) {
		case string:
			v = t
		case json.Number:
			v = t.String()
		case bool:
			v = strconv.FormatBool(t)
		case nil:
			v = ""
		}
		line = line[:0]
		if n := len(stack); n > 0 && stack[n-1].object {
			line = append(line, stack[n-1].key...)
			line = append(line, ": "...)
			stack[n-1].expect = true
		}
		line = append(line, v...)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
}
