package scan

import (
	"bytes"
	"errors"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/pdf"
)

// pdf extracts the text of a PDF with PDFium (WebAssembly) and scans the
// files embedded in it as nested files. A password protected PDF is
// "encrypted"; a PDF without any text (scanned images) is "unscannable",
// and so is one whose reading needs more memory than PDFium is given
// (a flate bomb).
func (r *run) pdf(f *file) error {
	pool, err := r.s.pdf()
	if err != nil {
		return unscannable("PDF engine unavailable")
	}
	files, err := pool.Extract(r.ctx, pdf.Doc{
		R:            f.ra,
		Size:         f.size,
		Sink:         r.sink,
		Loc:          f.loc,
		MaxPages:     r.lim.MaxPDFPages,
		Budget:       r.budget,
		MaxFiles:     max(r.lim.MaxEntries-r.entries, 1),
		MaxFileBytes: r.lim.MaxFileBytes,
	})
	if err == nil {
		r.pdfLostRows(f)
	}
	// The embedded files are scanned whatever happened to the text: a
	// problem with one never hides the verdict of another.
	for _, e := range files {
		if ferr := r.pdfEmbedded(f, e); ferr != nil {
			return ferr
		}
	}
	if errors.Is(err, pdf.ErrNoText) {
		return unscannable("PDF has no text layer (image-only, would need OCR)")
	}
	return err
}

// pdfEmbedded scans one file embedded in the PDF f as a nested part, like
// an archive entry. Only fatal errors are returned.
func (r *run) pdfEmbedded(parent *file, e pdf.Embedded) error {
	r.entries++
	name := safeName(e.Name)
	child := &file{
		loc:   extract.Location{Part: parent.loc.Part, Path: nestedName(parent.loc.Path, name)},
		name:  name,
		ra:    bytes.NewReader(e.Data),
		size:  int64(len(e.Data)),
		depth: parent.depth + 1,
	}
	child.part = r.addPart(Part{
		Path:       child.loc.Part + "/" + child.loc.Path,
		Name:       e.Name,
		Size:       child.size,
		Attachment: true,
	}, child.loc, false, parent.part)
	idx := child.part
	switch {
	case e.Err != nil:
		v, reason := classify("pdf attachment", e.Err)
		r.setPart(idx, v, reason)
		return nil
	case child.depth > r.lim.MaxDepth:
		r.setPart(idx, Unscannable, "limit "+extract.LimitDepth+" exceeded")
		return nil
	}
	return r.runFile(idx, child)
}
