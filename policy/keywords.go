package policy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
	"golang.org/x/text/unicode/norm"

	"github.com/okuri/okuri/policy/extract/charset"
	"github.com/okuri/okuri/policy/rewrite"
)

// keyword is a configured keyword and its folded form.
type keyword struct {
	word   string
	folded string
}

// maxBodyText bounds the decoded text searched for keywords.
const maxBodyText = 1 << 20

// fold normalises text for keyword matching: NFKC (full-width letters and
// digits, half-width katakana) and ASCII lower case. NFKC is costly on long
// Japanese text that needs none of it, so it runs only when the text has
// half-width or full-width forms (U+FF00–U+FFEF, UTF-8 EF BC–BF ..).
func fold(s string) string {
	if hasWidthForms(s) {
		s = norm.NFKC.String(s)
	}
	return lowerASCII(s)
}

func hasWidthForms(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xEF && s[i+1] >= 0xBC && s[i+1] <= 0xBF {
			return true
		}
	}
	return false
}

func lowerASCII(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

// charsetReader decodes a text part with the scanner's charsets, so a
// body the scanner reads (CP932, ISO-2022-JP-3) is read here too.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	c, ok := charset.Lookup(label)
	if !ok {
		return nil, fmt.Errorf("unknown charset %q", label)
	}
	return charset.NewReader(c, in), nil
}

// decodeHeader decodes encoded words; undecodable words stay as written.
func decodeHeader(s string) string {
	if d, err := charset.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

func (p *Policy) findKeywords(subject string, atts []Attachment) []KeywordHit {
	var hits []KeywordHit
	fs := fold(subject)
	for _, k := range p.keywords {
		if strings.Contains(fs, k.folded) {
			hits = append(hits, KeywordHit{Word: k.word, Where: "subject"})
		}
	}
	for _, a := range atts {
		fn := fold(a.Name)
		for _, k := range p.keywords {
			if strings.Contains(fn, k.folded) {
				hits = mergeHits(hits, []KeywordHit{{Word: k.word, Where: "attachment_name"}})
			}
		}
	}
	return hits
}

// bodyKeywords looks for keywords in the inline text parts of the message
// whose header h was read from br. It reads at most BodyTextBudget raw
// bytes (br is limited by the caller) and maxBodyText decoded bytes;
// attachments are the scanner's business, not this one's.
func (p *Policy) bodyKeywords(h *rewrite.Header, br *bufio.Reader) ([]KeywordHit, error) {
	var hb strings.Builder
	for _, f := range h.Fields {
		hb.Write(f.Raw)
	}
	hb.WriteString(h.EOL)
	ent, rootErr := message.Read(io.MultiReader(strings.NewReader(hb.String()), br))
	if ent == nil {
		return nil, fmt.Errorf("parse: %w", rootErr)
	}
	var text strings.Builder
	parts := 0
	werr := ent.Walk(func(path []int, e *message.Entity, err error) error {
		if len(path) == 0 {
			err = rootErr // Walk reports only the errors of nested parts
		}
		// The scanner's own limits (depth 10, 1000 parts) bound this walk
		// too: a hostile nesting must not cost more here than there.
		parts++
		if text.Len() >= maxBodyText || len(path) > 10 || parts > 1000 {
			return errStopWalk
		}
		mt, params, _ := e.Header.ContentType()
		if mt == "" {
			mt = "text/plain"
		}
		if !strings.HasPrefix(mt, "text/plain") && !strings.HasPrefix(mt, "text/html") {
			return nil
		}
		if disp, _, _ := e.Header.ContentDisposition(); disp == "attachment" {
			return nil
		}
		body := undecoded(e.Body, params["charset"], err)
		b, rerr := io.ReadAll(io.LimitReader(body, int64(maxBodyText-text.Len())))
		text.Write(b)
		text.WriteByte('\n')
		if rerr != nil {
			return nil // keep what was decoded; a broken part is the scanner's verdict
		}
		return nil
	})
	var out []KeywordHit
	ft := fold(text.String())
	for _, k := range p.keywords {
		if strings.Contains(ft, k.folded) {
			out = append(out, KeywordHit{Word: k.word, Where: "body"})
		}
	}
	if werr != nil && !errors.Is(werr, errStopWalk) {
		return out, fmt.Errorf("walk: %w", werr)
	}
	return out, nil
}

var errStopWalk = errors.New("enough text")

// undecoded converts a text body to UTF-8 unless go-message already did.
// go-message converts with a process-wide hook (installed by importing
// go-message/charset, as smtpd does) and reports an unknown-charset error
// when it could not, so converting again only when it said so keeps one
// decoding in either case: decoding twice garbles ISO-2022-JP and
// Shift_JIS bodies and lets a keyword rule be evaded.
func undecoded(body io.Reader, cs string, err error) io.Reader {
	cs = strings.ToLower(cs)
	if cs == "" || cs == "utf-8" || cs == "us-ascii" || !message.IsUnknownCharset(err) {
		return body
	}
	if dec, derr := charsetReader(cs, body); derr == nil {
		return dec
	}
	return body
}

func mergeHits(a, b []KeywordHit) []KeywordHit {
	for _, h := range b {
		dup := false
		for _, x := range a {
			if x == h {
				dup = true
				break
			}
		}
		if !dup {
			a = append(a, h)
		}
	}
	return a
}
