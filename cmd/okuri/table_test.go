package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanTableAlignsJapanese checks that the columns of "okuri scan"
// line up in a terminal when cells hold Japanese text: a full-width
// character takes two columns there, so counting runes (tabwriter)
// shifts every later column of a Japanese row.
func TestScanTableAlignsJapanese(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "顧客一覧.csv")
	os.WriteFile(csv, []byte("お客様氏名,生年月日,携帯電話番号,ご住所,Email\r\n"+
		"山田 太郎,1975/04/12,090-1234-5678,東京都世田谷区桜新町2-14-3,taro.yamada@gmail.com\r\n"+
		"佐藤 花子,1982/11/03,080-2345-6789,大阪府大阪市北区梅田1-1-1,hanako@yahoo.co.jp\r\n"), 0o600)
	var out, errb bytes.Buffer
	if code := cmdScan([]string{csv}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rows []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "  reason") {
			rows = append(rows, l)
		}
	}
	if len(rows) < 4 {
		t.Fatalf("table too short:\n%s", out.String())
	}
	// every row's SAMPLES cell starts at the header's SAMPLES column
	col := displayWidth(rows[0][:strings.Index(rows[0], "SAMPLES")])
	for _, r := range rows[1:] {
		if strings.HasPrefix(strings.TrimSpace(r), "PART") {
			break
		}
		// the samples cell is the last one, after two or more spaces
		i := strings.LastIndex(r, "  ")
		if got := displayWidth(r[:i+2]); got != col {
			t.Errorf("samples at column %d, header at %d:\n%s", got, col, out.String())
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{
		"":            0,
		"phone":       5,
		"住所":          4,
		"ｶﾅ":          2, // half-width katakana
		"０９０":         6, // full-width digits
		"山 **":        5,
		"column 生年月日": 15,
	} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
