// Package cfb reads OLE2 compound files (legacy Office): BIFF8 workbooks
// (XLS, shared strings with CONTINUE records, cell notes), Word 97-2003
// documents (DOC, via the piece table), PowerPoint 97-2003 (PPT text
// atoms) and Outlook items (MSG: string properties and attachments).
//
// Encryption is recognised in every form okuri knows: an OOXML file
// encrypted with a password is a compound file with an EncryptedPackage
// stream; XLS has a FILEPASS record, DOC the fEncrypted/fObfuscated FIB
// flags, PPT a CryptSession10Container. All are extract.ErrEncrypted.
// Any other compound file is unscannable, never clean.
package cfb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/okuri/okuri/policy/extract"
)

// Doc is one compound file to extract.
type Doc struct {
	R    io.ReaderAt
	Size int64
	Sink extract.Sink
	Loc  extract.Location
	// Budget charges the bytes read from streams and carries the deadline.
	Budget *extract.Budget
	// Nested scans an embedded file (an Outlook attachment); nil makes
	// such content unscannable.
	Nested func(name string, data []byte) error
}

// ErrUnsupported is returned for compound files of unknown kinds.
var ErrUnsupported = errors.New("unsupported OLE2 document")

// Extract reads d.
func Extract(d Doc) error {
	r, err := openCFB(d.R)
	if err != nil {
		return extract.Malformed("compound file", err)
	}
	streams := map[string]*mscfb.File{}
	for _, f := range r.File {
		p := strings.Join(append(append([]string(nil), f.Path...), f.Name), "/")
		if _, dup := streams[p]; !dup {
			streams[p] = f
		}
	}
	if streams["EncryptedPackage"] != nil || streams["EncryptionInfo"] != nil {
		return extract.ErrEncrypted
	}
	x := &cfbDoc{Doc: d, streams: streams}
	switch {
	case streams["Workbook"] != nil || streams["Book"] != nil:
		return x.xls()
	case streams["WordDocument"] != nil:
		return x.word()
	case streams["PowerPoint Document"] != nil:
		return x.ppt()
	case hasPrefix(streams, "__substg1.0_"):
		return x.msg()
	}
	return ErrUnsupported
}

// openCFB wraps mscfb.New: panics in the third-party reader are turned
// into errors, a hostile file must not take the gateway down.
func openCFB(ra io.ReaderAt) (r *mscfb.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("compound file reader panic")
		}
	}()
	return mscfb.New(ra)
}

type cfbDoc struct {
	Doc
	streams map[string]*mscfb.File
}

func hasPrefix(m map[string]*mscfb.File, p string) bool {
	for k := range m {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// read returns a whole stream, bounded by the file size (a stream cannot
// be larger than its container) and charged to the budget.
func (x *cfbDoc) read(name string) ([]byte, error) {
	f := x.streams[name]
	if f == nil {
		return nil, extract.Malformed("compound file", fmt.Errorf("missing stream %s", name))
	}
	return x.readFile(f)
}

// open returns a stream as a reader bounded like read.
func (x *cfbDoc) open(name string) (io.Reader, error) {
	f := x.streams[name]
	if f == nil {
		return nil, extract.Malformed("compound file", fmt.Errorf("missing stream %s", name))
	}
	if f.Size < 0 || f.Size > x.Size {
		return nil, extract.Malformed("compound file", fmt.Errorf("stream larger than file"))
	}
	return x.Budget.Reader(safeReader{f}, f.Size, extract.LimitFileSize), nil
}

// safeReader turns panics of the third-party stream reader into errors.
type safeReader struct{ f *mscfb.File }

func (s safeReader) Read(p []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("compound file reader panic")
		}
	}()
	return s.f.Read(p)
}

func (x *cfbDoc) readFile(f *mscfb.File) (data []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			data, err = nil, extract.Malformed("compound file stream", fmt.Errorf("reader panic"))
		}
	}()
	if f.Size < 0 || f.Size > x.Size {
		return nil, extract.Malformed("compound file", fmt.Errorf("stream larger than file"))
	}
	var buf bytes.Buffer
	buf.Grow(int(f.Size))
	_, err = io.Copy(&buf, x.Budget.Reader(io.LimitReader(f, f.Size), 0, ""))
	if err != nil {
		if _, ok := extract.IsLimit(err); ok {
			return nil, err
		}
		return nil, extract.Malformed("compound file stream", err)
	}
	return buf.Bytes(), nil
}
