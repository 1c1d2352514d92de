package scan

import (
	"strings"

	"github.com/okuri/okuri/policy/extract"
)

// MaxBodyText bounds Result.BodyText, in bytes.
const MaxBodyText = 1 << 20

// bodyText collects the decoded text of a message's inline text parts as
// the extractors write it, so that keyword rules match on exactly the
// text the detectors read: one MIME walk and one charset decoder for both.
type bodyText struct {
	locs map[[2]string]bool // part number and path of each body part
	b    strings.Builder
}

// watch makes the text written at loc body text. Tables of an HTML body
// (loc with a Sheet) count too; files found inside the part (uuencoded
// blocks) have paths of their own and do not.
func (t *bodyText) watch(loc extract.Location) {
	if t.locs == nil {
		t.locs = map[[2]string]bool{}
	}
	t.locs[[2]string{loc.Part, loc.Path}] = true
}

func (t *bodyText) watched(loc extract.Location) bool {
	return t.locs[[2]string{loc.Part, loc.Path}]
}

// Write appends p up to MaxBodyText; text beyond it is dropped silently
// (the detectors still read it all).
func (t *bodyText) Write(p []byte) (int, error) {
	if room := MaxBodyText - t.b.Len(); room > 0 {
		t.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// separate ends one piece of text (a part, a table cell) so that words of
// two pieces do not run together.
func (t *bodyText) separate(c byte) {
	if t.b.Len() > 0 && t.b.Len() < MaxBodyText {
		t.b.WriteByte(c)
	}
}

// isBodyPart reports whether a part of the top-level message is body text
// as a reader sees it: text/plain or text/html (or no type: plain text
// by RFC 2045), not marked as an attachment. Parts of attached messages
// are the attached message's body, not this one's.
func isBodyPart(w walk, mediaType, disp string) bool {
	if w.prefix != "" || strings.EqualFold(disp, "attachment") {
		return false
	}
	return mediaType == "" || mediaType == "text/plain" || mediaType == "text/html"
}

// bodySink copies what the extractors write at watched locations to the
// body text, and passes everything on to the detectors' sink.
type bodySink struct {
	next extract.Sink
	text *bodyText
}

func (s bodySink) Text(loc extract.Location) extract.TextWriter {
	tw := s.next.Text(loc)
	if !s.text.watched(loc) {
		return tw
	}
	s.text.separate('\n')
	return bodyTextWriter{tw, s.text}
}

func (s bodySink) Table(loc extract.Location) extract.TableWriter {
	tw := s.next.Table(loc)
	if !s.text.watched(loc) {
		return tw
	}
	s.text.separate('\n')
	return bodyTableWriter{tw, s.text}
}

type bodyTextWriter struct {
	extract.TextWriter
	text *bodyText
}

func (w bodyTextWriter) Write(p []byte) (int, error) {
	w.text.Write(p)
	return w.TextWriter.Write(p)
}

type bodyTableWriter struct {
	extract.TableWriter
	text *bodyText
}

func (w bodyTableWriter) Row(cells [][]byte) error {
	for _, c := range cells {
		w.text.Write(c)
		w.text.separate('\t')
	}
	w.text.separate('\n')
	return w.TableWriter.Row(cells)
}
