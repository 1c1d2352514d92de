package approvalsui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	_ "github.com/emersion/go-message/charset" // ISO-2022-JP, Shift_JIS bodies and names
	"github.com/emersion/go-message/mail"

	"github.com/okuri/okuri/policy/rewrite"
	"github.com/okuri/okuri/quarantine"
)

// Limits of what the UI reads of a stored message: it is shown to people,
// not scanned, so a bounded walk is enough.
const (
	maxPreview = 32 << 10
	maxParts   = 200
)

// attachment is one attachment as the UI lists it; Index is its position
// (the self-check evidence names attachments by index, since a file name
// can itself be personal data).
type attachment struct {
	Index int
	Name  string
	Type  string
	Size  int64
	// Files are the names of the files the scanner found inside this
	// attachment (an archive's entries), shown under it.
	Files []string
}

// mailView is what the UI shows of a message's bytes.
type mailView struct {
	Attachments []attachment
	Preview     string // plain text, never HTML
	Truncated   bool
	header      *rewrite.Header
}

// readMail reads what the UI shows of a stored message. The attachments
// come from the parts the scanner recorded (fromParts), so the sender
// confirms everything that was scanned; only records written before the
// parts were kept fall back to the bounded walk below, which also gives
// a plain-text preview (HTML parts are reduced to their text) and the
// raw header section for the rewrite preview. A purged or unreadable
// body gives an empty view, but still the recorded attachments.
func (s *Server) readMail(ctx context.Context, m *quarantine.Message) (*mailView, error) {
	v, err := s.walkMail(ctx, m.ID, len(m.Parts) > 0)
	if err != nil {
		return nil, err
	}
	if len(m.Parts) > 0 {
		v.Attachments = fromParts(m.Parts)
	}
	return v, nil
}

// walkMail reads the stored body for the preview and the header; with
// partsKnown the walk stops at the first plain-text part, as the
// attachments come from the record.
func (s *Server) walkMail(ctx context.Context, id string, partsKnown bool) (*mailView, error) {
	rc, err := s.st.Open(ctx, id)
	if errors.Is(err, quarantine.ErrPurged) {
		return &mailView{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", id, err)
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	// The header is read twice: once raw for the rewrite preview, once
	// by go-message for the walk; peek keeps both on the same bytes.
	raw, _ := br.Peek(256 << 10)
	v := &mailView{}
	if h, err := rewrite.ReadHeader(bufio.NewReader(strings.NewReader(string(raw)))); err == nil {
		v.header = h
	}
	mr, err := mail.CreateReader(br)
	if err != nil && mr == nil {
		return v, nil
	}
	var htmlText string
	for i := 0; i < maxParts && !(partsKnown && v.Preview != ""); i++ {
		p, err := mr.NextPart()
		if err != nil {
			break // io.EOF or a malformed part: show what was read
		}
		switch h := p.Header.(type) {
		case *mail.AttachmentHeader:
			name, _ := h.Filename()
			ct, _, _ := h.ContentType()
			n, _ := io.Copy(io.Discard, io.LimitReader(p.Body, 1<<30))
			v.Attachments = append(v.Attachments, attachment{Index: len(v.Attachments), Name: name, Type: ct, Size: n})
		case *mail.InlineHeader:
			ct, _, _ := h.ContentType()
			b, _ := io.ReadAll(io.LimitReader(p.Body, maxPreview+1))
			switch {
			case ct == "text/plain" && v.Preview == "":
				v.Preview, v.Truncated = clip(string(b))
			case ct == "text/html" && htmlText == "":
				htmlText = htmlToText(string(b))
			case !strings.HasPrefix(ct, "text/") && !strings.HasPrefix(ct, "multipart/"):
				name := ""
				if _, params, err := mime.ParseMediaType(p.Header.Get("Content-Type")); err == nil {
					name = params["name"]
				}
				v.Attachments = append(v.Attachments, attachment{Index: len(v.Attachments), Name: name, Type: ct, Size: int64(len(b))})
			}
		}
	}
	if v.Preview == "" && htmlText != "" {
		v.Preview, v.Truncated = clip(htmlText)
	}
	return v, nil
}

func clip(s string) (string, bool) {
	if len(s) <= maxPreview {
		return strings.ToValidUTF8(s, "\uFFFD"), false
	}
	s = s[:maxPreview]
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	return s, true
}

var (
	reDrop = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>`)
	reTag  = regexp.MustCompile(`(?s)<[^>]*>`)
	reBlk  = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/tr|/li|/h[1-6])\b[^>]*>`)
	reWS   = regexp.MustCompile(`\n{3,}`)
)

// htmlToText reduces HTML to its text for the preview. The result is
// shown escaped by html/template; nothing of the HTML is ever rendered.
func htmlToText(s string) string {
	s = reDrop.ReplaceAllString(s, "")
	s = reBlk.ReplaceAllString(s, "\n")
	s = reTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	return strings.TrimSpace(reWS.ReplaceAllString(s, "\n\n"))
}

// visibleAfter returns the To and Cc values recipients will see after
// plan is applied to the stored header.
func (v *mailView) visibleAfter(plan rewrite.Plan) (to, cc string) {
	if v.header == nil {
		return "", ""
	}
	h := plan.RewriteHeader(v.header)
	dec := func(name string) string {
		vals := h.Get(name)
		out := strings.Join(vals, ", ")
		if d, err := (&mime.WordDecoder{}).DecodeHeader(out); err == nil {
			out = d
		}
		return strings.TrimSpace(strings.NewReplacer("\r", "", "\n", "").Replace(out))
	}
	return dec("To"), dec("Cc")
}
