package corpus

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"strings"
)

// sheet is one worksheet of a workbook.
type sheet struct {
	name string
	t    table
}

// xlsxOpts are the ways real workbooks differ: Excel writes shared
// strings, other producers (CRM exports, openpyxl) inline strings.
type xlsxOpts struct {
	inline bool
}

// xlsx writes a minimal but complete SpreadsheetML workbook: content
// types, relationships, workbook, styles (a date number format), shared
// strings, and one worksheet per sheet with merged title rows.
func xlsx(sheets []sheet, o xlsxOpts) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, _ := z.Create(name)
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + body))
	}
	var ct, rels, wb strings.Builder
	ct.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	wb.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets>`)
	sst := &sharedStrings{index: map[string]int{}}
	for i, s := range sheets {
		n := i + 1
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, html.EscapeString(s.name), n, n)
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", n), worksheet(s.t, sst, o))
	}
	k := len(sheets)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, k+1)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, k+2)
	ct.WriteString(`</Types>`)
	rels.WriteString(`</Relationships>`)
	wb.WriteString(`</sheets></workbook>`)
	put("[Content_Types].xml", ct.String())
	put("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", wb.String())
	put("xl/_rels/workbook.xml.rels", rels.String())
	// style 1 is numFmt 14 (the locale's short date, yyyy/m/d in Japan)
	put("xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="游ゴシック"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`)
	put("xl/sharedStrings.xml", sst.xml())
	z.Close()
	return buf.Bytes()
}

type sharedStrings struct {
	list  []string
	index map[string]int
	count int
}

func (s *sharedStrings) add(v string) int {
	s.count++
	if i, ok := s.index[v]; ok {
		return i
	}
	s.index[v] = len(s.list)
	s.list = append(s.list, v)
	return len(s.list) - 1
}

func (s *sharedStrings) xml() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, s.count, len(s.list))
	for _, v := range s.list {
		b.WriteString(`<si><t xml:space="preserve">` + html.EscapeString(v) + `</t></si>`)
	}
	b.WriteString(`</sst>`)
	return b.String()
}

func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func worksheet(t table, sst *sharedStrings, o xlsxOpts) string {
	width := 1
	for _, row := range t.rows {
		width = max(width, len(row))
	}
	var b strings.Builder
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>`)
	rowNum := 0
	var merges []string
	for _, title := range t.title {
		rowNum++
		fmt.Fprintf(&b, `<row r="%d">`, rowNum)
		writeCell(&b, fmt.Sprintf("A%d", rowNum), cell{text: title}, sst, o)
		b.WriteString(`</row>`)
		merges = append(merges, fmt.Sprintf("A%d:%s%d", rowNum, colName(width-1), rowNum))
	}
	if len(t.title) > 0 {
		rowNum++ // an empty row between title and table, as people leave one
	}
	for _, row := range t.rows {
		rowNum++
		fmt.Fprintf(&b, `<row r="%d">`, rowNum)
		for i, c := range row {
			if c.text == "" && !c.date {
				continue // Excel omits empty cells
			}
			writeCell(&b, fmt.Sprintf("%s%d", colName(i), rowNum), c, sst, o)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData>`)
	if len(merges) > 0 {
		fmt.Fprintf(&b, `<mergeCells count="%d">`, len(merges))
		for _, m := range merges {
			fmt.Fprintf(&b, `<mergeCell ref="%s"/>`, m)
		}
		b.WriteString(`</mergeCells>`)
	}
	b.WriteString(`</worksheet>`)
	return b.String()
}

func writeCell(b *strings.Builder, ref string, c cell, sst *sharedStrings, o xlsxOpts) {
	switch {
	case c.date:
		fmt.Fprintf(b, `<c r="%s" s="1"><v>%d</v></c>`, ref, c.serial)
	case isPlainNumber(c.text):
		fmt.Fprintf(b, `<c r="%s"><v>%s</v></c>`, ref, c.text)
	case o.inline:
		fmt.Fprintf(b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, html.EscapeString(c.text))
	default:
		fmt.Fprintf(b, `<c r="%s" t="s"><v>%d</v></c>`, ref, sst.add(c.text))
	}
}

// isPlainNumber reports whether Excel would store s as a number: digits
// without a leading zero and short enough to survive as a double (Excel
// turns longer ones into 1.23E+11, so people format them as text).
func isPlainNumber(s string) bool {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
