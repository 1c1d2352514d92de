package extract

// Location says where extracted content came from. It mirrors
// detect.Location; the scan package converts between the two.
type Location struct {
	Part  string // MIME part number, "1.2"; empty for a bare file
	Path  string // path inside containers, "a.zip/b.docx/word/document.xml"
	Sheet string // sheet or table name inside a spreadsheet
}

// Sink receives extracted content. Implementations copy what they keep:
// extractors reuse the byte slices they pass.
type Sink interface {
	// Text starts a stream of free text. Writes may split anywhere, even
	// inside a UTF-8 sequence.
	Text(loc Location) TextWriter
	// Table starts a table; each Row holds the cells of one row.
	Table(loc Location) TableWriter
}

// TextWriter receives UTF-8 text in chunks of any size.
type TextWriter interface {
	Write(p []byte) (int, error)
	Close() error
}

// TableWriter receives table rows. The cells and their bytes are only
// valid during the call.
type TableWriter interface {
	Row(cells [][]byte) error
	Close() error
}
