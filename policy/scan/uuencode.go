package scan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/uu"
)

// uuencoded scans the files uuencoded in the text file f ("begin 644
// name" ... "end") as attachments of f's part: mail clients show them as
// attachments. The text itself was scanned already; this pass only looks
// for begin lines at line starts.
func (r *run) uuencoded(f *file) error {
	br := bufio.NewReaderSize(io.NewSectionReader(f.ra, 0, f.size), bufSize(f.size))
	atStart := true
	for {
		line, err := br.ReadSlice('\n')
		if atStart && bytes.HasPrefix(line, []byte("begin")) {
			if name, b64, ok := uu.Begin(line); ok && err == nil {
				if err := r.uuFile(f, name, uu.NewReader(br, b64)); err != nil {
					return err
				}
				continue
			}
		}
		atStart = len(line) > 0 && line[len(line)-1] == '\n'
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF:
			return nil
		default:
			return err
		}
	}
}

// uuFile scans one uuencoded file found in text file parent.
func (r *run) uuFile(parent *file, name string, rd io.Reader) error {
	if err := r.budget.Err(); err != nil {
		return err
	}
	loc := extract.Location{Part: parent.loc.Part, Path: nestedName(parent.loc.Path, safeName(name))}
	sp, err := spool(r.s.spool, r.budget.Reader(rd, 0, ""), r.lim.MaxFileBytes)
	if err != nil {
		if r.fatal(err) {
			return err
		}
		idx := r.addPart(Part{Path: loc.Part + "/" + loc.Path, Name: name, Attachment: true}, loc, false, parent.part)
		v, reason := classify("uuencoded file", err)
		if errors.Is(err, uu.ErrCorrupt) {
			reason = "corrupt uuencoded file"
		}
		r.setPart(idx, v, reason)
		return nil
	}
	defer sp.Close()
	child := &file{
		loc:   loc,
		name:  name,
		ra:    sp,
		size:  sp.size,
		depth: parent.depth + 1,
		part:  parent.part,
	}
	return r.scanPart(child, true, "")
}

// uuBody decodes a part whose Content-Transfer-Encoding is x-uuencode
// (old Eudora, Pegasus and some Unix mailers): a begin line, then the
// encoded lines. Text before the begin line is not part of the file.
func uuBody(raw io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(raw, 4<<10)
	for {
		line, err := br.ReadSlice('\n')
		if _, b64, ok := uu.Begin(line); ok && err == nil {
			return uu.NewReader(br, b64), nil
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF:
			return nil, fmt.Errorf("x-uuencode body without a begin line: %w", uu.ErrCorrupt)
		default:
			return nil, err
		}
	}
}
