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
	"math/rand/v2"

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
func Page(texts []Text) []byte { return RotatedPage(0, texts) }

// RotatedPage is Page on a page with /Rotate rotate (0, 90, 180, 270):
// the texts' positions are where they appear on screen (an A4 page turned
// to landscape for 90 and 270), and they are written into the rotated
// page space the way a scanner or a "rotate page" command leaves them.
func RotatedPage(rotate int, texts []Text) []byte {
	var content bytes.Buffer
	pageText(&content, rotate, texts)
	return extracttest.BuildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>", rotate),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.Bytes()),
		cidFont,
		cidDescendant,
		cidDescriptor,
	)
}

// A non-embedded Japanese CID font (objects 5, 6, 7 of the pages above).
const (
	cidFont       = "<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /UniJIS-UCS2-H /DescendantFonts [6 0 R] >>"
	cidDescendant = "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500 231 632 500] >>"
	cidDescriptor = "<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 6 /FontBBox [-123 -257 1001 910] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 709 /StemV 69 >>"
)

// pageText writes texts as content stream operators.
func pageText(content *bytes.Buffer, rotate int, texts []Text) {
	for _, t := range texts {
		// Display (X, Y) to page space, and a text matrix that runs the
		// text along the display's x axis.
		a, b, c, d, e, f := 1.0, 0.0, 0.0, 1.0, t.X, t.Y
		switch rotate {
		case 90:
			a, b, c, d, e, f = 0, 1, -1, 0, 595-t.Y, t.X
		case 180:
			a, b, c, d, e, f = -1, 0, 0, -1, 595-t.X, 842-t.Y
		case 270:
			a, b, c, d, e, f = 0, -1, 1, 0, t.Y, 842-t.X
		}
		fmt.Fprintf(content, "BT /F1 %.1f Tf %g %g %g %g %.2f %.2f Tm <", t.Size, a, b, c, d, e, f)
		for _, r := range t.S {
			if r > 0xffff {
				r = '?'
			}
			fmt.Fprintf(content, "%04X", r)
		}
		content.WriteString("> Tj ET\n")
	}
}

// WithPhoto returns Page(texts) with a photo of about mib MiB under the
// text (a JPEG stream of random bytes: text extraction never decodes
// it), the size of a scanned or photo-heavy attachment.
func WithPhoto(texts []Text, mib int) []byte {
	var content bytes.Buffer
	content.WriteString("q 595 0 0 842 0 0 cm /Im1 Do Q\n")
	pageText(&content, 0, texts)
	photo := make([]byte, mib<<20)
	rnd := rand.NewChaCha8([32]byte{1})
	rnd.Read(photo)
	return extracttest.BuildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 8 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.Bytes()),
		cidFont,
		cidDescendant,
		cidDescriptor,
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 4000 /Height 3000 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", len(photo), photo),
	)
}
