package detect

import "strings"

// Masking keeps just enough of a value for a person to recognise what
// was found (the kind, the area code, the domain) and never enough to
// use it.

// maskDigits prints the token's shape with all digits starred except the
// first keep and the last tail ones.
func maskTok(t *numTok, keep, tail int) string {
	var sb strings.Builder
	sb.Grow(t.nd + 3*t.ng + 3) // one allocation: digits, separators (年 月), 日
	pos := 0
	for gi := 0; gi < t.ng; gi++ {
		for j := 0; j < int(t.g[gi]); j++ {
			if pos < keep || pos >= t.nd-tail {
				sb.WriteByte(t.d[pos])
			} else {
				sb.WriteByte('*')
			}
			pos++
		}
		if gi < t.ng-1 {
			switch s := t.s[gi]; s {
			case 'Y':
				sb.WriteString("年")
			case 'M':
				sb.WriteString("月")
			default:
				sb.WriteByte(s)
			}
		}
	}
	if t.day {
		sb.WriteString("日")
	}
	return sb.String()
}

// maskPhone keeps the first group and the last four digits.
func maskPhone(t *numTok) string {
	keep := int(t.g[0])
	if t.ng == 1 {
		keep = 3
	}
	return maskTok(t, keep, 4)
}

// maskEmail hides the local part.
func maskEmail(domain []byte) string { return "****@" + string(domain) }

// maskText keeps the first rune of a name or address fragment and stars
// the rest (山田 花子 → 山**).
func maskText(s []byte, keepRunes int) string {
	var sb strings.Builder
	sb.Grow(4*keepRunes + 3)
	i, kept := 0, 0
	for i < len(s) && kept < keepRunes {
		n := runeLen(s[i])
		if i+n > len(s) {
			break
		}
		sb.Write(s[i : i+n])
		i += n
		kept++
	}
	if i < len(s) {
		sb.WriteString(" **")
	}
	return sb.String()
}
