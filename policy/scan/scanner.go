package scan

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/okuri/okuri/policy/detect"
	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/pdf"
	spoolpkg "github.com/okuri/okuri/spool"
)

// Scanner scans messages and files. It is safe for concurrent use; each
// Scan call keeps its state to itself.
type Scanner struct {
	opts   Options
	engine *detect.Engine
	spool  *spoolpkg.Spool // decoded parts; one, so its buffers are reused

	// tee, when set (by tests), also receives everything extracted.
	tee extract.Sink

	pdfOnce sync.Once
	pdfPool *pdf.Pool
	pdfErr  error
}

// New validates opts and returns a Scanner. The PDF engine is started
// lazily, on the first PDF.
func New(opts Options) (*Scanner, error) {
	opts.Limits = opts.Limits.withDefaults()
	if opts.MemThreshold <= 0 {
		opts.MemThreshold = DefaultOptions().MemThreshold
	}
	if opts.PDFWorkers <= 0 {
		opts.PDFWorkers = DefaultOptions().PDFWorkers
	}
	e, err := detect.New(opts.Detect)
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	return &Scanner{opts: opts, engine: e, spool: spoolpkg.New(opts.TempDir, opts.MemThreshold)}, nil
}

// Close releases the PDF engine, if it was started. Call it after the
// last scan has returned.
func (s *Scanner) Close() error {
	if s.pdfPool != nil {
		return s.pdfPool.Close()
	}
	return nil
}

// pdf returns the PDF pool, starting it on first use.
func (s *Scanner) pdf() (*pdf.Pool, error) {
	s.pdfOnce.Do(func() {
		s.pdfPool, s.pdfErr = pdf.NewPool(pdf.Config{Workers: s.opts.PDFWorkers, CacheDir: s.opts.PDFCacheDir, MemoryLimit: s.opts.PDFMemoryLimit})
	})
	return s.pdfPool, s.pdfErr
}

// Scan reads a whole RFC 5322 message. Errors are only I/O errors on msg
// or ctx cancellation; every content problem is a verdict.
func (s *Scanner) Scan(ctx context.Context, msg io.ReaderAt, size int64) (*Result, error) {
	r, cancel := s.newRun(ctx)
	defer cancel()
	var ioErr error
	src := errReaderAt{r: msg, size: size, err: &ioErr}
	err := r.message(io.NewSectionReader(src, 0, size), "", 0, -1)
	return r.finish(err, ioErr)
}

// ScanFile scans one bare file; name is used for type detection alongside
// content sniffing.
func (s *Scanner) ScanFile(ctx context.Context, name string, rd io.ReaderAt, size int64) (*Result, error) {
	r, cancel := s.newRun(ctx)
	defer cancel()
	var ioErr error
	src := errReaderAt{r: rd, size: size, err: &ioErr}
	f := &file{
		loc:  extract.Location{Part: "1", Path: safeName(name)},
		name: name,
		ra:   src,
		size: size,
		part: -1,
	}
	err := r.scanPart(f, true, "")
	return r.finish(err, ioErr)
}

func (s *Scanner) newRun(ctx context.Context) (*run, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Limits.Timeout)
	rep := s.engine.NewReport()
	var sink extract.Sink = reportSink{rep}
	if s.tee != nil {
		sink = teeSink{sink, s.tee}
	}
	body := &bodyText{}
	pv := &preview{}
	return &run{
		pv:     pv,
		s:      s,
		lim:    s.opts.Limits,
		ctx:    ctx,
		budget: extract.NewBudget(ctx, s.opts.Limits.MaxTotalBytes),
		report: rep,
		sink:   bodySink{next: previewSink{sink, pv}, text: body},
		body:   body,
	}, cancel
}
