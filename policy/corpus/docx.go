package corpus

import (
	"archive/zip"
	"bytes"
	"html"
	"strings"
)

// document is a letter, form or memo: paragraphs, then tables.
type document struct {
	paras  []string
	tables [][][]string
}

// text renders a document as a plain-text body: tables tab-separated,
// as when pasted from Excel into a mail.
func (d document) text() string {
	var b strings.Builder
	for _, p := range d.paras {
		b.WriteString(p + "\n")
	}
	for _, t := range d.tables {
		b.WriteString("\n")
		for _, row := range t {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

// docx writes a WordprocessingML document. Word splits text into runs
// wherever formatting or proofing marks change; splitRuns imitates that
// by cutting long paragraphs into several runs.
func docx(d document, splitRuns bool) []byte {
	var body strings.Builder
	for _, p := range d.paras {
		body.WriteString(`<w:p>`)
		for _, run := range runs(p, splitRuns) {
			body.WriteString(`<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">` + html.EscapeString(run) + `</w:t></w:r>`)
		}
		body.WriteString(`</w:p>`)
	}
	for _, t := range d.tables {
		body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
		for _, row := range t {
			body.WriteString(`<w:tr>`)
			for _, c := range row {
				body.WriteString(`<w:tc><w:tcPr><w:tcW w:w="1600" w:type="dxa"/></w:tcPr><w:p>`)
				for _, run := range runs(c, splitRuns) {
					body.WriteString(`<w:r><w:t xml:space="preserve">` + html.EscapeString(run) + `</w:t></w:r>`)
				}
				body.WriteString(`</w:p></w:tc>`)
			}
			body.WriteString(`</w:tr>`)
		}
		body.WriteString(`</w:tbl><w:p/>`)
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	put := func(name, s string) {
		w, _ := z.Create(name)
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + s))
	}
	put("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	put("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	put("word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+body.String()+`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`)
	z.Close()
	return buf.Bytes()
}

// runs cuts s at a few rune positions (never inside a character).
func runs(s string, split bool) []string {
	rs := []rune(s)
	if !split || len(rs) < 8 {
		return []string{s}
	}
	a, b := len(rs)/3, 2*len(rs)/3
	return []string{string(rs[:a]), string(rs[a:b]), string(rs[b:])}
}
