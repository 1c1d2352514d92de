package policy

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/okuri/okuri/policy/extract/charset"
)

// keyword is a configured keyword and its folded forms: folded for text
// that fold left without NFKC, nfkc for text it normalised.
type keyword struct {
	word   string
	folded string
	nfkc   string
}

func newKeyword(w string) keyword {
	return keyword{word: w, folded: fold(w), nfkc: lowerASCII(norm.NFKC.String(w))}
}

// in reports whether the keyword occurs in text folded by fold; nfkc
// says fold normalised it. A normalised text is matched against the
// normalised keyword: "㈱サンプル" in a text that also has a full-width
// "～" becomes "(株)サンプル", and must still match the keyword ㈱サンプル.
func (k keyword) in(text string, nfkc bool) bool {
	if nfkc {
		return strings.Contains(text, k.nfkc)
	}
	return strings.Contains(text, k.folded)
}

// foldText normalises text for keyword matching: NFKC (full-width letters and
// digits, half-width katakana) and ASCII lower case. NFKC is costly on long
// Japanese text that needs none of it, so it runs only when the text has
// half-width or full-width forms (U+FF00–U+FFEF, UTF-8 EF BC–BF ..); the
// second result says it ran.
func foldText(s string) (string, bool) {
	if hasWidthForms(s) {
		return lowerASCII(norm.NFKC.String(s)), true
	}
	return lowerASCII(s), false
}

// fold is foldText without the flag.
func fold(s string) string {
	f, _ := foldText(s)
	return f
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
	fs, nfkc := foldText(subject)
	for _, k := range p.keywords {
		if k.in(fs, nfkc) {
			hits = append(hits, KeywordHit{Word: k.word, Where: "subject"})
		}
	}
	for _, a := range atts {
		fn, nfkc := foldText(a.Name)
		for _, k := range p.keywords {
			if k.in(fn, nfkc) {
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
	ft, nfkc := foldText(text)
	for _, k := range p.keywords {
		if k.in(ft, nfkc) {
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
