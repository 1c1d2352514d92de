package scan

import (
	"strings"
	"testing"
)

// Minimal office packages built in code: enough structure for okuri's
// reader, written the way Excel/Word/LibreOffice write it.

func xlsxFixture(t testing.TB) []byte {
	return mkzip(t,
		zent{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0"?><Types/>`)},
		zent{name: "xl/workbook.xml", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="顧客" sheetId="1" r:id="rId1"/><sheet name="秘密" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>`)},
		zent{name: "xl/_rels/workbook.xml.rels", data: []byte(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x" Target="/xl/worksheets/sheet2.xml"/></Relationships>`)},
		zent{name: "xl/sharedStrings.xml", data: []byte(`<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5"><si><t>氏名</t></si><si><t>電話番号</t></si><si><r><t>山田</t></r><r><rPr><b/></rPr><t>太郎</t></r><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si><si><t xml:space="preserve">佐藤 &amp; 花子</t></si><si><t>住所</t></si></sst>`)},
		zent{name: "xl/worksheets/sheet1.xml", data: []byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>27000</v></c><c r="C2" t="inlineStr"><is><t>090-1234-5678</t></is></c></row><row r="3"><c r="A3" t="s"><v>3</v></c><c r="C3" t="str"><f>CONCAT("080-","2345-6789")</f><v>080-2345-6789</v></c></row></sheetData></worksheet>`)},
		zent{name: "xl/worksheets/sheet2.xml", data: []byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hidden-value</t></is></c></row></sheetData></worksheet>`)},
		zent{name: "xl/comments1.xml", data: []byte(`<comments><commentList><comment ref="A2"><text><r><t>要確認コメント</t></r></text></comment></commentList></comments>`)},
		zent{name: "docProps/core.xml", data: []byte(`<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:creator>作成者名</dc:creator></cp:coreProperties>`)},
		zent{name: "xl/styles.xml", data: []byte(`<styleSheet><numFmts><numFmt formatCode="STYLE-NOT-TEXT"/></numFmts></styleSheet>`)},
		zent{name: "xl/pivotCache/pivotCacheRecords1.xml", data: []byte(`<pivotCacheRecords><r><s v="ピボット山田"/><n v="42"/></r></pivotCacheRecords>`)},
	)
}

