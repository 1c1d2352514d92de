package scan

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	kflate "github.com/klauspost/compress/flate"
	"golang.org/x/text/unicode/norm"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/charset"
	"github.com/okuri/okuri/policy/extract/office"
)

// ratioExempt: entries this small may have any compression ratio; only
// large expansions are bombs.
const ratioExempt = 1 << 20

// openZip opens and validates an archive: entry count, overlapping or
// out-of-range entries (the "better zip bomb" construction, which
// archive/zip itself accepts), and decodes Shift_JIS entry names.
func (r *run) openZip(f *file) (*extract.Zip, error) {
	zr, err := zip.NewReader(f.ra, f.size)
	if err != nil {
		if errors.Is(err, zip.ErrInsecurePath) && zr != nil {
			// Names like "../x" are harmless here: nothing is written.
		} else {
			return nil, fmt.Errorf("zip: %w", err)
		}
	}
	// klauspost's inflater is markedly faster than compress/flate's on
	// office XML; registered on this reader only (no global state).
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	r.entries += len(zr.File)
	if r.entries > r.lim.MaxEntries {
		return nil, &extract.LimitError{Limit: extract.LimitEntries}
	}
	if err := checkOverlap(zr.File, f.size); err != nil {
		return nil, err
	}
	for _, e := range zr.File {
		e.Name = entryName(e)
	}
	return &extract.Zip{Files: zr.File, Open: r.openEntry}, nil
}

// entryName decodes an entry name to UTF-8. Writers disagree, and the
// UTF-8 flag (bit 11) is no guide: Windows Explorer and Lhaplus write
// CP932 without it, Info-ZIP (`zip -P`) and macOS write UTF-8 without
// it, 7-Zip sets it. So the name is taken from the Unicode Path extra
// field when one matches it, as UTF-8 when it is valid UTF-8 (Japanese
// CP932 practically never is: its lead bytes 0x81-0x9F are UTF-8
// continuation bytes), as CP932 otherwise, and is then composed (NFC):
// macOS writes テ and ゙ for デ.
func entryName(e *zip.File) string {
	name := e.Name
	if u, ok := unicodePath(e.Extra, name); ok {
		name = u
	} else if !utf8.ValidString(name) {
		if s, err := charset.DecodeString(charset.ShiftJIS, []byte(name)); err == nil {
			name = s
		}
	}
	return norm.NFC.String(name)
}

// unicodePath returns the name in an Info-ZIP Unicode Path extra field
// (ID 0x7075: version 1, CRC-32 of the header's name, the UTF-8 name) if
// the field is there, well formed, and was written for this name.
func unicodePath(extra []byte, name string) (string, bool) {
	for len(extra) >= 4 {
		id, size := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
		extra = extra[4:]
		if size > len(extra) {
			return "", false
		}
		field := extra[:size]
		extra = extra[size:]
		if id != 0x7075 || size < 5 || field[0] != 1 {
			continue
		}
		u := field[5:]
		if binary.LittleEndian.Uint32(field[1:]) != crc32.ChecksumIEEE([]byte(name)) || !utf8.Valid(u) {
			return "", false
		}
		return string(u), true
	}
	return "", false
}

// checkOverlap rejects archives whose entries share or exceed their
// bytes. Each entry occupies its local header up to the end of its
// compressed data; those ranges must be disjoint and inside the file.
func checkOverlap(files []*zip.File, size int64) error {
	type span struct{ start, end int64 }
	spans := make([]span, 0, len(files))
	for _, f := range files {
		off, err := f.DataOffset()
		if err != nil {
			return fmt.Errorf("zip entry header: %w", err)
		}
		end := off + int64(f.CompressedSize64)
		if off < 0 || end < off || end > size {
			return &extract.LimitError{Limit: extract.LimitZipOverlap}
		}
		// The local header starts before the data; DataOffset read it,
		// so the header lies in [start, off).
		start := headerOffset(f, off)
		spans = append(spans, span{start, end})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return &extract.LimitError{Limit: extract.LimitZipOverlap}
		}
	}
	return nil
}

// headerOffset estimates where an entry's local header starts: 30 fixed
// bytes plus the name before the data (the extra field length is not
// exported; this errs on the short side, which still catches overlaps
// that share compressed data).
func headerOffset(f *zip.File, dataOff int64) int64 {
	s := dataOff - 30 - int64(len(f.Name))
	if s < 0 {
		return 0
	}
	return s
}

