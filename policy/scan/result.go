package scan

import (
	"slices"

	"github.com/okuri/okuri/policy/detect"
)

// Verdict is the outcome of scanning a message or one of its parts.
type Verdict string

// Verdicts, weakest first (see the package doc for their precedence).
const (
	Clean        Verdict = "clean"
	Encrypted    Verdict = "encrypted"
	Unscannable  Verdict = "unscannable"
	PersonalData Verdict = "personal_data"
)

func (v Verdict) rank() int {
	switch v {
	case PersonalData:
		return 3
	case Unscannable:
		return 2
	case Encrypted:
		return 1
	}
	return 0
}

// stronger returns the stronger of two verdicts.
func stronger(a, b Verdict) Verdict {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Part is one MIME part, or one file inside a container.
type Part struct {
	// Path locates the part: the MIME part number ("1.2", IMAP style;
	// "1" for a single-part message or a bare file), then for files
	// inside containers "/" and the path inside them
	// ("2/customers.zip/list.xlsx").
	Path string `json:"path"`
	// Name is the file name (decoded from RFC 2047/2231) or entry name.
	Name string `json:"name,omitempty"`
	// ContentType is the declared MIME type for MIME parts and the
	// detected format ("xlsx", "pdf", "zip", …) for files.
	ContentType string `json:"content_type,omitempty"`
	// Size is the decoded size in bytes.
	Size int64 `json:"size"`
	// Attachment is true for parts with a file name or an attachment
	// disposition, and for files inside containers.
	Attachment bool `json:"attachment"`
	// Verdict of this part alone (a container includes its contents).
	Verdict Verdict `json:"verdict"`
	// Reason explains an unscannable or encrypted verdict, or a part that
	// was deliberately not inspected.
	Reason string `json:"reason,omitempty"`
}

// Result is the outcome of scanning one message or file.
type Result struct {
	Verdict  Verdict          `json:"verdict"`
	Reasons  []string         `json:"reasons"`
	Parts    []Part           `json:"parts"`
	Findings []detect.Finding `json:"findings"`
	Summary  detect.Summary   `json:"summary"`
	// BodyText is the decoded text of the message body, as the detectors
	// read it: the inline text/plain and text/html parts of the message
	// (not attachments, not attached messages), HTML without its markup,
	// at most MaxBodyText bytes. Keyword rules match on it. It is content
	// and never serialised.
	BodyText string `json:"-"`
	// Preview is the start of the body text, decoded (at most
	// MaxPreview bytes; see preview); PreviewTruncated says there was
	// more. Kept for display only: it may hold personal data.
	Preview          string `json:"-"`
	PreviewTruncated bool   `json:"-"`
}

// Has reports whether any part has verdict v (or, for PersonalData, the
// message as a whole). Policy rules use it to act on an encrypted
// attachment even when the message verdict is personal_data.
func (r *Result) Has(v Verdict) bool {
	if r.Verdict == v {
		return true
	}
	return slices.ContainsFunc(r.Parts, func(p Part) bool { return p.Verdict == v })
}
