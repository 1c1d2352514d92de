package detect

import (
	"unicode/utf8"
)

// notNames are words that sit before 様 or after a name label without
// being a person's name.
var notNames = [...]string{
	"お客", "客", "皆", "各", "担当者", "ご担当者", "ご担当", "担当", "奥", "同", "仕", "模", "左", "貴", "王",
	"神", "旦那", "お子", "ご家族", "家族", "ご主人", "会員", "利用者", "契約者", "ご契約者", "加入者",
	"被保険者", "得意", "お得意", "皆々", "上", "殿", "多", "有", "異", "外", "今", "申込者", "ご利用者",
	"受取人", "本人", "ご本人", "代表者", "関係者", "取引先", "お取引先", "業者", "先方", "相手",
}

// nameScan walks runes forward from i and returns the end of a run of
// name characters (kanji, kana, one inner space), at most 12 runes.
func nameRun(b []byte, i, limit int) (end int, kanji, kana, runes int) {
	end = i
	spaces := 0
	for i < limit && runes < 12 {
		// kana and kanji decoded inline; anything else by decodeRune
		var r rune
		n := 3
		if c := b[i]; c&0xF0 == 0xE0 && i+3 <= limit && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80 {
			r = rune(c&0x0F)<<12 | rune(b[i+1]&0x3F)<<6 | rune(b[i+2]&0x3F)
			if r < 0x3000 || r > 0x9FFF {
				r, n = decodeRune(b[i:limit])
			}
		} else {
			r, n = decodeRune(b[i:limit])
		}
		switch {
		case isKanji(r):
			kanji++
		case isKatakana(r) || isHiragana(r):
			kana++
		case (r == ' ' || r == '\u3000') && runes > 0 && spaces == 0:
			spaces++
			i += n
			continue
		default:
			return end, kanji, kana, runes
		}
		runes++
		i += n
		end = i
	}
	return end, kanji, kana, runes
}

// nameBefore looks for a name ending right before position s (where 様
// or 殿 starts), on the same line; it returns the name's start or -1.
func nameBefore(b []byte, from, s int) int {
	j := s
	if j > from && b[j-1] == ' ' {
		j--
	} else if j-3 >= from && string(b[j-3:j]) == "\u3000" {
		j -= 3
	}
	end := j
	runes, kanji, kana, spaces := 0, 0, 0, 0
	start := -1
	for j > from && runes < 10 {
		k := lastRuneStart(b, j)
		if k < from {
			break
		}
		r, _ := decodeRune(b[k:j])
		switch {
		case isKanji(r):
			kanji++
		case isKatakana(r):
			kana++
		case isHiragana(r):
			kana++
		case (r == ' ' || r == '\u3000') && runes > 0 && spaces == 0:
			spaces++
			j = k
			continue
		default:
			goto done
		}
		runes++
		j = k
		start = j
	}
done:
	if start < 0 || runes < 2 {
		return -1
	}
	w := b[start:end]
	// strip honorific-like prefixes: "お", "ご"
	if r, _ := utf8.DecodeRune(w); r == 'お' || r == 'ご' || r == '御' {
		return -1
	}
	for _, nn := range notNames {
		if len(w) >= len(nn) && string(w[len(w)-len(nn):]) == nn {
			return -1
		}
	}
	if kanji == 0 && kana < 3 {
		return -1
	}
	// leading hiragana is particles of a sentence (…のは山田様): trim
	for start < end {
		r, n := utf8.DecodeRune(b[start:end])
		if !isHiragana(r) {
			break
		}
		start += n
	}
	if end-start < 6 {
		return -1
	}
	return start
}

