package corpus

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/japanese"
)

// Sample is one labelled mail message of the corpus.
type Sample struct {
	// Name identifies the sample: part, number, layout, format, label.
	Name string
	Part Part
	// Format is where the decisive content sits: an attachment format
	// ("xlsx", "csv-sjis", "zip-encrypted", …) or the body ("text-body",
	// "html-body").
	Format string
	// Body is the charset/transfer encoding of the text body.
	Body string
	// Layout is the list layout or document kind.
	Layout string
	// Hold is the label: true when the gateway must not pass the message
	// as clean (personal data of one or more customers, or an attachment
	// it cannot read).
	Hold bool
	// Records is the number of customers in it (0 for negatives).
	Records int
	// Message is the RFC 5322 message.
	Message []byte
}

// Seeds of the two parts; the held-out part differs in seed as well as
// in the variants it draws from.
const (
	TuningSeed  uint64 = 20261119
	HeldOutSeed uint64 = 7340029
)

// tableFormats carry a table; docFormats carry a document.
var tableFormats = []string{"csv", "csv-bom", "csv-sjis", "tsv-utf16", "xlsx", "xlsx-sheets", "docx", "pdf", "zip", "zip-nested", "html-body", "text-body"}
var docFormats = []string{"text-body", "html-body", "docx", "pdf"}

// Generate builds one part of the corpus from seed, deterministically.
func Generate(part Part, seed uint64) ([]Sample, error) {
	g := &generator{r: rand.New(rand.NewPCG(seed, uint64(part)+0x5851f42d4c957f2d)), part: part}
	sizes := []int{1, 2, 4, 12, 40, 150}
	for range 2 {
		for _, l := range variants(part, listLayouts) {
			for _, f := range tableFormats {
				n := pick(g.r, sizes)
				g.table(l.name, f, n, customerTable(g.r, part, l, n), true)
			}
		}
		for _, l := range variants(part, negLayouts) {
			for _, f := range tableFormats {
				n := pick(g.r, []int{3, 20, 80, 300})
				g.table(l.name, f, 0, l.build(g.r, part, n), false)
			}
		}
	}
	for _, d := range variants(part, posDocs) {
		for _, f := range docFormats {
			g.doc(d.name, f, d.build(g.r, part), true)
		}
	}
	for _, d := range variants(part, negDocs) {
		for _, f := range docFormats {
			g.doc(d.name, f, d.build(g.r, part), false)
		}
	}
	g.encrypted()
	return g.out, g.err
}

type generator struct {
	r    *rand.Rand
	part Part
	out  []Sample
	err  error
}

func (g *generator) add(layout, format string, hold bool, records int, m message) {
	if g.err != nil {
		return
	}
	id := len(g.out) + 1
	if m.enc.charset == "" {
		m.enc = variant(g.r, g.part, bodyEncs)
	}
	data, err := m.bytes(g.r, id)
	if err != nil {
		g.err = fmt.Errorf("corpus: %s %s: %w", layout, format, err)
		return
	}
	label := "neg"
	if hold {
		label = "pos"
	}
	g.out = append(g.out, Sample{
		Name: fmt.Sprintf("%s-%03d-%s-%s-%s", g.part, id, layout, format, label), Part: g.part,
		Format: format, Body: m.enc.String(), Layout: layout, Hold: hold, Records: records, Message: data,
	})
}

var fileStems = []string{"送付資料", "リスト", "一覧表", "Book1", "ご依頼の件", "data_export", "資料_1119", "名簿", "集計", "確認用"}

func (g *generator) stem() string { return variant(g.r, g.part, fileStems) }

func (g *generator) subject() string {
	return variant(g.r, g.part, []string{"資料送付の件", "RE: ご依頼の件", "【ご確認】添付ファイル", "FW: 先日の件", "お送りします", "Fwd: データ", "ご確認のお願い", "（再送）資料"})
}

