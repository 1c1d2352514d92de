package rewrite

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/okuri/okuri/internal/addr"
)

// Plan is what to change in the header section of one delivery. It is
// plain data (JSON-friendly) so that a held message's plan can be stored
// with it and applied when it is released.
type Plan struct {
	// HideExternal removes from To, Cc and Bcc every address that is not
	// internal and not in Keep.
	HideExternal bool `json:"hide_external,omitempty"`
	// Internal are the organisation's domains; with InternalSubdomains
	// their subdomains too. Addresses there stay visible.
	Internal           []string `json:"internal,omitempty"`
	InternalSubdomains bool     `json:"internal_subdomains,omitempty"`
	// HideInternal removes internal addresses as well (split delivery
	// configured to show each recipient only itself).
	HideInternal bool `json:"hide_internal,omitempty"`
	// Keep are lower-case addresses that stay visible although external
	// (the recipient of one split delivery).
	Keep []string `json:"keep,omitempty"`
	// Add are fields prepended to the header section, in order.
	Add []AddField `json:"add,omitempty"`
}

// AddField is one header field to add. Name and Value are printable
// ASCII (config validation guarantees it for rules).
type AddField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// IsZero reports whether the plan changes nothing.
func (p *Plan) IsZero() bool { return !p.HideExternal && len(p.Add) == 0 }

// Apply returns msg with the plan applied to its header section. Only the
// header section is read now; the returned reader streams the rest of msg.
// A zero plan returns msg itself.
func Apply(msg io.Reader, p Plan) (io.Reader, error) {
	if p.IsZero() {
		return msg, nil
	}
	br := bufio.NewReaderSize(msg, 64<<10)
	h, err := ReadHeader(br)
	if err != nil {
		return nil, fmt.Errorf("rewrite: %w", err)
	}
	var buf bytes.Buffer
	if _, err := p.rewriteHeader(h).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("rewrite: %w", err)
	}
	return io.MultiReader(&buf, br), nil
}

// ApplyHeader is Apply for a message whose header section h was read
// already: body is the rest of the message (from offset h.Size()). The
// header is not read again, and the body streams through unbuffered.
func ApplyHeader(h *Header, body io.Reader, p Plan) (io.Reader, error) {
	if !p.IsZero() {
		h = p.rewriteHeader(h)
	}
	var buf bytes.Buffer
	if _, err := h.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("rewrite: %w", err)
	}
	return io.MultiReader(&buf, body), nil
}

// RewriteHeader returns a copy of h with the plan applied.
func (p *Plan) RewriteHeader(h *Header) *Header { return p.rewriteHeader(h) }

func (p *Plan) rewriteHeader(h *Header) *Header {
	out := &Header{EOL: h.EOL, Sep: h.Sep}
	for _, a := range p.Add {
		out.Fields = append(out.Fields, Field{Raw: []byte(a.Name + ": " + a.Value + h.EOL)})
	}
	toDone := false
	for _, f := range h.Fields {
		name := f.Name()
		isTo, isList := equalFold(name, "to"), equalFold(name, "cc") || equalFold(name, "bcc")
		if !p.HideExternal || !(isTo || isList) {
			out.Fields = append(out.Fields, f)
			continue
		}
		es := ParseAddressList(f.Value())
		kept, changed := p.filter(es)
		switch {
		case !changed:
			out.Fields = append(out.Fields, f)
			if isTo {
				toDone = true
			}
		case len(kept) > 0:
			out.Fields = append(out.Fields, Field{Raw: formatField(name, kept, h.EOL)})
			if isTo {
				toDone = true
			}
		case isTo && !toDone:
			out.Fields = append(out.Fields, Field{Raw: []byte(name + ": undisclosed-recipients:;" + h.EOL)})
			toDone = true
		}
		// An emptied Cc or Bcc, or a second emptied To, is dropped.
	}
	return out
}

// filter drops the mailboxes that must not stay visible. Groups stay,
// with their remaining members (an empty group is valid syntax).
func (p *Plan) filter(es []Entry) (kept []Entry, changed bool) {
	for _, e := range es {
		if !e.Group {
			if p.visible(e.Addr) {
				kept = append(kept, e)
			} else {
				changed = true
			}
			continue
		}
		g := Entry{Group: true, Mailbox: e.Mailbox}
		for _, m := range e.Members {
			if p.visible(m.Addr) {
				g.Members = append(g.Members, m)
			} else {
				changed = true
			}
		}
		kept = append(kept, g)
	}
	return kept, changed
}

func (p *Plan) visible(a string) bool {
	if a == "" {
		return false
	}
	if slices.Contains(p.Keep, a) {
		return true
	}
	return !p.HideInternal && addr.IsInternal(a, p.Internal, p.InternalSubdomains)
}

// formatField writes "Name: entries", folding before a space when a line
// would pass 78 columns. Folding only inserts a line ending before
// existing whitespace, so unfolding gives back every entry exactly (FWS is
// allowed in quoted strings and comments; encoded words contain none).
func formatField(name string, es []Entry, eol string) []byte {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte(':')
	for i, e := range es {
		s := e.Raw
		if e.Group {
			ms := make([]string, len(e.Members))
			for j, m := range e.Members {
				ms[j] = m.Raw
			}
			if len(ms) > 0 {
				s += ": " + strings.Join(ms, ", ") + ";"
			} else {
				s += ":;"
			}
		}
		if i < len(es)-1 {
			s += ","
		}
		b.WriteByte(' ')
		b.WriteString(s)
	}
	return []byte(fold(b.String(), eol))
}

// fold breaks s before spaces so lines stay within 78 columns where a
// space allows it.
func fold(s, eol string) string {
	const limit = 78
	var b strings.Builder
	col := 0
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			if w != "" && col+1+len(w) > limit {
				b.WriteString(eol)
				col = 0
			}
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	b.WriteString(eol)
	return b.String()
}
