package rewrite

import (
	"strings"

	"github.com/okuri/okuri/internal/addr"
)

// Mailbox is one address of an address list, as written.
type Mailbox struct {
	// Raw is the mailbox as it appeared, display name and encoded words
	// included, without surrounding whitespace.
	Raw string
	// Addr is the lower-cased addr-spec ("" when it could not be parsed).
	Addr string
}

// Entry is a mailbox or a group (RFC 5322 section 3.4).
type Entry struct {
	Mailbox
	// Group is true for "display-name: member, member;". Raw is then the
	// display name part before the colon.
	Group   bool
	Members []Mailbox
}

// ParseAddressList splits an unfolded address-list value (To, Cc, Bcc)
// into entries, honouring quoted strings, comments, angle addresses and
// groups. It never fails: text it cannot parse becomes a mailbox without
// Addr, which rewrites treat as external.
func ParseAddressList(v string) []Entry {
	var out []Entry
	var group *Entry
	start := 0
	inQuote, inAngle := false, false
	depth := 0
	flush := func(end int) {
		raw := strings.TrimSpace(v[start:end])
		start = end + 1
		if raw == "" {
			return
		}
		mb := Mailbox{Raw: raw, Addr: addrSpec(raw)}
		if group != nil {
			group.Members = append(group.Members, mb)
		} else {
			out = append(out, Entry{Mailbox: mb})
		}
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && (inQuote || depth > 0):
			i++
		case inQuote:
			if c == '"' {
				inQuote = false
			}
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case c == '"':
			inQuote = true
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case inAngle:
		case c == ',':
			flush(i)
		case c == ':' && group == nil:
			group = &Entry{Group: true, Mailbox: Mailbox{Raw: strings.TrimSpace(v[start:i])}}
			start = i + 1
		case c == ';' && group != nil:
			flush(i)
			out = append(out, *group)
			group = nil
		}
	}
	if group != nil {
		// An unterminated group: keep what it holds.
		flush(len(v))
		out = append(out, *group)
	} else {
		flush(len(v))
	}
	return out
}

// addrSpec extracts the addr-spec of one mailbox in internal/addr key form: the text in
// its angle brackets, or the whole mailbox without comments. It returns ""
// when the result does not look like local@domain.
func addrSpec(raw string) string {
	s := stripComments(raw)
	if i := lastUnquoted(s, '<'); i >= 0 {
		s = s[i+1:]
		if j := strings.IndexByte(s, '>'); j >= 0 {
			s = s[:j]
		} else {
			return ""
		}
		// Obsolete source route "@a,@b:local@domain".
		if k := strings.LastIndexByte(s, ':'); k >= 0 && strings.HasPrefix(strings.TrimSpace(s), "@") {
			s = s[k+1:]
		}
	}
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s[at+1:], " \t\"<>,;:()[]\\") {
		return ""
	}
	local := s[:at]
	if strings.HasPrefix(local, `"`) {
		// A quoted local part must be one well-formed quoted string; text
		// swallowed by an unterminated quote is not an address.
		if len(local) < 2 || !strings.HasSuffix(local, `"`) || strings.ContainsAny(local, "<>") || closingQuote(local) != len(local)-1 {
			return ""
		}
	} else if strings.ContainsAny(local, " \t<>,;:()[]\\\"") {
		return ""
	}
	return addr.Key(s)
}

// closingQuote returns the index of the quote that closes the quoted
// string starting at s[0], or -1.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// stripComments removes (comments) outside quoted strings.
func stripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	depth, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && (inQuote || depth > 0) && i+1 < len(s):
			if depth == 0 {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
		case inQuote:
			b.WriteByte(c)
			if c == '"' {
				inQuote = false
			}
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		default:
			if c == '"' {
				inQuote = true
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lastUnquoted returns the index of the last c outside quoted strings.
func lastUnquoted(s string, c byte) int {
	idx, inQuote := -1, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && inQuote:
			i++
		case s[i] == '"':
			inQuote = !inQuote
		case s[i] == c && !inQuote:
			idx = i
		}
	}
	return idx
}

// Addresses returns every addr-spec of the entries, group members
// included, in order; unparseable mailboxes give "".
func Addresses(es []Entry) []string {
	var out []string
	for _, e := range es {
		if e.Group {
			for _, m := range e.Members {
				out = append(out, m.Addr)
			}
			continue
		}
		out = append(out, e.Addr)
	}
	return out
}
