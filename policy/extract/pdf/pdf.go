// Package pdf extracts text from PDF files with PDFium compiled to
// WebAssembly (github.com/klippa-app/go-pdfium), which handles the
// predefined CJK CMaps of Japanese PDFs that pure-Go parsers garble.
package pdf

import (
	"context"
	"errors"
	"io"

	"github.com/okuri/okuri/policy/extract"
)

// Doc is one PDF to extract.
type Doc struct {
	R        io.ReaderAt
	Size     int64
	Sink     extract.Sink
	Loc      extract.Location
	MaxPages int
	Budget   *extract.Budget
}

// Pool is a set of PDFium instances.
type Pool struct{}

// NewPool starts n PDFium instances.
func NewPool(n int) (*Pool, error) { return nil, errors.New("pdf: not implemented") }

// Extract extracts the text of d.
func (p *Pool) Extract(ctx context.Context, d Doc) error { return errors.New("pdf: not implemented") }

// Close stops the instances.
func (p *Pool) Close() error { return nil }
