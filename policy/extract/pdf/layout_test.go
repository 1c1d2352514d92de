package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium/requests"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/extracttest"
	"github.com/okuri/okuri/policy/extract/pdf/pdftest"
)

var people = [][]string{
	{"氏名", "生年月日", "電話番号", "メールアドレス"},
	{"山田 太郎", "1975/04/12", "090-1234-5678", "taro.yamada@gmail.com"},
	{"佐々木 花子", "1982/11/03", "080-2345-6789", "hanako@docomo.ne.jp"},
	{"長谷川 一郎", "1968/01/20", "070-3456-7890", "ichiro.h@icloud.com"},
}

// extractPDF runs data through PDFium and returns the text and the table
// rows (cells joined by "|").
func extractPDF(t *testing.T, data []byte) (string, []string) {
	t.Helper()
	sink := extracttest.New()
	ctx := context.Background()
	_, err := pool(t).Extract(ctx, Doc{R: bytes.NewReader(data), Size: int64(len(data)), Sink: sink, MaxPages: 10, Budget: extract.NewBudget(ctx, 1<<30)})
	if err != nil {
		t.Fatal(err)
	}
	return sink.AllText(), sink.Rows()
}

// TestColumnMajor: a report engine that draws a table column by column
// (all names, then all dates …) still yields one row per person.
func TestColumnMajor(t *testing.T) {
	text, rows := extractPDF(t, pdftest.Page(columnMajor(people)))
	want := []string{
		"氏名|生年月日|電話番号|メールアドレス",
		"山田 太郎|1975/04/12|090-1234-5678|taro.yamada@gmail.com",
		"佐々木 花子|1982/11/03|080-2345-6789|hanako@docomo.ne.jp",
		"長谷川 一郎|1968/01/20|070-3456-7890|ichiro.h@icloud.com",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s\ntext: %q", strings.Join(rows, "\n"), strings.Join(want, "\n"), text)
	}
}

// TestRotatedPages: a list on a page turned with /Rotate is laid out as
// displayed. (Latin text: PDFium drops the glyphs of this test's
// non-embedded CJK font when the text matrix is turned by a quarter.)
func TestRotatedPages(t *testing.T) {
	latin := [][]string{
		{"Name", "Born", "Mobile"},
		{"Taro Yamada", "1975/04/12", "090-1234-5678"},
		{"Hanako Sasaki", "1982/11/03", "080-2345-6789"},
	}
	want := "Name|Born|Mobile\nTaro Yamada|1975/04/12|090-1234-5678\nHanako Sasaki|1982/11/03|080-2345-6789"
	for _, rot := range []int{90, 180, 270} {
		t.Run(fmt.Sprint(rot), func(t *testing.T) {
			text, rows := extractPDF(t, pdftest.RotatedPage(rot, columnMajor(latin)))
			if got := strings.Join(rows, "\n"); got != want {
				t.Errorf("rows:\n%s\nwant:\n%s\ntext: %q", got, want, text)
			}
		})
	}
}

// columnMajor draws a table column by column.
func columnMajor(table [][]string) []pdftest.Text {
	xs := []float64{50, 160, 260, 370}
	var texts []pdftest.Text
	for c := range table[0] {
		for r, row := range table {
			texts = append(texts, pdftest.Text{X: xs[c], Y: 560 - 16*float64(r), Size: 10, S: row[c]})
		}
	}
	return texts
}

// TestLayoutTextAroundTable: a letter's prose stays text, in reading
// order, and only the table between becomes rows.
func TestLayoutTextAroundTable(t *testing.T) {
	texts := []pdftest.Text{
		{X: 50, Y: 800, Size: 10, S: "いつもお世話になっております。下記のお客様の更新手続きをお願いします。"},
	}
	for r, row := range people[:3] {
		for c, cell := range row {
			texts = append(texts, pdftest.Text{X: 50 + 120*float64(c), Y: 770 - 16*float64(r), Size: 10, S: cell})
		}
	}
	texts = append(texts, pdftest.Text{X: 50, Y: 700, Size: 10, S: "以上、よろしくお願いいたします。"})
	text, rows := extractPDF(t, pdftest.Page(texts))
	if len(rows) != 3 || rows[1] != "山田 太郎|1975/04/12|090-1234-5678|taro.yamada@gmail.com" {
		t.Errorf("rows %q", rows)
	}
	if !strings.Contains(text, "いつもお世話になっております。") || !strings.Contains(text, "以上、よろしく") {
		t.Errorf("text %q", text)
	}
}

