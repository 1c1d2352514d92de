package scan

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/bodgit/sevenzip"

	"github.com/okuri/okuri/policy/extract"
)

// noPassword is offered to encrypted 7z archives. The reader only tells
// an encrypted archive from a corrupt one (ReadError.Encrypted) when it
// tried some password; okuri never knows the real one.
const noPassword = "\x00okuri-no-password"

// sevenZip scans a 7z archive entry by entry, each entry as its own part,
// under the limits of ZIP: entries per message, bytes per file, depth and
// expansion ratio. Encrypted content or headers (AES) make it encrypted;
// anything else that cannot be read, unscannable.
func (r *run) sevenZip(f *file) (err error) {
	// github.com/bodgit/sevenzip v1.6.5 dereferences nil on some corrupt
	// headers (found by FuzzSevenZip): that is a corrupt archive, not a
	// bug of okuri's.
	defer func() {
		if p := recover(); p != nil {
			err = unscannable("corrupt 7z")
		}
	}()
	zr, err := sevenzip.NewReaderWithPassword(f.ra, f.size, noPassword)
	if err != nil {
		return sevenZipError(err)
	}
	r.entries += len(zr.File)
	if r.entries > r.lim.MaxEntries {
		return &extract.LimitError{Limit: extract.LimitEntries}
	}
	// Solid archives compress many files in one stream, so an entry has
	// no compressed size of its own: the whole archive bounds the ratio.
	maxBytes := max(ratioExempt, f.size*r.lim.MaxEntryRatio)
	for _, e := range zr.File {
		if e.FileInfo().IsDir() || osMetadata(e.Name) {
			continue
		}
		if err := r.sevenZipEntry(f, e, maxBytes); err != nil {
			return err
		}
	}
	return nil
}

// sevenZipError maps a 7z reader error to the scanner's error kinds.
func sevenZipError(err error) error {
	var re *sevenzip.ReadError
	if errors.As(err, &re) && re.Encrypted {
		return errors.Join(extract.ErrEncrypted, errors.New("7z"))
	}
	return fmt.Errorf("7z: %w", err)
}

// sevenZipEntry scans one entry as a nested part. Problems with the entry
// become its own verdict; only fatal errors are returned.
func (r *run) sevenZipEntry(parent *file, e *sevenzip.File, maxBytes int64) error {
	name := strings.ReplaceAll(e.Name, "\\", "/")
	child := &file{
		loc:   extract.Location{Part: parent.loc.Part, Path: nestedName(parent.loc.Path, name)},
		name:  path.Base(name),
		depth: parent.depth + 1,
	}
	idx := r.addPart(Part{
		Path:       child.loc.Part + "/" + child.loc.Path,
		Name:       name,
		Size:       int64(e.UncompressedSize),
		Attachment: true,
	}, child.loc, false, parent.part)
	child.part = idx
	if child.depth > r.lim.MaxDepth {
		r.setPart(idx, Unscannable, "limit "+extract.LimitDepth+" exceeded")
		return nil
	}
	rc, err := e.Open()
	if err != nil {
		v, reason := classify("7z entry", sevenZipError(err))
		r.setPart(idx, v, reason)
		return nil
	}
	body := io.LimitReader(r.budget.Reader(rc, maxBytes, extract.LimitEntryRatio), int64(e.UncompressedSize)+1)
	sp, err := spool(r.s.spool, body, r.lim.MaxFileBytes)
	rc.Close()
	if err == nil && sp.size != int64(e.UncompressedSize) {
		sp.Close()
		err = fmt.Errorf("7z entry: %d bytes, header says %d: %w", sp.size, e.UncompressedSize, io.ErrUnexpectedEOF)
	}
	if err != nil {
		if r.fatal(err) {
			return err
		}
		v, reason := classify("7z entry", sevenZipError(err))
		r.setPart(idx, v, reason)
		return nil
	}
	defer sp.Close()
	child.ra, child.size = sp, sp.size
	r.parts[idx].Size = sp.size
	return r.runFile(idx, child)
}
