package scan

import (
	"errors"
	"io"
	"strings"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/vcard"
)

// file is one decoded file to scan: a MIME part body, an archive entry,
// or a bare file.
type file struct {
	loc     extract.Location // Part, and Path including this file's name
	name    string
	ctype   string // declared MIME type, if any
	charset string // declared charset, if any
	ra      io.ReaderAt
	size    int64
	depth   int
	part    int // index of this file's part (parent of what it contains)
}

// head returns up to n leading bytes.
func (f *file) head(n int) ([]byte, error) {
	b := make([]byte, min(int64(n), f.size))
	m, err := f.ra.ReadAt(b, 0)
	if m == len(b) {
		return b, nil
	}
	if errors.Is(err, io.EOF) {
		return b[:m], nil
	}
	return nil, err
}

// reader returns the file as a stream charged to the scan budget.
func (r *run) reader(f *file) io.Reader {
	return r.budget.Reader(io.NewSectionReader(f.ra, 0, f.size), 0, "")
}

// scanPart records a bare file or a file found inside f.part (its parent
// part) as a part of its own, then scans it.
func (r *run) scanPart(f *file, attachment bool, ctype string) error {
	p := Part{
		Path:        f.loc.Part + "/" + f.loc.Path,
		Name:        f.name,
		ContentType: ctype,
		Size:        f.size,
		Attachment:  attachment,
	}
	idx := r.addPart(p, f.loc, false, f.part)
	f.part = idx
	return r.runFile(idx, f)
}

// runFile scans f and records the outcome on part idx. It returns only
// errors that must abort the whole scan.
func (r *run) runFile(idx int, f *file) error {
	kind, err := r.scanFile(idx, f)
	if r.parts[idx].ContentType == "" || r.parts[idx].ContentType == "application/octet-stream" {
		r.parts[idx].ContentType = string(kind)
	}
	if err == nil {
		return nil
	}
	if r.fatal(err) {
		return err
	}
	v, reason := classify(string(kind), err)
	r.setPart(idx, v, reason)
	return nil
}

// scanFile dispatches on the sniffed format. A panic in an extractor (a
// parser bug met by hostile input) makes the part unscannable instead of
// taking the gateway down.
func (r *run) scanFile(idx int, f *file) (kind format, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = unscannable("internal error reading %s", kind)
		}
	}()
	if err := r.budget.Err(); err != nil {
		return "", err
	}
	if f.depth > r.lim.MaxDepth {
		return "", &extract.LimitError{Limit: extract.LimitDepth}
	}
	head, err := f.head(4096)
	if err != nil {
		return "", err
	}
	kind = sniff(f.name, f.ctype, head)
	switch kind {
	case fmtEmpty:
		return kind, nil
	case fmtZip:
		return kind, r.zip(idx, f)
	case fmtGzip:
		return kind, r.gzip(f)
	case fmtTar:
		return kind, r.tar(f)
	case fmtCFB:
		return kind, r.cfb(f)
	case fmtPDF:
		return kind, r.pdf(f)
	case fmtPGP:
		return kind, errors.Join(extract.ErrEncrypted, errors.New("OpenPGP message"))
	case fmt7z:
		return kind, r.sevenZip(f)
	case fmtRAR:
		// Without a decoder the contents cannot be listed or read; the
		// issue treats such archives as encrypted (never clean).
		return kind, errors.Join(extract.ErrEncrypted, errors.New(string(kind)))
	case fmtTNEF:
		return kind, r.tnef(f)
	case fmtImage:
		r.parts[idx].Reason = "image or media not inspected (no OCR)"
		return kind, nil
	case fmtMessage:
		return kind, r.message(r.reader(f), f.loc.Part, f.depth+1, idx)
	case fmtRTF:
		return kind, r.rtf(f)
	case fmtVCard:
		return kind, vcard.Extract(r.reader(f), r.sink, f.loc)
	}
	err = r.text(f, kind, head)
	var u *unscannableError
	if claimsPDF(f.name, f.ctype) && (err == nil || errors.As(err, &u)) {
		// Named or typed as a PDF but none by content: no reader opens
		// it, so it is not clean, though its text is scanned above (a
		// list renamed to .pdf is still found).
		err = unscannable("not a PDF: no %%PDF- header in the first %d bytes", pdfHeaderWithin)
	}
	return kind, err
}

// nestedName joins a container path and an entry name.
func nestedName(parent, name string) string {
	name = strings.TrimPrefix(name, "/")
	if parent == "" {
		return name
	}
	return parent + "/" + name
}