// TestLayoutRuledWrapped: a ruled table whose cells wrap keeps one row
// per person; Japanese wraps join without a space, Latin with one.
func TestLayoutRuledWrapped(t *testing.T) {
	// Two columns (x 40–200–400), two rows (y 800–770–720).
	rules := []rule{
		{40, 719.5, 400, 720.5}, {40, 769.5, 400, 770.5}, {40, 799.5, 400, 800.5},
		{39.5, 720, 40.5, 800}, {199.5, 720, 200.5, 800}, {399.5, 720, 400.5, 800},
	}
	gs := append(glyphs("氏名", 45, 785), glyphs("住所", 205, 785)...)
	gs = append(gs, glyphs("ヤマダ", 45, 755)...)
	gs = append(gs, glyphs("タロウ", 45, 743)...)
	gs = append(gs, glyphs("東京都千代田区", 205, 755)...)
	gs = append(gs, glyphs("丸の内1-2-3", 205, 743)...)
	l := layoutPage(gs, rules)
	got := fmt.Sprint(l.tables)
	if want := "[[[氏名 住所] [ヤマダタロウ 東京都千代田区丸の内1-2-3]]]"; got != want {
		t.Errorf("tables %s, want %s; text %q", got, want, l.text)
	}
}

// glyphs lays out s from x on the baseline band at y, 10 points a
// full-width character and 5 a half-width one, as loose boxes.
func glyphs(s string, x, y float64) []glyph {
	var gs []glyph
	for _, r := range s {
		w := 10.0
		if r < 0x100 {
			w = 5
		}
		gs = append(gs, glyph{r: r, x0: x, y0: y - 2, x1: x + w, y1: y + 9})
		x += w
	}
	return gs
}

// TestLayoutBorderlessWrapped: a borderless table whose cells wrap over
// several lines (vertically centred), rows apart by a clear gap, makes
// one row per person; a printed spreadsheet (every line full, no gaps)
// keeps one row per line.
func TestLayoutBorderlessWrapped(t *testing.T) {
	var gs []glyph
	gs = append(gs, glyphs("氏名", 40, 800)...)
	gs = append(gs, glyphs("フリガナ", 120, 800)...)
	gs = append(gs, glyphs("電話番号", 200, 800)...)
	for i, p := range [][3]string{{"山田太郎", "ヤマダ|タロウ", "090-1234-|5678"}, {"佐藤花子", "サトウ|ハナコ", "080-2345-|6789"}} {
		y := 770 - 40*float64(i)
		gs = append(gs, glyphs(p[0], 40, y-6)...) // centred: between the two lines
		for k, part := range strings.Split(p[1], "|") {
			gs = append(gs, glyphs(part, 120, y-12*float64(k))...)
		}
		for k, part := range strings.Split(p[2], "|") {
			gs = append(gs, glyphs(part, 200, y-12*float64(k))...)
		}
	}
	l := layoutPage(gs, nil)
	got := fmt.Sprint(l.tables)
	if want := "[[[氏名 フリガナ 電話番号] [山田太郎 ヤマダタロウ 090-1234-5678] [佐藤花子 サトウハナコ 080-2345-6789]]]"; got != want {
		t.Errorf("tables %s\nwant   %s\ntext %q", got, want, l.text)
	}
	gs = nil
	for i, p := range people {
		y := 800 - 13*float64(i)
		for c, cell := range p {
			gs = append(gs, glyphs(cell, 40+150*float64(c), y)...)
		}
	}
	if l := layoutPage(gs, nil); len(l.tables) != 1 || len(l.tables[0]) != len(people) {
		t.Errorf("spreadsheet: %q", l.tables)
	}
}

func FuzzLayout(f *testing.F) {
	f.Add([]byte("氏名 電話\n山田 090\n"), []byte{40, 10, 200, 10})
	f.Add([]byte("ab"), []byte{0, 0, 255, 255, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, text, geo []byte) {
		var gs []glyph
		var rules []rule
		i := 0
		for _, r := range string(text) {
			if i+4 > len(geo) {
				break
			}
			x, y := float64(geo[i])*2, float64(geo[i+1])*3
			gs = append(gs, glyph{r: r, x0: x, y0: y, x1: x + float64(geo[i+2]%20), y1: y + float64(geo[i+3]%20)})
			i += 4
		}
		for ; i+4 <= len(geo); i += 4 {
			rules = append(rules, rule{float64(geo[i]) * 2, float64(geo[i+1]) * 3, float64(geo[i])*2 + float64(geo[i+2]%4), float64(geo[i+1])*3 + float64(geo[i+3])})
		}
		l := layoutPage(gs, rules)
		for _, tb := range l.tables {
			for _, row := range tb {
				if len(row) != len(tb[0]) {
					t.Fatalf("ragged table %q", tb)
				}
			}
		}
	})
}