// table sends t in format f.
func (g *generator) table(layout, f string, records int, t table, hold bool) {
	r := g.r
	m := message{subject: g.subject(), text: coverText(r, g.part)}
	rows := t.strings()
	stem := g.stem()
	switch f {
	case "csv", "csv-bom", "csv-sjis":
		data := csvBytes(append(titleRows(t), rows...), ',')
		ctype := variant(r, g.part, []string{"text/csv", "application/vnd.ms-excel", "text/comma-separated-values", "application/octet-stream"})
		switch f {
		case "csv-bom":
			data = append([]byte("\ufeff"), data...)
		case "csv-sjis":
			if sj, err := japanese.ShiftJIS.NewEncoder().Bytes(data); err == nil {
				data = sj
			}
		}
		m.atts = []attachment{{stem + ".csv", ctype, data}}
	case "tsv-utf16":
		// Excel's "Unicode text": UTF-16LE with BOM, tab-separated, .txt
		m.atts = []attachment{{stem + ".txt", "text/plain", utf16le(string(csvBytes(rows, '\t')))}}
	case "xlsx":
		m.atts = []attachment{{stem + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			xlsx([]sheet{{"Sheet1", t}}, xlsxOpts{inline: r.IntN(3) == 0})}}
	case "xlsx-sheets":
		other := statistics(r, g.part, 8)
		sheets := []sheet{{"集計", other}, {"明細", t}, {"Sheet3", table{}}}
		m.atts = []attachment{{stem + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx(sheets, xlsxOpts{})}}
	case "docx":
		d := document{paras: append(t.title, "下記のとおりです。"), tables: [][][]string{rows}}
		m.atts = []attachment{{stem + ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx(d, r.IntN(2) == 0)}}
	case "pdf":
		p := newPDF(len(rows) > 0 && len(rows[0]) > 6, variant(r, g.part, pdfModes))
		for _, l := range t.title {
			p.line(l, 12)
		}
		p.grid(rows)
		m.atts = []attachment{{stem + ".pdf", "application/pdf", p.bytes()}}
	case "zip", "zip-nested":
		inner := zipEntry{stem + ".csv", mustSJIS(csvBytes(rows, ','))}
		if r.IntN(2) == 0 {
			inner = zipEntry{stem + ".xlsx", xlsx([]sheet{{"Sheet1", t}}, xlsxOpts{})}
		}
		z := makeZip(r, []zipEntry{inner, {"はじめにお読みください.txt", mustSJIS([]byte("ご確認ください。\r\n"))}}, zipOpts{cp932Names: r.IntN(2) == 0})
		if f == "zip-nested" {
			z = makeZip(r, []zipEntry{{stem + ".zip", z}}, zipOpts{})
		}
		m.atts = []attachment{{stem + ".zip", variant(r, g.part, []string{"application/x-zip-compressed", "application/zip"}), z}}
	case "html-body":
		m.text = "（HTML形式のメールです）\n" + tabText(rows) + "\n" + signature(r, g.part)
		m.html = htmlTable(m.text, t)
	case "text-body":
		m.text = variant(r, g.part, []string{"お世話になっております。\n以下、貼り付けます。\n\n", "田中様\n\n下記ご確認ください。\n\n"}) + strings.Join(t.title, "\n") + "\n" + tabText(rows) + "\n" + signature(r, g.part)
	}
	g.add(layout, f, hold, records, m)
}

// doc sends d in format f.
func (g *generator) doc(layout, f string, d document, hold bool) {
	r := g.r
	m := message{subject: g.subject(), text: coverText(r, g.part)}
	stem := g.stem()
	switch f {
	case "text-body":
		m.text = d.text() + "\n" + signature(r, g.part)
	case "html-body":
		m.text = d.text() + "\n" + signature(r, g.part)
		m.html = htmlDoc(d, signature(r, g.part))
	case "docx":
		m.atts = []attachment{{stem + ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx(d, r.IntN(2) == 0)}}
	case "pdf":
		p := newPDF(false, variant(r, g.part, pdfModes))
		for _, l := range d.paras {
			p.line(l, 10.5)
		}
		for _, t := range d.tables {
			p.grid(t)
		}
		m.atts = []attachment{{stem + ".pdf", "application/pdf", p.bytes()}}
	}
	records := 0
	if hold {
		records = 1
	}
	g.add(layout, f, hold, records, m)
}