// openEntry opens an archive entry for reading under the scan limits.
func (r *run) openEntry(e *zip.File) (io.ReadCloser, error) {
	if e.Flags&0x1 != 0 || e.Method == 99 {
		return nil, extract.ErrEncrypted
	}
	rc, err := e.Open()
	if err != nil {
		if errors.Is(err, zip.ErrAlgorithm) {
			return nil, unscannable("unsupported zip compression method %d", e.Method)
		}
		return nil, fmt.Errorf("zip entry: %w", err)
	}
	maxBytes := int64(0)
	if e.Method != zip.Store {
		maxBytes = max(ratioExempt, int64(e.CompressedSize64)*r.lim.MaxEntryRatio)
	}
	return readCloser{r.budget.Reader(rc, maxBytes, extract.LimitEntryRatio), rc}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// zip scans an archive: an office package as a document, anything else
// entry by entry, each entry as its own part.
func (r *run) zip(idx int, f *file) error {
	z, err := r.openZip(f)
	if err != nil {
		return err
	}
	if kind := office.Kind(z); kind != "" {
		if !r.parts[idx].mime {
			r.parts[idx].ContentType = kind // MIME parts keep the declared type
		}
		return office.Extract(office.Package{
			Zip:      z,
			Sink:     r.sink,
			Loc:      f.loc,
			MaxToken: r.lim.MaxTokenBytes,
			Nested: func(e *zip.File) error {
				return r.entry(z, f, e)
			},
		})
	}
	for _, e := range z.Files {
		if strings.HasSuffix(e.Name, "/") || osMetadata(e.Name) {
			continue
		}
		if err := r.entry(z, f, e); err != nil {
			return err
		}
	}
	return nil
}

// entry scans one archive entry as a nested part. Problems with the entry
// become its own verdict; only fatal errors are returned.
func (r *run) entry(z *extract.Zip, parent *file, e *zip.File) error {
	child := &file{
		loc:   extract.Location{Part: parent.loc.Part, Path: nestedName(parent.loc.Path, e.Name)},
		name:  path.Base(e.Name),
		depth: parent.depth + 1,
	}
	child.part = r.addPart(Part{
		Path:       child.loc.Part + "/" + child.loc.Path,
		Name:       e.Name,
		Size:       int64(e.UncompressedSize64),
		Attachment: true,
	}, child.loc, false, parent.part)
	idx := child.part
	if child.depth > r.lim.MaxDepth {
		r.setPart(idx, Unscannable, "limit "+extract.LimitDepth+" exceeded")
		return nil
	}
	rc, err := z.Open(e)
	if err != nil {
		v, reason := classify("zip entry", err)
		r.setPart(idx, v, reason)
		return nil
	}
	sp, err := spool(r.s.spool, rc, r.lim.MaxFileBytes)
	rc.Close()
	if err != nil {
		if r.fatal(err) {
			return err
		}
		v, reason := classify("zip entry", err)
		r.setPart(idx, v, reason)
		return nil
	}
	defer sp.Close()
	child.ra, child.size = sp, sp.size
	r.parts[idx].Size = sp.size
	return r.runFile(idx, child)
}

// gzip decompresses a gzip file and scans its content as a nested file.
func (r *run) gzip(f *file) error {
	zr, err := gzip.NewReader(io.NewSectionReader(f.ra, 0, f.size))
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	zr.Multistream(true)
	name := zr.Name
	if name == "" {
		name = strings.TrimSuffix(strings.TrimSuffix(f.name, ".gz"), ".tgz")
	}
	body := r.budget.Reader(zr, max(ratioExempt, f.size*r.lim.MaxEntryRatio), extract.LimitEntryRatio)
	sp, err := spool(r.s.spool, body, r.lim.MaxFileBytes)
	if err != nil {
		return err
	}
	defer sp.Close()
	child := &file{
		loc:   extract.Location{Part: f.loc.Part, Path: nestedName(f.loc.Path, path.Base(name))},
		name:  path.Base(name),
		ra:    sp,
		size:  sp.size,
		depth: f.depth + 1,
		part:  f.part,
	}
	return r.scanPart(child, true, "")
}

// osMetadata reports archive entries that operating systems add to
// folders, not user content: macOS resource forks (__MACOSX/, ._name),
// Finder and Explorer caches. They are binary and would otherwise make
// every archive made on a Mac unscannable.
func osMetadata(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(name, "__MACOSX/") || strings.Contains(name, "/__MACOSX/") ||
		base == ".DS_Store" || strings.EqualFold(base, "Thumbs.db") || strings.EqualFold(base, "desktop.ini")
}

// tar scans each regular file of a tar archive as a nested part (tar is
// what a .tar.gz holds once gzip is undone).
func (r *run) tar(f *file) error {
	tr := tar.NewReader(io.NewSectionReader(f.ra, 0, f.size))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("tar: %w", err)
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		if osMetadata(h.Name) {
			continue
		}
		r.entries++
		if r.entries > r.lim.MaxEntries {
			return &extract.LimitError{Limit: extract.LimitEntries}
		}
		sp, err := spool(r.s.spool, r.budget.Reader(tr, 0, ""), r.lim.MaxFileBytes)
		if err != nil {
			return err
		}
		child := &file{
			loc:   extract.Location{Part: f.loc.Part, Path: nestedName(f.loc.Path, h.Name)},
			name:  path.Base(h.Name),
			ra:    sp,
			size:  sp.size,
			depth: f.depth + 1,
			part:  f.part,
		}
		err = r.scanPart(child, true, "")
		sp.Close()
		if err != nil {
			return err
		}
	}
}
