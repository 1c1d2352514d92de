package scan

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/emersion/go-message"

	"github.com/okuri/okuri/policy/extract/charset"
)

// decodeWords decodes RFC 2047 encoded words in a header value with the
// scanner's charsets (ISO-2022-JP and Shift_JIS included).
func decodeWords(s string) (string, error) { return charset.DecodeHeader(s) }

// attachmentName returns the decoded file name of a part: the
// Content-Disposition filename, else the Content-Type name, each in RFC
// 2231 form (with any charset and continuations) or RFC 2047 form (which
// Outlook and many Japanese mailers use, against the RFC).
func attachmentName(h message.Header) string {
	if n := paramValue(h.Get("Content-Disposition"), "filename"); n != "" {
		return n
	}
	return paramValue(h.Get("Content-Type"), "name")
}

// paramValue extracts and decodes parameter name from a raw header value.
func paramValue(raw, name string) string {
	if raw == "" {
		return ""
	}
	var plain string
	var ext string
	type piece struct {
		n       int
		encoded bool
		v       string
	}
	var pieces []piece
	for _, kv := range splitParams(raw) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = unquote(strings.TrimSpace(v))
		switch {
		case k == name:
			plain = v
		case k == name+"*":
			ext = v
		case strings.HasPrefix(k, name+"*"):
			rest := k[len(name)+1:]
			enc := strings.HasSuffix(rest, "*")
			rest = strings.TrimSuffix(rest, "*")
			n, err := strconv.Atoi(rest)
			if err != nil || n < 0 || n > 1000 {
				continue
			}
			pieces = append(pieces, piece{n, enc, v})
		}
	}
	if len(pieces) > 0 {
		sort.Slice(pieces, func(i, j int) bool { return pieces[i].n < pieces[j].n })
		var cs string
		var b strings.Builder
		for i, p := range pieces {
			v := p.v
			if p.encoded {
				if i == 0 {
					var ok bool
					cs, v, ok = split2231(v)
					if !ok {
						continue
					}
				}
				if u, err := url.PathUnescape(v); err == nil {
					v = u
				}
			}
			b.WriteString(v)
		}
		if s, ok := decodeCharset(cs, b.String()); ok {
			return s
		}
	}
	if ext != "" {
		if cs, v, ok := split2231(ext); ok {
			if u, err := url.PathUnescape(v); err == nil {
				if s, ok := decodeCharset(cs, u); ok {
					return s
				}
			}
		}
	}
	if plain != "" {
		if s, err := decodeWords(plain); err == nil {
			return s
		}
		return plain
	}
	return ""
}

// split2231 splits charset'language'value.
func split2231(v string) (cs, val string, ok bool) {
	parts := strings.SplitN(v, "'", 3)
	if len(parts) != 3 {
		return "", v, false
	}
	return parts[0], parts[2], true
}

func decodeCharset(label, s string) (string, bool) {
	if label == "" {
		return s, true
	}
	c, ok := charset.Lookup(label)
	if !ok {
		return "", false
	}
	out, err := charset.DecodeString(c, []byte(s))
	return out, err == nil
}

// splitParams splits "type; a=b; c=\"d;e\"" into parameters, honouring
// quotes; the media type itself is dropped.
func splitParams(raw string) []string {
	var out []string
	inQ, esc := false, false
	start := -1
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case esc:
			esc = false
		case c == '\\' && inQ:
			esc = true
		case c == '"':
			inQ = !inQ
		case c == ';' && !inQ:
			if start >= 0 {
				out = append(out, raw[start:i])
			}
			start = i + 1
		}
	}
	if start >= 0 && start < len(raw) {
		out = append(out, raw[start:])
	}
	return out
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		if strings.Contains(v, `\`) {
			var b strings.Builder
			for i := 0; i < len(v); i++ {
				if v[i] == '\\' && i+1 < len(v) {
					i++
				}
				b.WriteByte(v[i])
			}
			v = b.String()
		}
	}
	return v
}
