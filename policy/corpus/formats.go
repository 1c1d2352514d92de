package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"golang.org/x/text/width"
)

// Part says which half of the corpus a sample belongs to. Every list of
// variants in this package (headings, date styles, layouts, letters,
// charsets) is split by index: even entries build the tuning part, odd
// entries the held-out part, so the held-out part measures how the
// detector does on phrasings and layouts nobody tuned against.
type Part int

// The two halves of the corpus.
const (
	Tuning Part = iota
	HeldOut
)

func (p Part) String() string {
	if p == HeldOut {
		return "held-out"
	}
	return "tuning"
}

// variant picks one of the entries of xs that belong to part.
func variant[T any](r *rand.Rand, part Part, xs []T) T {
	if len(xs) == 1 {
		return xs[0]
	}
	n := (len(xs) - int(part) + 1) / 2
	return xs[2*r.IntN(n)+int(part)]
}

// variants returns the entries of xs that belong to part.
func variants[T any](part Part, xs []T) []T {
	var out []T
	for i := int(part); i < len(xs); i += 2 {
		out = append(out, xs[i])
	}
	return out
}

// dateStyle writes a calendar date as people type it into Excel or a
// letter.
type dateStyle func(y, m, d int) string

var birthStyles = []dateStyle{
	func(y, m, d int) string { return fmt.Sprintf("%d/%02d/%02d", y, m, d) },
	func(y, m, d int) string { e, ey := era(y, m, d); return fmt.Sprintf("%c%d.%d.%d", e.letter, ey, m, d) },
	func(y, m, d int) string {
		e, ey := era(y, m, d)
		return fmt.Sprintf("%s%s年%d月%d日", e.kanji, eraYear(ey), m, d)
	},
	func(y, m, d int) string { return fmt.Sprintf("%d-%02d-%02d", y, m, d) },
	func(y, m, d int) string { return fmt.Sprintf("%d/%d/%d", y, m, d) },
	func(y, m, d int) string {
		e, ey := era(y, m, d)
		return width.Widen.String(fmt.Sprintf("%s%d年%d月%d日", e.kanji, ey, m, d))
	},
	func(y, m, d int) string {
		e, ey := era(y, m, d)
		return fmt.Sprintf("%c%02d/%02d/%02d", e.letter, ey, m, d)
	},
	func(y, m, d int) string { return fmt.Sprintf("%d年%d月%d日", y, m, d) },
	func(y, m, d int) string { return fmt.Sprintf("%04d%02d%02d", y, m, d) },
	func(y, m, d int) string { e, ey := era(y, m, d); return fmt.Sprintf("%c.%d.%d.%d", e.letter, ey, m, d) },
}

type eraName struct {
	kanji  string
	letter rune
	start  int // first Gregorian year
}

// era names the Japanese era of a date (Showa until 1989-01-07, Heisei
// until 2019-04-30).
func era(y, m, d int) (eraName, int) {
	switch {
	case y < 1989 || (y == 1989 && m == 1 && d < 8):
		return eraName{"昭和", 'S', 1925}, y - 1925
	case y < 2019 || (y == 2019 && m < 5):
		return eraName{"平成", 'H', 1988}, y - 1988
	}
	return eraName{"令和", 'R', 2018}, y - 2018
}

func eraYear(n int) string {
	if n == 1 {
		return "元"
	}
	return fmt.Sprint(n)
}

// phoneStyle rewrites a hyphenated number the ways people type it.
var phoneStyles = []func(string) string{
	func(s string) string { return s },
	func(s string) string { return width.Widen.String(s) },
	func(s string) string { return strings.ReplaceAll(s, "-", "") },
	func(s string) string { return strings.ReplaceAll(width.Widen.String(s), "－", "ー") }, // IME long-vowel mark
	func(s string) string {
		p := strings.SplitN(s, "-", 3)
		return p[0] + "(" + p[1] + ")" + p[2]
	},
	func(s string) string { return strings.ReplaceAll(s, "-", " ") },
}

// halfKana turns katakana into half-width katakana (ﾀﾅｶ ﾊﾅｺ) as bank
// and CRM exports write it, splitting voiced marks.
func halfKana(s string) string {
	var b strings.Builder
	for _, c := range s {
		if h, ok := halfVoiced[c]; ok {
			b.WriteString(h)
			continue
		}
		b.WriteString(width.Narrow.String(string(c)))
	}
	return b.String()
}

var halfVoiced = func() map[rune]string {
	m := map[rune]string{}
	voiced := "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
	base := "カキクケコサシスセソタチツテトハヒフヘホ"
	bs := []rune(base)
	for i, c := range []rune(voiced) {
		m[c] = width.Narrow.String(string(bs[i])) + "ﾞ"
	}
	for i, c := range []rune("パピプペポ") {
		m[c] = width.Narrow.String(string([]rune("ハヒフヘホ")[i])) + "ﾟ"
	}
	m['ヴ'] = "ｳﾞ"
	m['　'] = " "
	return m
}()

// hiragana turns katakana into hiragana (ふりがな columns).
func hiragana(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'ァ' && c <= 'ヶ' {
			c -= 0x60
		}
		b.WriteRune(c)
	}
	return b.String()
}

// excelSerial is the spreadsheet serial number of a date (1900 system).
func excelSerial(y, m, d int) int {
	// days from 1899-12-30, which absorbs Excel's 1900 leap-year bug for
	// every date after February 1900
	a := (14 - m) / 12
	yy := y + 4800 - a
	mm := m + 12*a - 3
	jdn := d + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045
	return jdn - 2415019
}

func age(y, m, d int) int {
	a := 2026 - y
	if m > 11 || (m == 11 && d > 1) {
		a--
	}
	return a
}

func yen(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// addressStyles write the block number (番地) the ways people do:
// 3-2-11, 3丁目2番11号, full-width, kanji chōme.
var addressStyles = []func(p person) string{
	func(p person) string { return p.address() },
	func(p person) string { return p.pref + p.city + p.town + chome(p, "%d丁目%d番%d号") + p.building },
	func(p person) string { return p.pref + p.city + p.town + width.Widen.String(p.block) + p.building },
	func(p person) string { return p.addressSp() },
	func(p person) string { return p.pref + p.city + p.town + chome(p, "%d丁目%d-%d") + " " + p.building },
	func(p person) string {
		var a, b, c int
		fmt.Sscanf(p.block, "%d-%d-%d", &a, &b, &c)
		return p.pref + p.city + p.town + string([]rune("一二三四五")[a-1]) + fmt.Sprintf("丁目%d番地%d", b, c) + p.building
	},
}

func chome(p person, format string) string {
	var a, b, c int
	fmt.Sscanf(p.block, "%d-%d-%d", &a, &b, &c)
	return fmt.Sprintf(format, a, b, c)
}
