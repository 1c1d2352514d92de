package detect

import "bytes"

// prefectures are the 47 prefectures of Japan.
var prefectures = [...]string{
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
	"茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
	"新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
	"静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
	"奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
	"徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
	"熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
}

// prefectureBuckets holds the prefecture names by prefHash of their
// first two runes: a look-up is one table load and, rarely, a compare
// (a map look-up hashed the whole candidate string every time).
var prefectureBuckets = func() (t [256][]string) {
	for _, p := range prefectures {
		h := prefHash([]byte(p))
		t[h] = append(t[h], p)
	}
	return t
}()

// prefHash mixes the last bytes of the first two runes of s (at least
// six bytes), where the prefecture names differ.
func prefHash(s []byte) uint8 { return s[2]*5 + s[5] }

// isPrefecture reports whether s is exactly a prefecture name.
func isPrefecture(s []byte) bool {
	for _, p := range prefectureBuckets[prefHash(s)] {
		if string(s) == p {
			return true
		}
	}
	return false
}

// prefectureEndingAt reports whether b[:j] ends with a prefecture name
// (three or four runes, nine or twelve bytes).
func prefectureEndingAt(b []byte, j int) bool {
	return j >= 9 && isPrefecture(b[j-9:j]) || j >= 12 && isPrefecture(b[j-12:j])
}

// prefectureAt returns the length of a prefecture name at b[i], or 0.
// No prefecture name starts another one, so the first match is the only.
func prefectureAt(b []byte, i int) int {
	if i+9 > len(b) {
		return 0
	}
	for _, p := range prefectureBuckets[prefHash(b[i:])] {
		if len(p) <= len(b)-i && string(b[i:i+len(p)]) == p {
			return len(p)
		}
	}
	return 0
}

// Address strength.
const (
	addrNone   = 0
	addrMunic  = 1 // 市区町村 before a block number
	addrPrefec = 2 // a prefecture name before a block number
)

// addressBefore looks back from s to from (same line) for the
// administrative units of an address.
func addressBefore(b []byte, from, s int) int {
	best := addrNone
	j := s
	for j-3 >= from {
		j = lastRuneStart(b, j)
		if j < from {
			break
		}
		if b[j] < 0x80 {
			c := b[j]
			if c == '\t' || c == ',' || c == '\n' {
				break // another cell
			}
			continue
		}
		if j+3 > len(b) {
			continue
		}
		switch string(b[j : j+3]) {
		case "都", "道", "府", "県":
			if prefectureEndingAt(b, j+3) {
				return addrPrefec
			}
		case "市", "区", "町", "村", "郡":
			best = addrMunic
		}
	}
	return best
}

// addressCell judges a table cell: a prefecture at the start (after an
// optional 〒 and postal code), or a municipality followed by a number.
func addressCell(s []byte) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c == ' ' || c-'0' <= 9 || c == '-' {
			i++
			continue
		}
		if _, n := digitAt(s, i); n > 0 {
			i += n
			continue
		}
		if n := hyphenAt(s, i); n > 0 {
			i += n
			continue
		}
		if i+3 <= len(s) && (string(s[i:i+3]) == "〒" || string(s[i:i+3]) == "\u3000") {
			i += 3
			continue
		}
		break
	}
	if i < len(s) && prefectureAt(s, i) > 0 {
		return addrPrefec
	}
	// municipality followed by a digit somewhere after it
	munic := false
	for j := i; j+3 <= len(s); {
		c := s[j]
		if c < 0x80 {
			if munic && c-'0' <= 9 {
				return addrMunic
			}
			j++
			continue
		}
		if munic {
			if _, n := digitAt(s, j); n > 0 {
				return addrMunic
			}
		}
		switch string(s[j : j+3]) {
		case "市", "区", "町", "村", "郡":
			munic = true
		}
		j += runeLen(c)
	}
	return addrNone
}

// ownAddress reports whether the folded line contains one of the
// organisation's own address fragments.
func (e *Engine) ownAddress(line []byte) bool {
	if len(e.ownAddrs) == 0 {
		return false
	}
	var buf [512]byte
	f := foldInto(buf[:0], line)
	for _, a := range e.ownAddrs {
		if bytes.Contains(f, a) {
			return true
		}
	}
	return false
}

// foldInto appends b to dst with full-width ASCII and hyphens folded and
// spaces dropped, up to cap(dst).
func foldInto(dst, b []byte) []byte {
	for i := 0; i < len(b) && len(dst) < cap(dst)-4; {
		c, n := asciiAt(b, i)
		switch {
		case c == ' ' || c == '\t':
		case c != 0:
			dst = append(dst, c)
		default:
			if i+n <= len(b) && string(b[i:i+n]) != "\u3000" {
				dst = append(dst, b[i:i+n]...)
			}
		}
		i += n
	}
	return dst
}