// encrypted adds password-protected ZIPs ("PPAP"), with and without
// personal data inside: neither may pass as clean.
func (g *generator) encrypted() {
	r := g.r
	for i, l := range variants(g.part, listLayouts)[:2] {
		t := customerTable(r, g.part, l, 20)
		inner := zipEntry{g.stem() + ".csv", mustSJIS(csvBytes(t.strings(), ','))}
		if i == 1 {
			inner = zipEntry{g.stem() + ".xlsx", xlsx([]sheet{{"Sheet1", t}}, xlsxOpts{})}
		}
		m := message{subject: "【パスワード別送】" + g.subject(), text: coverText(r, g.part) + "\nパスワードは別メールにてお送りします。\n",
			atts: []attachment{{g.stem() + ".zip", "application/x-zip-compressed", makeZip(r, []zipEntry{inner}, zipOpts{password: "Pw" + fmt.Sprint(100000+r.IntN(900000)), cp932Names: true})}}}
		g.add(l.name, "zip-encrypted", true, 20, m)
	}
	for _, l := range variants(g.part, negLayouts)[:2] {
		t := l.build(r, g.part, 30)
		m := message{subject: "【パスワード別送】" + g.subject(), text: coverText(r, g.part),
			atts: []attachment{{g.stem() + ".zip", "application/zip", makeZip(r, []zipEntry{{g.stem() + ".csv", csvBytes(t.strings(), ',')}}, zipOpts{password: "secret-" + fmt.Sprint(r.IntN(1000))})}}}
		g.add(l.name, "zip-encrypted", true, 0, m)
	}
}

func titleRows(t table) [][]string {
	var out [][]string
	for _, l := range t.title {
		out = append(out, []string{l})
	}
	return out
}

// csvBytes writes rows as Excel does: CRLF, quotes only where needed.
func csvBytes(rows [][]string, sep rune) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = sep
	w.UseCRLF = true
	w.WriteAll(rows)
	return buf.Bytes()
}

func mustSJIS(b []byte) []byte {
	if sj, err := japanese.ShiftJIS.NewEncoder().Bytes(b); err == nil {
		return sj
	}
	return b
}

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func tabText(rows [][]string) string {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString(strings.Join(row, "\t") + "\n")
	}
	return b.String()
}

func htmlTable(intro string, t table) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div style="font-family:'MS PGothic'">`)
	b.WriteString("<p>お世話になっております。<br>下記のとおりです。</p>\n")
	for _, l := range t.title {
		b.WriteString("<p><b>" + html.EscapeString(l) + "</b></p>\n")
	}
	b.WriteString(`<table border="1" cellspacing="0" cellpadding="2" style="border-collapse:collapse">` + "\n")
	for _, row := range t.rows {
		b.WriteString("<tr>")
		for _, c := range row {
			b.WriteString(`<td nowrap style="font-size:10pt">` + html.EscapeString(c.text) + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table></div></body></html>\n")
	return b.String()
}

// htmlDoc writes a document the way Outlook's editor does: paragraphs,
// lines starting with "・" as a bullet list, tables as tables.
func htmlDoc(d document, sig string) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>` + "\n")
	inList := false
	for _, p := range d.paras {
		if rest, ok := strings.CutPrefix(p, "・"); ok {
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + html.EscapeString(rest) + "</li>\n")
			continue
		}
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
		b.WriteString(`<p class="MsoNormal">` + html.EscapeString(p) + "<o:p></o:p></p>\n")
	}
	if inList {
		b.WriteString("</ul>\n")
	}
	for _, t := range d.tables {
		b.WriteString(`<table class="MsoTableGrid" border="1">` + "\n")
		for _, row := range t {
			b.WriteString("<tr>")
			for _, c := range row {
				b.WriteString("<td>" + html.EscapeString(c) + "</td>")
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(sig), "\n", "<br>\n") + "</p>\n</body></html>\n")
	return b.String()
}
