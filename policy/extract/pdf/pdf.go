// Package pdf extracts text from PDF files with PDFium compiled to
// WebAssembly (github.com/klippa-app/go-pdfium, webassembly mode: no cgo,
// no subprocess). PDFium ships the predefined CJK CMaps, so Japanese PDFs
// whose fonts have no ToUnicode map come out right, which the pure-Go
// parsers tried for okuri did not manage.
//
// The WebAssembly runtime is compiled once per Pool (the expensive step,
// measured in docs/perf-scan.md) and instances are reused. The sandbox has
// no file system and its output is discarded. A document that needs a
// password is extract.ErrEncrypted; one with pages but no text at all
// (scanned images) is unscannable.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

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

// ErrNoText marks a PDF whose pages carry no text: scanned images need OCR,
// which okuri does not do, so the content is unscannable.
var ErrNoText = errors.New("pdf has no text (image-only)")

// Pool is a set of PDFium WebAssembly instances. Safe for concurrent use.
type Pool struct {
	pool    pdfium.Pool
	Startup time.Duration // how long NewPool took (runtime compilation)
}

// NewPool compiles the PDFium module and allows up to n instances. If
// cacheDir is not empty, compiled code is cached there, which turns the
// multi-second compilation of later starts into a load.
func NewPool(n int, cacheDir string) (*Pool, error) {
	start := time.Now()
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true)
	if cacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return nil, fmt.Errorf("pdfium cache: %w", err)
		}
		rc = rc.WithCompilationCache(cache)
	}
	p, err := webassembly.Init(webassembly.Config{
		MinIdle:  1,
		MaxIdle:  n,
		MaxTotal: n,
		// No host file system for the sandbox; documents are passed as
		// readers.
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
		// CloseOnContextDone lets a killed instance stop mid-page when a
		// scan's time budget runs out.
		RuntimeConfig: rc,
		ReuseWorkers:  true,
	})
	if err != nil {
		return nil, fmt.Errorf("pdfium init: %w", err)
	}
	return &Pool{pool: p, Startup: time.Since(start)}, nil
}

// Close releases the runtime.
func (p *Pool) Close() error { return p.pool.Close() }

// Extract writes the text of every page (up to d.MaxPages) to one text
// stream. It honours ctx: when the time budget runs out mid-page the
// instance is killed.
func (p *Pool) Extract(ctx context.Context, d Doc) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = extract.Malformed("pdf", errors.New("pdfium panic"))
		}
	}()
	inst, err := p.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return d.Budget.Err()
		}
		return fmt.Errorf("pdfium instance: %w", err)
	}
	done := make(chan struct{})
	defer close(done)
	killed := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			inst.Kill()
			close(killed)
		case <-done:
		}
	}()
	err = p.extract(inst, d)
	select {
	case <-killed:
		return d.Budget.Err()
	default:
		inst.Close()
	}
	return err
}

func (p *Pool) extract(inst pdfium.Pdfium, d Doc) error {
	if err := d.Budget.Take(d.Size); err != nil {
		return err
	}
	doc, err := inst.OpenDocument(&requests.OpenDocument{
		FileReader:     io.NewSectionReader(d.R, 0, d.Size),
		FileReaderSize: d.Size,
	})
	if err != nil {
		if errors.Is(err, pdfiumerrors.ErrPassword) || errors.Is(err, pdfiumerrors.ErrSecurity) {
			return extract.ErrEncrypted
		}
		return extract.Malformed("pdf", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return extract.Malformed("pdf", err)
	}
	if pc.PageCount > d.MaxPages && d.MaxPages > 0 {
		return &extract.LimitError{Limit: extract.LimitPDFPages}
	}
	tw := d.Sink.Text(d.Loc)
	defer tw.Close()
	chars := 0
	for i := 0; i < pc.PageCount; i++ {
		if err := d.Budget.Err(); err != nil {
			return err
		}
		t, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return extract.Malformed("pdf page", err)
		}
		if err := d.Budget.Take(int64(len(t.Text))); err != nil {
			return err
		}
		chars += len(strings.TrimSpace(t.Text))
		if _, err := tw.Write([]byte(t.Text)); err != nil {
			return err
		}
		tw.Write([]byte{'\n'})
	}
	if pc.PageCount > 0 && chars == 0 {
		return ErrNoText
	}
	return nil
}
