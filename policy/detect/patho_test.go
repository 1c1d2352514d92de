package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestPathological feeds inputs that would be quadratic if a look-back
// or look-ahead were unbounded: one long line of honorifics, labels,
// alphanumeric words, e-mail fragments or numbers.
func TestPathological(t *testing.T) {
	e := newEngine(t)
	inputs := map[string]string{
		"honorifics": strings.Repeat("山田様", 200000),
		"labels":     strings.Repeat("電話氏名生年月日", 80000),
		"alnum":      strings.Repeat("a1", 500000),
		"at":         strings.Repeat("a@", 500000),
		"digits":     strings.Repeat("1-", 500000),
		"postal":     strings.Repeat("〒100-0001 ", 100000),
		"dates":      strings.Repeat("生年月日 1980/01/01 ", 60000),
		"tabs":       strings.Repeat("a\tb\tc\n", 200000),
		"mix":        adversarialMix(1 << 20),
		// a transfer form repeated without blank lines: every account
		// looks for its holder
		"holders": strings.Repeat("振込 口座 1234567 名義 ", 60000),
		// a text table under a name header, one long line of words
		"header names": "氏名 電話 住所\n" + strings.Repeat("山田 090-1234-5678 ", 60000),
		"salutation":   "山田 太郎 様\n\n" + strings.Repeat("ご住所 東京都千代田区1-1 お電話番号 090-1234-5678\n", 30000),
	}
	for name, in := range inputs {
		start := time.Now()
		scanText(e, in, 32<<10)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
	}
}

// adversarialMix is keywords, digits and delimiters in random order:
// every token is a candidate, a label or a cell boundary.
func adversarialMix(size int) string {
	alphabet := []string{"様", "氏名", "：", " ", "\n", "\n\n", "0", "1", "9", "-", "@", "a", "東京都", "区",
		"生年月日", "\t", ",", "〒", "年", "月", "日", "ヤマダ", "山田", "株式会社"}
	rng := rand.New(rand.NewPCG(1, 1))
	var sb strings.Builder
	for sb.Len() < size {
		sb.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	return sb.String()
}