// TestLayoutCost logs what rebuilding the layout costs next to PDFium's
// plain text (numbers for docs/perf-scan.md).
func TestLayoutCost(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	for _, name := range []string{"customers50.pdf", "customers50-writer.pdf"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "scan", "testdata", "pdf", name))
		if err != nil {
			t.Fatal(err)
		}
		extractPDF(t, data) // warm
		const n = 5
		start := time.Now()
		for range n {
			extractPDF(t, data)
		}
		layout := time.Since(start) / n
		w, _ := pool(t).acquire(context.Background())
		inst, err := w.pool.GetInstance(time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		pages := 0
		for range n {
			doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
			if err != nil {
				t.Fatal(err)
			}
			pc, _ := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
			pages = pc.PageCount
			for i := 0; i < pc.PageCount; i++ {
				inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
			}
			inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
		}
		plain := time.Since(start) / n
		inst.Close()
		pool(t).release(w)
		t.Logf("%s (%d pages): layout %v, PDFium plain text %v", name, pages, layout, plain)
	}
}

func TestNeedsLayout(t *testing.T) {
	for text, want := range map[string]bool{
		"第1条（目的）本規約は、当社が提供するサービスの利用条件を定めるものです。":   false,
		"令和7年4月1日 株式会社みなと保険サービス TEL 03-5321-1111": false,
		"山田 太郎 1975/04/12 090-1234-5678":          true,
		"連絡先 taro@example.jp":                     true,
		"０９０－１２３４－５６７８ １９７５年":                     true,
		"Page 12 of 340": false,
		// a birthday list: era dates of one- and two-digit parts
		"坂口智子 H.5.4.21 渡辺\n西村恵 H.2.7.18 渡辺\n石川大輔 S.56.5.6 佐藤\n太田誠 S.30.3.1 渡辺": true,
		"令和7年4月1日 第2版 1.2.3": false,
	} {
		if got := needsLayout(text); got != want {
			t.Errorf("needsLayout(%q) = %v", text, got)
		}
	}
}

// TestLayoutFieldLines: a lone line of fields apart by wide gaps (one
// customer printed without a heading) comes out tab-separated, as a row
// pasted into a body; bulleted memo lines with wide spaces between their
// fields stay text, not a table whose columns mix fields of one line.
func TestLayoutFieldLines(t *testing.T) {
	var gs []glyph
	gs = append(gs, glyphs("新規ご契約者", 40, 800)...)
	for i, f := range []string{"石井 恵子", "1991-02-17", "千葉県船橋市本町4-18-9", "080-5512-3064"} {
		gs = append(gs, glyphs(f, []float64{40, 110, 180, 360}[i], 780)...)
	}
	l := layoutPage(gs, nil)
	if want := "石井 恵子\t1991-02-17\t千葉県船橋市本町4-18-9\t080-5512-3064"; len(l.tables) != 0 || len(l.text) != 2 || l.text[1] != want {
		t.Errorf("one row: tables %q text %q", l.tables, l.text)
	}
	gs = nil
	memo := [][]string{
		{"●藤田 和彦", "1958/11/30", "大阪府豊中市新千里東町1-4-2", "06-6871-3390"},
		{"●小西 さおり", "H2.6.14", "兵庫県西宮市甲子園町7-25", "090-3318-7702"},
	}
	for i, m := range memo {
		x, y := 40.0, 800-14*float64(i)
		for _, f := range m {
			gs = append(gs, glyphs(f, x, y)...)
			x += 10*float64(len([]rune(f))) + 10 // an ideographic space apart
		}
	}
	l = layoutPage(gs, nil)
	if len(l.tables) != 0 || len(l.text) != 2 || l.text[0] != "●藤田 和彦 1958/11/30 大阪府豊中市新千里東町1-4-2 06-6871-3390" {
		t.Errorf("memo: tables %q text %q", l.tables, l.text)
	}
	// names of the same length: the fields after them line up
	gs = nil
	for i, m := range [][]string{{"・中田 修様", "S.44.3.8", "岐阜県岐阜市金町4-12"}, {"・今村 薫様", "S.57.9.1", "三重県津市栄町2-31"}, {"・横山 茂様", "H.3.12.5", "滋賀県大津市浜町1-7"}} {
		gs = append(gs, glyphs(m[0], 40, 800-14*float64(i))...)
		gs = append(gs, glyphs(m[1], 110, 800-14*float64(i))...)
		gs = append(gs, glyphs(m[2], 160, 800-14*float64(i))...)
	}
	if l := layoutPage(gs, nil); len(l.tables) != 0 || len(l.text) != 3 {
		t.Errorf("memo, aligned: tables %q text %q", l.tables, l.text)
	}
}

