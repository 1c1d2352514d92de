// Package pdftest builds hostile and unusual PDFs for tests: a flate bomb
// and documents with embedded files. They are built in code rather than
// committed because their point is their size or structure, not the
// producer that wrote them.
package pdftest

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"

	"github.com/okuri/okuri/policy/extract/extracttest"
)

// zeroChunks returns the deflate encoding (best compression, flushed) of
// the first MiB of a run of zeros and of every later MiB: once its window
// is all zeros compress/flate writes the same bytes for each further MiB,
// so n MiB of zeros is the first chunk and n-1 copies of the second.
func zeroChunks() (first, next []byte) {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	z := make([]byte, 1<<20)
	chunk := func() []byte {
		w.Write(z)
		w.Flush()
		c := bytes.Clone(buf.Bytes())
		buf.Reset()
		return c
	}
	first, next = chunk(), chunk()
	if !bytes.Equal(next, chunk()) {
		panic("pdftest: flate output of zeros is not periodic")
	}
	return first, next
}

// Zeros returns a zlib stream (as /FlateDecode wants) that inflates to
// mib MiB of zero bytes, about 1 KiB per MiB.
func Zeros(mib int) []byte {
	first, next := zeroChunks()
	var b bytes.Buffer
	b.Write([]byte{0x78, 0xda})
	b.Write(first)
	for i := 1; i < mib; i++ {
		b.Write(next)
	}
	b.Write([]byte{0x03, 0x00}) // final empty fixed-Huffman block
	// Adler-32 of n zeros: a stays 1, b adds 1 per byte.
	n := uint64(mib) << 20
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], uint32(n%65521)<<16|1)
	b.Write(tail[:])
	return b.Bytes()
}

// FlateBomb returns a one-page PDF whose page content is two streams: mib
// MiB of zeros (white space to a PDF parser) compressed about 1000:1, then
// a line of harmless text. Whoever inflates the first stream whole needs
// mib MiB; the text makes the page look ordinary once that is done.
func FlateBomb(mib int, text string) []byte {
	bomb := Zeros(mib)
	content := fmt.Sprintf("BT /F1 12 Tf 50 800 Td (%s) Tj ET", text)
	return extracttest.BuildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >> /Contents [4 0 R 5 0 R] >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(bomb), bomb),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	)
}

// FileAnnotation returns a one-page PDF with a line of text and a
// file-attachment annotation (the paper-clip icon Acrobat's "Attach File"
// comment tool places) carrying data as name. The file is not in the
// document's /EmbeddedFiles tree, only on the page.
func FileAnnotation(text, name string, data []byte) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 50 800 Td (%s) Tj ET", text)
	return extracttest.BuildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R] >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Annot /Subtype /FileAttachment /Rect [50 700 70 720] /Name /PushPin /Contents (attachment) /FS 7 0 R >>",
		fmt.Sprintf("<< /Type /Filespec /F (%s) /UF (%s) /EF << /F 8 0 R >> >>", name, name),
		fmt.Sprintf("<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream", len(data), data),
	)
}

// Text is one string drawn at X, Y (points from the bottom left of an A4
// page) in a Japanese font of the given size.
type Text struct {
	X, Y, Size float64
	S          string
}

// Page returns a one-page A4 PDF that draws texts in the given order
// with a non-embedded Japanese CID font (UniJIS-UCS2-H, Adobe-Japan1),
// the way a report engine places each field where it belongs. The order
// is the content stream's, so a table can be drawn column by column.
func Page(texts []Text) []byte {
	var content bytes.Buffer
	for _, t := range texts {
		fmt.Fprintf(&content, "BT /F1 %.1f Tf %.2f %.2f Td <", t.Size, t.X, t.Y)
		for _, r := range t.S {
			if r > 0xffff {
				r = '?'
			}
			fmt.Fprintf(&content, "%04X", r)
		}
		content.WriteString("> Tj ET\n")
	}
	return extracttest.BuildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.Bytes()),
		"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiKakuGo-W5 /Encoding /UniJIS-UCS2-H /DescendantFonts [6 0 R] >>",
		"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500 231 632 500] >>",
		"<< /Type /FontDescriptor /FontName /HeiseiKakuGo-W5 /Flags 4 /FontBBox [-92 -250 1010 922] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 737 /StemV 114 >>",
	)
}