func docxFixture(t testing.TB) []byte {
	return mkzip(t,
		zent{name: "[Content_Types].xml", data: []byte(`<Types/>`)},
		zent{name: "word/document.xml", data: []byte(`<?xml version="1.0"?><w:document xmlns:w="w" xmlns:mc="mc"><w:body>
<w:p><w:r><w:t>契約者</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>：山</w:t></w:r><w:r><w:t>田太郎</w:t></w:r><w:r><w:tab/><w:t>電話</w:t></w:r><w:r><w:t xml:space="preserve"> 090-1234-</w:t></w:r><w:r><w:t>5678</w:t></w:r></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "FIELDCODE"</w:instrText></w:r><w:r><w:t>リンク</w:t></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>箱の中</w:t></mc:Choice><mc:Fallback><w:t>FALLBACK</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>氏名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>電話番号</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>佐藤</w:t></w:r><w:r><w:t>花子</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>080-2345-6789</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>`)},
		zent{name: "word/footer1.xml", data: []byte(`<w:ftr xmlns:w="w"><w:p><w:r><w:t>フッター</w:t></w:r></w:p></w:ftr>`)},
		zent{name: "word/comments.xml", data: []byte(`<w:comments xmlns:w="w"><w:comment><w:p><w:r><w:t>コメント本文</w:t></w:r></w:p></w:comment></w:comments>`)},
		zent{name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", data: xlsxFixture(t)},
		zent{name: "word/media/image1.png", data: []byte("\x89PNG\r\n\x1a\n")},
	)
}

func pptxFixture(t testing.TB) []byte {
	return mkzip(t,
		zent{name: "ppt/presentation.xml", data: []byte(`<p:presentation xmlns:p="p"/>`)},
		zent{name: "ppt/slides/slide1.xml", data: []byte(`<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>スライド</a:t></a:r><a:r><a:t>本文</a:t></a:r></a:p></p:txBody></p:sp>
<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody><a:p><a:r><a:t>氏名</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>携帯</a:t></a:r></a:p></a:txBody></a:tc></a:tr><a:tr><a:tc><a:txBody><a:p><a:r><a:t>山田太郎</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>090-1234-5678</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>`)},
		zent{name: "ppt/notesSlides/notesSlide1.xml", data: []byte(`<p:notes xmlns:p="p" xmlns:a="a"><a:p><a:r><a:t>ノート</a:t></a:r></a:p></p:notes>`)},
	)
}

func odsFixture(t testing.TB) []byte {
	return mkzip(t,
		zent{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.spreadsheet"), store: true},
		zent{name: "content.xml", data: []byte(`<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
<table:table table:name="名簿"><table:table-row><table:table-cell office:value-type="string"><text:p>氏名</text:p></table:table-cell><table:table-cell/><table:table-cell><text:p>電話</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1000"/></table:table-row>
<table:table-row><table:table-cell><text:p>山田<text:span>太郎</text:span></text:p></table:table-cell><table:table-cell/><table:table-cell><text:p>090-1234-5678</text:p><office:annotation><text:p>注記</text:p></office:annotation></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>`)},
		zent{name: "meta.xml", data: []byte(`<office:document-meta xmlns:office="o" xmlns:meta="m"><office:meta><meta:initial-creator>作成者</meta:initial-creator></office:meta></office:document-meta>`)},
	)
}

func odtFixture(t testing.TB) []byte {
	return mkzip(t,
		zent{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.text"), store: true},
		zent{name: "content.xml", data: []byte(`<office:document-content xmlns:office="o" xmlns:text="x"><office:body><office:text><text:h>見出し</text:h><text:p>山田<text:s text:c="2"/>太郎<text:tab/>090-1234-5678</text:p></office:text></office:body></office:document-content>`)},
	)
}

func TestOffice(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		data    func(t testing.TB) []byte
		text    []string
		rows    []string
		absent  []string
		sheet   string
		verdict Verdict
	}{
		{
			name:    "xlsx",
			file:    "顧客.xlsx",
			data:    xlsxFixture,
			rows:    []string{"氏名||電話番号", "山田太郎|27000|090-1234-5678", "佐藤 & 花子||080-2345-6789", "hidden-value"},
			text:    []string{"要確認コメント", "作成者名", "ピボット山田"},
			absent:  []string{"ヤマダ", "STYLE-NOT-TEXT"},
			sheet:   "顧客",
			verdict: PersonalData,
		},
		{
			name:    "docx",
			file:    "a.docx",
			data:    docxFixture,
			text:    []string{"契約者：山田太郎\t電話 090-1234-5678", "リンク", "箱の中", "フッター", "コメント本文"},
			rows:    []string{"氏名|電話番号", "佐藤花子|080-2345-6789", "山田太郎|27000|090-1234-5678"},
			absent:  []string{"FIELDCODE", "FALLBACK"},
			verdict: PersonalData,
		},
		{
			name:    "pptx",
			file:    "a.pptx",
			data:    pptxFixture,
			text:    []string{"スライド本文", "ノート"},
			rows:    []string{"山田太郎|090-1234-5678"},
			verdict: PersonalData,
		},
		{
			name:    "ods",
			file:    "a.ods",
			data:    odsFixture,
			rows:    []string{"氏名||電話", "山田太郎||090-1234-5678 注記"},
			text:    []string{"作成者"},
			sheet:   "名簿",
			verdict: PersonalData,
		},
		{
			name:    "odt",
			file:    "a.odt",
			data:    odtFixture,
			text:    []string{"見出し", "山田  太郎\t090-1234-5678"},
			verdict: Clean,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, sink := newTest(t)
			res := scanFile(t, s, tc.file, tc.data(t))
			all := sink.AllText()
			for _, w := range tc.text {
				if !strings.Contains(all, w) {
					t.Errorf("text %q missing:\n%s", w, all)
				}
			}
			rows := strings.Join(sink.Rows(), "\n")
			for _, w := range tc.rows {
				if !strings.Contains(rows, w) {
					t.Errorf("row %q missing; rows:\n%s", w, rows)
				}
			}
			for _, w := range tc.absent {
				if strings.Contains(all, w) {
					t.Errorf("%q must not be extracted", w)
				}
			}
			if tc.sheet != "" {
				found := false
				for loc := range sink.Tables {
					found = found || loc.Sheet == tc.sheet
				}
				if !found {
					t.Errorf("no table with sheet %q", tc.sheet)
				}
			}
			if res.Verdict != tc.verdict && tc.verdict != Clean {
				t.Errorf("verdict %s want %s (%q)", res.Verdict, tc.verdict, res.Reasons)
			}
			if res.Verdict == Unscannable || res.Verdict == Encrypted {
				t.Errorf("verdict %s: %q", res.Verdict, res.Reasons)
			}
		})
	}
}

func TestOfficeEncryptedEntry(t *testing.T) {
	z := mkzip(t,
		zent{name: "word/document.xml", data: []byte(`<w:document/>`), flags: 1},
	)
	s, _ := newTest(t)
	res := scanFile(t, s, "a.docx", z)
	if res.Verdict != Encrypted {
		t.Fatalf("verdict %s %q", res.Verdict, res.Reasons)
	}
}

func TestXMLEntities(t *testing.T) {
	z := mkzip(t,
		zent{name: "word/document.xml", data: []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><w:document><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:document>`)},
	)
	s, _ := newTest(t)
	res := scanFile(t, s, "a.docx", z)
	if res.Verdict != Unscannable || !hasReason(res, "xml_entities") {
		t.Fatalf("verdict %s %q", res.Verdict, res.Reasons)
	}
}

func TestODFEncrypted(t *testing.T) {
	z := mkzip(t,
		zent{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.text"), store: true},
		zent{name: "content.xml", data: []byte("\x8f\x12 encrypted bytes \x00\x01")},
		zent{name: "META-INF/manifest.xml", data: []byte(`<manifest:manifest xmlns:manifest="m"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry></manifest:manifest>`)},
	)
	s, _ := newTest(t)
	res := scanFile(t, s, "secret.odt", z)
	if res.Verdict != Encrypted {
		t.Fatalf("verdict %s %q", res.Verdict, res.Reasons)
	}
}
