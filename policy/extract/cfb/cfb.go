// Package cfb reads OLE2 compound files (legacy Office): BIFF8 workbooks
// (XLS) and Word 97-2003 documents (DOC). A compound file holding an
// EncryptedPackage stream is an encrypted OOXML document.
package cfb

import (
	"errors"
	"io"

	"github.com/okuri/okuri/policy/extract"
)

// Doc is one compound file to extract.
type Doc struct {
	R      io.ReaderAt
	Size   int64
	Sink   extract.Sink
	Loc    extract.Location
	Budget *extract.Budget
}

// Extract reads d.
func Extract(d Doc) error { return errors.New("cfb: not implemented") }