// nameAfter reads a name after a label ending at i (氏名：山田 花子).
func nameAfter(b []byte, i, limit int) (start, end int) {
	if i >= limit {
		return -1, -1
	}
	// the label may go on: 契約者名, 被保険者氏名, 氏名（カナ）
	for _, suf := range []string{"氏名", "名前", "名", "様", "（カナ）", "(カナ)", "（漢字）"} {
		if i+len(suf) <= limit && string(b[i:i+len(suf)]) == suf {
			i += len(suf)
			break
		}
	}
	// or carry a note in parentheses: お名前（フリガナ）
	if i+3 <= limit && (string(b[i:i+3]) == "（" || b[i] == '(') {
		for j := i; j < min(limit, i+40); j++ {
			if b[j] == ')' {
				i = j + 1
				break
			}
			if j+3 <= limit && string(b[j:j+3]) == "）" {
				i = j + 3
				break
			}
		}
	}
	// then a separator must follow: 契約者情報変更届 is no label
	sep := false
	for i < limit {
		c := b[i]
		if c == ' ' || c == ':' || c == '\t' || c == '=' {
			i++
			sep = true
			continue
		}
		if i+3 <= limit {
			switch string(b[i : i+3]) {
			case "：", "\u3000", "】", "」", "・":
				i += 3
				sep = true
				continue
			}
		}
		break
	}
	if !sep || i >= limit {
		return -1, -1
	}
	if r, _ := utf8.DecodeRune(b[i:limit]); isHiragana(r) {
		return -1, -1 // a sentence (契約者の皆様), not a name
	}
	e, kanji, kana, runes := nameRun(b, i, limit)
	if runes < 2 || (kanji == 0 && kana < 3) {
		return -1, -1
	}
	w := b[i:e]
	for _, nn := range notNames {
		if string(w) == nn {
			return -1, -1
		}
	}
	return i, e
}

// nameCell judges a table cell as a person's name: kanji/kana with an
// optional inner space, or romaji "Taro Yamada". It returns 0 (no),
// 1 (kanji or romaji name shape) or 2 (katakana reading with a space).
func nameCell(s []byte) int {
	s = trimSpace(s)
	// an addressee: 山田 花子 様
	for _, h := range [...]string{"様", "殿"} {
		if len(s) > len(h) && string(s[len(s)-len(h):]) == h {
			s = trimSpace(s[:len(s)-len(h)])
			break
		}
	}
	if len(s) == 0 || len(s) > 60 {
		return 0
	}
	if s[0] < 0x80 {
		return romajiName(s)
	}
	e, kanji, _, runes := nameRun(s, 0, len(s))
	if e != len(s) || runes < 2 || runes > 10 {
		return 0
	}
	hasSpace := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || (i+3 <= len(s) && string(s[i:i+3]) == "\u3000") {
			hasSpace = true
		}
	}
	if notPerson(s) {
		return 0
	}
	if kanji == 0 && hasSpace {
		return 2
	}
	if kanji > 0 && kanji <= 8 {
		if runes < 3 && !hasSpace {
			return 0 // 千葉, 福岡: a surname alone or a place; full names are longer
		}
		for _, nn := range notNames {
			if string(s) == nn {
				return 0
			}
		}
		return 1
	}
	if kanji == 0 && runes >= 3 {
		return 2
	}
	return 0
}

// romajiName accepts "Taro Yamada" / "YAMADA Taro": two or three
// capitalised words of letters.
func romajiName(s []byte) int {
	words, wl := 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if wl > 0 {
				words++
			}
			if wl == 1 {
				return 0
			}
			wl = 0
			continue
		}
		c := s[i]
		if !isLetter(c) && c != '-' && c != '\'' {
			return 0
		}
		if wl == 0 && c-'A' >= 26 {
			return 0
		}
		wl++
	}
	if words == 2 || words == 3 {
		return 1
	}
	return 0
}

// trimEdge marks the bytes trimSpace may remove at either end: ASCII
// space, tab, quote and CR, the lead and last byte of U+3000. A cell
// with neither end marked is returned unchanged, so callers on hot paths
// test it first.
var trimEdge = func() (t [256]bool) {
	for _, c := range []byte{' ', '\t', '"', '\r', 0xE3, 0x80} {
		t[c] = true
	}
	return t
}()

func trimSpace(s []byte) []byte {
	for len(s) > 0 {
		c := s[0]
		if c == ' ' || c == '\t' || c == '"' || c == '\r' {
			s = s[1:]
		} else if c == 0xE3 && len(s) >= 3 && s[1] == 0x80 && s[2] == 0x80 {
			s = s[3:]
		} else {
			break
		}
	}
	for len(s) > 0 {
		c := s[len(s)-1]
		if c == ' ' || c == '\t' || c == '"' || c == '\r' {
			s = s[:len(s)-1]
		} else if c == 0x80 && len(s) >= 3 && s[len(s)-2] == 0x80 && s[len(s)-3] == 0xE3 {
			s = s[:len(s)-3]
		} else {
			break
		}
	}
	return s
}
