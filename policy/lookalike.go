package policy

import (
	"strings"

	"github.com/okuri/okuri/internal/addr"
)

// publicSuffixes are the endings a look-alike may swap ("agency.co.jp"
// registered as "agency.jp" or "agency.com"). Longest first.
var publicSuffixes = []string{
	".co.jp", ".ne.jp", ".or.jp", ".ac.jp", ".go.jp", ".ed.jp", ".lg.jp", ".gr.jp",
	".co.uk", ".com", ".net", ".org", ".jp", ".co", ".biz", ".info", ".io", ".cn", ".tk",
}

// Lookalike returns the reference domain d resembles, or "" if none: d is
// not a reference (nor a subdomain of one) but differs from one by a
// public-suffix swap, by homoglyphs (rn/m, 0/o, 1/l, vv/w), or by an edit
// distance of at most 2 (1 for names of 5 letters, none below) counting swapped
// neighbours as one edit. refs are lower case.
func Lookalike(d string, refs []string) string {
	return newRefDomains(refs).lookalike(d)
}

// refDomain is a reference domain with what Lookalike compares, computed
// once per policy instead of once per recipient and reference. form is the
// name as compared: the name itself, or its Unicode form for a punycode
// reference, so look-alikes are judged by what a reader sees.
type refDomain struct {
	name, form, base, suffix, glyphs string
}

type refDomains []refDomain

func newRefDomains(refs []string) refDomains {
	l := make(refDomains, 0, len(refs))
	for _, r := range refs {
		for _, form := range forms(r) {
			b, s := splitSuffix(form)
			l = append(l, refDomain{name: r, form: form, base: b, suffix: s, glyphs: deglyph(form)})
		}
	}
	return l
}

// forms returns d and, when it differs, its Unicode form.
func forms(d string) []string {
	if u := addr.Unicode(d); u != d {
		return []string{d, u}
	}
	return []string{d}
}

// lookalike compares recipient domain d (normalised, so punycode for an
// IDN) in both its forms: on the wire "xn--gency-…" and as read "аgency".
func (refs refDomains) lookalike(d string) string {
	d = strings.ToLower(d)
	for _, r := range refs {
		if d == r.name || strings.HasSuffix(d, "."+r.name) {
			return ""
		}
	}
	for _, f := range forms(d) {
		if r := refs.resembles(f); r != "" {
			return r
		}
	}
	return ""
}

func (refs refDomains) resembles(d string) string {
	dBase, dSuf := splitSuffix(d)
	dGlyphs := deglyph(d)
	for _, r := range refs {
		if dBase == r.base && dSuf != r.suffix {
			return r.name
		}
		if dGlyphs == r.glyphs {
			return r.name
		}
		// Compare names without their public suffix so that "ab.co.jp"
		// and "ab.jp" style differences above are not double counted and
		// short names are judged by their own length.
		// Short names are a few edits from many unrelated names ("live"
		// and "line"): judge them by suffix swaps and homoglyphs only.
		max := 2
		if len(r.base) < 6 {
			max = 1
		}
		if len(r.base) < 5 {
			continue
		}
		if dSuf == r.suffix && osaDistance(dBase, r.base, max) <= max {
			return r.name
		}
		if osaDistance(d, r.form, max) <= max && len(r.form) >= 8 {
			return r.name
		}
	}
	return ""
}

func splitSuffix(d string) (base, suffix string) {
	for _, s := range publicSuffixes {
		if strings.HasSuffix(d, s) && len(d) > len(s) {
			return d[:len(d)-len(s)], s
		}
	}
	if i := strings.LastIndexByte(d, '.'); i > 0 {
		return d[:i], d[i:]
	}
	return d, ""
}

// deglyph maps characters that look alike to one of them.
func deglyph(s string) string { return glyphs.Replace(s) }

// glyphs is immutable after initialisation (strings.Replacer is safe for
// concurrent use).
var glyphs = strings.NewReplacer("rn", "m", "vv", "w", "0", "o", "1", "l", "i", "l", "5", "s", "-", "")

// osaDistance is the optimal string alignment distance (Levenshtein with
// adjacent transpositions) between a and b, or max+1 once it is certain
// to exceed max.
func osaDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
