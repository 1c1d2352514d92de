package scan

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/okuri/okuri/policy/extract"
)

// MaxPreview bounds Result.Preview: a page shows the start of the body to
// recognise a message by, not the whole of it.
const MaxPreview = 32 << 10

// preview keeps the start of the message's body text as the scanner
// decoded it: the text of the first MIME part that is message text (not
// a file, not the subject), which is the plain-text alternative when
// there is one and an HTML body reduced to its text otherwise. Pages show
// it instead of decoding the stored message a second time.
type preview struct {
	mu        sync.Mutex
	part      string // MIME part number of the text kept; "" before any
	b         []byte
	truncated bool
}

// previewSink passes everything to the scan's sink and copies body text
// into the preview.
type previewSink struct {
	extract.Sink
	p *preview
}

func (s previewSink) Text(loc extract.Location) extract.TextWriter {
	w := s.Sink.Text(loc)
	if !s.p.take(loc) {
		return w
	}
	return previewText{w, s.p}
}

// take reports whether text at loc goes into the preview: body text
// (no file path, no sheet) of the first part that had any.
func (p *preview) take(loc extract.Location) bool {
	if loc.Path != "" || loc.Sheet != "" || loc.Part == "0" || loc.Part == "" {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.part == "" {
		p.part = loc.Part
	} else if len(p.b) > 0 && p.part == loc.Part {
		p.b = append(p.b, '\n') // a second stream of the same part
	}
	return p.part == loc.Part
}

func (p *preview) write(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	room := MaxPreview - len(p.b)
	if len(b) > room {
		b, p.truncated = b[:max(room, 0)], true
	}
	p.b = append(p.b, b...)
}

// text returns the preview as valid UTF-8: a sequence cut at the limit
// is dropped, invalid bytes inside become U+FFFD.
func (p *preview) text() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.b
	if p.truncated {
		i := len(b) - 1
		for i > 0 && len(b)-i < utf8.UTFMax && !utf8.RuneStart(b[i]) {
			i--
		}
		if i >= 0 && !utf8.FullRune(b[i:]) {
			b = b[:i]
		}
	}
	return strings.TrimSpace(strings.ToValidUTF8(string(b), "\uFFFD")), p.truncated
}

type previewText struct {
	w extract.TextWriter
	p *preview
}

func (t previewText) Write(b []byte) (int, error) {
	t.p.write(b)
	return t.w.Write(b)
}

func (t previewText) Close() error { return t.w.Close() }
