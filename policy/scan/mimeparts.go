package scan

import (
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-message"

	"github.com/okuri/okuri/policy/extract"
)

// multipart walks the parts of a multipart entity, and scans its preamble
// and epilogue as text.
func (r *run) multipart(w walk, path []int, boundary string, raw io.Reader) error {
	num := containerNumber(w.prefix, path)
	sp := newSplitter(raw, boundary)
	if err := r.aside(w, num, "preamble", sp); err != nil {
		return err
	}
	for i := 0; ; i++ {
		more, err := sp.Next()
		if err != nil {
			return r.structure(w, err)
		}
		if !more {
			break
		}
		child := append(path[:len(path):len(path)], i)
		h, body, herr := readHeader(sp)
		if herr != nil {
			if r.fatal(herr) {
				return herr
			}
			idx := r.addPart(Part{Path: partNumber(w.prefix, child)}, extract.Location{Part: partNumber(w.prefix, child)}, true, w.parent)
			r.setPart(idx, Unscannable, "cannot parse part header")
			continue
		}
		if err := r.entity(w, child, h, body); err != nil {
			return err
		}
	}
	return r.aside(w, num, "epilogue", sp)
}

// structure records a broken multipart structure (a missing close
// delimiter, a read error): what was not reached was not scanned.
func (r *run) structure(w walk, err error) error {
	if r.fatal(err) {
		return err
	}
	v, reason := classify("MIME structure", err)
	r.problem(w.parent, v, reason)
	return nil
}

// containerNumber names a multipart for the location of its preamble and
// epilogue: its part number, or "0" (the message) at the top.
func containerNumber(prefix string, path []int) string {
	switch {
	case len(path) > 0:
		return partNumber(prefix, path)
	case prefix != "":
		return prefix
	}
	return "0"
}

// aside scans the preamble or epilogue of multipart num as text. It is
// no part of its own: findings count for the message, and a problem
// reading it is a problem of the message.
func (r *run) aside(w walk, num, which string, rd io.Reader) error {
	sp, err := spool(r.s.spool, r.budget.Reader(rd, 0, ""), r.lim.MaxFileBytes)
	if err != nil {
		return r.asideProblem(w, num, which, err)
	}
	defer sp.Close()
	f := &file{
		loc:   extract.Location{Part: num, Path: which},
		ra:    sp,
		size:  sp.size,
		depth: w.depth,
		part:  w.parent,
	}
	head, err := f.head(4096)
	if err != nil {
		return r.asideProblem(w, num, which, err)
	}
	if len(bytes.TrimSpace(head)) == 0 && sp.size <= int64(len(head)) {
		return nil
	}
	if err := r.text(f, fmtText, head); err != nil {
		return r.asideProblem(w, num, which, err)
	}
	return nil
}

func (r *run) asideProblem(w walk, num, which string, err error) error {
	if r.fatal(err) {
		return err
	}
	v, reason := classify(which, err)
	r.problem(w.parent, v, num+" "+which+": "+reason)
	return nil
}

// everyType scans an entity that declares more than one Content-Type.
// Mail clients disagree on which one counts (some take the first, some
// the last), so the body is scanned under each of them: a sender cannot
// hide a CSV behind a first "application/pgp-signature".
func (r *run) everyType(w walk, path []int, h message.Header, types []string, raw io.Reader) error {
	sp, err := spool(r.s.spool, r.budget.Reader(raw, 0, ""), r.lim.MaxFileBytes)
	if err != nil {
		if r.fatal(err) {
			return err
		}
		num := partNumber(w.prefix, path)
		idx := r.addPart(Part{Path: num}, extract.Location{Part: num}, true, w.parent)
		v, reason := classify("part", err)
		r.setPart(idx, v, reason)
		return nil
	}
	defer sp.Close()
	seen := make(map[string]bool, len(types))
	leaf := -1 // the part the first non-multipart reading recorded
	for _, ct := range types {
		key := strings.ToLower(strings.Join(strings.Fields(ct), ""))
		if seen[key] {
			continue
		}
		seen[key] = true
		one := h.Copy()
		one.Set("Content-Type", ct)
		n := len(r.parts)
		if err := r.interpret(w, path, one, io.NewSectionReader(sp, 0, sp.size), leaf); err != nil {
			return err
		}
		if mt, _, _ := one.ContentType(); leaf < 0 && !strings.HasPrefix(strings.ToLower(mt), "multipart/") && len(r.parts) > n {
			leaf = n
		}
	}
	return nil
}