// TestTableOverPages: a table continued on the next page keeps one row
// per person when the page break split a row (the rest of its cells at
// the top of the next page) and when the heading is repeated there.
func TestTableOverPages(t *testing.T) {
	head := []string{"氏名", "生年月日", "電話番号", "口座"}
	tests := []struct {
		name  string
		pages [][][]string
		want  []string
	}{
		{"split row after a repeated heading", [][][]string{
			{head, {"山田 太郎", "1975/04/12", "090-1234-5678", "みずほ銀行 普通1234567"}, {"高橋 恵子", "1978/07/13", "090-2943-", "りそな銀行 普通"}},
			{head, {"", "", "5679", "6617917"}, {"松本 恵子", "1962/01/19", "080-6095-3765", "横浜銀行 普通2222222"}},
		}, []string{"氏名|生年月日|電話番号|口座", "山田 太郎|1975/04/12|090-1234-5678|みずほ銀行 普通1234567",
			"高橋 恵子|1978/07/13|090-2943-5679|りそな銀行 普通6617917", "松本 恵子|1962/01/19|080-6095-3765|横浜銀行 普通2222222"}},
		{"every cell split", [][][]string{
			{head, {"加藤", "1999/", "080-", "りそな銀"}},
			{{"美咲", "07/26", "4409-4016", "行 普通8394936"}},
		}, []string{"氏名|生年月日|電話番号|口座", "加藤美咲|1999/07/26|080-4409-4016|りそな銀行 普通8394936"}},
		// a person without a phone at the top of a page is a row of its own
		{"next row with an empty cell", [][][]string{
			{head, {"山田 太郎", "1975/04/12", "090-1234-5678", "みずほ銀行 普通1234567"}},
			{{"佐藤 花子", "1982/11/03", "", "三井住友銀行 普通7654321"}},
		}, []string{"氏名|生年月日|電話番号|口座", "山田 太郎|1975/04/12|090-1234-5678|みずほ銀行 普通1234567",
			"佐藤 花子|1982/11/03||三井住友銀行 普通7654321"}},
	}
	for _, tc := range tests {
		sink := extracttest.New()
		ctx := context.Background()
		w := &writer{d: Doc{Sink: sink, Budget: extract.NewBudget(ctx, 1<<20)}, tw: sink.Text(extract.Location{})}
		for _, p := range tc.pages {
			w.newPage = true
			if err := w.table(p); err != nil {
				t.Fatal(err)
			}
		}
		w.close()
		if got := strings.Join(sink.Rows(), "\n"); got != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, strings.Join(tc.want, "\n"))
		}
	}
}

// TestJoinWrapped: the lines of a wrapped cell join as the reader sees
// them.
func TestJoinWrapped(t *testing.T) {
	for _, tc := range [][3]string{
		{"ヤマダ", "タロウ", "ヤマダタロウ"},
		{"8298 0392", "6411", "8298 0392 6411"},
		{"三菱 UFJ銀行 梅田", "支店", "三菱 UFJ銀行 梅田支店"},
		{"Taro", "Yamada", "Taro Yamada"},
		// a narrow Writer cell breaks inside an address or a date
		{"cust00.user@docomo.n", "e.jp", "cust00.user@docomo.ne.jp"},
		{"2000/0", "9/28", "2000/09/28"},
		{"1999/", "07/26", "1999/07/26"},
	} {
		if got := joinWrapped(tc[0], tc[1]); got != tc[2] {
			t.Errorf("joinWrapped(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}
