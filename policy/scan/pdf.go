package scan

import (
	"errors"

	"github.com/okuri/okuri/policy/extract/pdf"
)

// pdf extracts the text of a PDF with PDFium (WebAssembly). A password
// protected PDF is "encrypted"; a PDF without any text (scanned images)
// is "unscannable".
func (r *run) pdf(f *file) error {
	pool, err := r.s.pdf()
	if err != nil {
		return unscannable("PDF engine unavailable")
	}
	err = pool.Extract(r.ctx, pdf.Doc{
		R:        f.ra,
		Size:     f.size,
		Sink:     r.sink,
		Loc:      f.loc,
		MaxPages: r.lim.MaxPDFPages,
		Budget:   r.budget,
	})
	if errors.Is(err, pdf.ErrNoText) {
		return unscannable("PDF has no text layer (image-only, would need OCR)")
	}
	return err
}
