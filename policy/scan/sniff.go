package scan

import (
	"bytes"
	"path"
	"strings"
)

// format is a file format as recognised by sniff.
type format string

const (
	fmtZip     format = "zip"
	fmtGzip    format = "gzip"
	fmtCFB     format = "ole2"
	fmtPDF     format = "pdf"
	fmt7z      format = "7z"
	fmtRAR     format = "rar"
	fmtRTF     format = "rtf"
	fmtTNEF    format = "tnef"
	fmtImage   format = "image" // images, audio, video: no text to read
	fmtHTML    format = "html"
	fmtXML     format = "xml"
	fmtCSV     format = "csv"
	fmtTSV     format = "tsv"
	fmtText    format = "text"
	fmtMessage format = "message"
	fmtVCard   format = "vcard"
	fmtJSON    format = "json"
	fmtPGP     format = "pgp"
	fmtTar     format = "tar"
	fmtEmpty   format = "empty"
)

// sniff decides a file's format from its leading bytes first (content
// beats names: a renamed .xlsx is still a zip), then from the declared
// MIME type and the file name extension.
func sniff(name, ctype string, head []byte) format {
	ext := strings.ToLower(path.Ext(name))
	ctype = strings.ToLower(ctype)
	switch {
	case len(head) == 0:
		return fmtEmpty
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")),
		bytes.HasPrefix(head, []byte("PK\x07\x08")):
		return fmtZip
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return fmtCFB
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return fmtGzip
	case bytes.HasPrefix(head, []byte("7z\xBC\xAF\x27\x1C")):
		return fmt7z
	case bytes.HasPrefix(head, []byte("Rar!\x1A\x07")):
		return fmtRAR
	case bytes.HasPrefix(head, []byte{0x78, 0x9F, 0x3E, 0x22}):
		return fmtTNEF
	case bytes.HasPrefix(head, []byte(`{\rtf`)):
		return fmtRTF
	case hasPDFHeader(head):
		return fmtPDF
	case len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar")):
		return fmtTar
	case isImageMagic(head), isMediaMagic(head):
		// By content only: a declared image/* type must not let a CSV
		// through unread.
		return fmtImage
	case bytes.Contains(head[:min(len(head), 1024)], []byte("-----BEGIN PGP MESSAGE-----")):
		return fmtPGP
	}
	switch {
	case ext == ".csv" || ctype == "text/csv" || ctype == "text/comma-separated-values":
		return fmtCSV
	case ext == ".tsv" || ctype == "text/tab-separated-values":
		return fmtTSV
	case ext == ".htm" || ext == ".html" || ctype == "text/html" || looksHTML(head):
		return fmtHTML
	case ext == ".vcf" || ext == ".vcard" || ctype == "text/vcard" || ctype == "text/x-vcard" || ctype == "text/directory" ||
		bytes.HasPrefix(bytes.ToUpper(bytes.TrimLeft(head[:min(len(head), 64)], " \t\r\n\xef\xbb\xbf")), []byte("BEGIN:VCARD")):
		return fmtVCard
	case ext == ".json" || ctype == "application/json":
		return fmtJSON
	case ext == ".eml" || ctype == "message/rfc822":
		return fmtMessage
	case ext == ".xml" || ctype == "text/xml" || ctype == "application/xml" || bytes.HasPrefix(head, []byte("<?xml")):
		return fmtXML
	case ext == ".dat" && strings.EqualFold(path.Base(name), "winmail.dat"), ctype == "application/ms-tnef", ctype == "application/vnd.ms-tnef":
		return fmtTNEF
	}
	return fmtText
}

// pdfHeaderWithin is how far into a file a PDF header may start: PDF
// readers, PDFium among them, allow junk before it up to offset 1024.
const pdfHeaderWithin = 1024

// hasPDFHeader reports whether "%PDF-" starts within the first
// pdfHeaderWithin bytes of head.
func hasPDFHeader(head []byte) bool {
	return bytes.Contains(head[:min(len(head), pdfHeaderWithin+len("%PDF-"))], []byte("%PDF-"))
}

// claimsPDF reports whether a file's name or declared type says it is a
// PDF.
func claimsPDF(name, ctype string) bool {
	ctype = strings.ToLower(ctype)
	return strings.EqualFold(path.Ext(name), ".pdf") || ctype == "application/pdf" || ctype == "application/x-pdf"
}

func isImageMagic(h []byte) bool {
	for _, m := range [][]byte{
		[]byte("\x89PNG\r\n\x1a\n"), {0xFF, 0xD8, 0xFF}, []byte("GIF87a"), []byte("GIF89a"),
		[]byte("II*\x00"), []byte("MM\x00*"), []byte("BM"),
	} {
		if bytes.HasPrefix(h, m) {
			return true
		}
	}
	return len(h) >= 12 && bytes.Equal(h[:4], []byte("RIFF")) && bytes.Equal(h[8:12], []byte("WEBP"))
}

// isMediaMagic recognises common audio and video containers.
func isMediaMagic(h []byte) bool {
	switch {
	case bytes.HasPrefix(h, []byte("ID3")), bytes.HasPrefix(h, []byte{0xFF, 0xFB}):
		return true // MP3
	case len(h) >= 12 && bytes.Equal(h[:4], []byte("RIFF")) && (bytes.Equal(h[8:12], []byte("WAVE")) || bytes.Equal(h[8:12], []byte("AVI "))):
		return true
	case len(h) >= 12 && bytes.Equal(h[4:8], []byte("ftyp")):
		return true // MP4, MOV, M4A, HEIC
	}
	return false
}

func looksHTML(h []byte) bool {
	h = bytes.TrimLeft(h[:min(len(h), 512)], " \t\r\n\xef\xbb\xbf")
	l := bytes.ToLower(h[:min(len(h), 64)])
	return bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html"))
}
