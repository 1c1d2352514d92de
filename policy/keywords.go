package policy

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/okuri/okuri/policy/extract/charset"
)

// keyword is a configured keyword and its folded form.
type keyword struct {
	word   string
	folded string
}

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

// bodyKeywords looks for keywords in the body text the scanner decoded
// (scan.Result.BodyText): the message is walked and its charsets decoded
// once, by the scanner, so the rule reads what the detectors read.
func (p *Policy) bodyKeywords(text string) []KeywordHit {
	var out []KeywordHit
	ft := fold(text)
	for _, k := range p.keywords {
		if strings.Contains(ft, k.folded) {
			out = append(out, KeywordHit{Word: k.word, Where: "body"})
		}
	}
	return out
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
