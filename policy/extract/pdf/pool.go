package pdf

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// DefaultMemoryLimit bounds the WebAssembly memory of one PDFium
// instance, so of one document being read. PDFium starts at 18 MiB and
// ordinary office PDFs add a few MiB (text extraction decodes no images);
// a flate bomb asks for gigabytes, and PDFium inflates at only about
// 20 MB/s on a loaded machine, so the limit also bounds its time.
const DefaultMemoryLimit = 128 << 20

// recycleAbove: an instance whose memory grew past this while reading a
// document is discarded afterwards rather than reused, so one large PDF
// does not keep its memory until restart (WebAssembly memory never
// shrinks; a discarded instance's memory is unmapped at once).
const recycleAbove = 32 << 20

// Config configures a Pool.
type Config struct {
	// Workers is how many documents are read at once (one PDFium
	// instance each); more wait, within their time budget. Default 1.
	Workers int
	// CacheDir, if set, caches the compiled WebAssembly there across
	// restarts.
	CacheDir string
	// MemoryLimit bounds one instance's memory in bytes; a document that
	// needs more is a limit error (LimitMemory). Default
	// DefaultMemoryLimit. The process-wide bound is Workers times this.
	MemoryLimit int64
}

// Pool is a bounded set of PDFium WebAssembly instances. Safe for
// concurrent use.
type Pool struct {
	workers chan *worker
	all     []*worker
	Startup time.Duration // how long NewPool took (runtime compilation)
}

// worker is one PDFium instance slot: a go-pdfium pool of exactly one
// instance, so that its memory is known (mem) and the instance can be
// replaced without disturbing the other workers.
type worker struct {
	pool pdfium.Pool
	mem  *memorySlot
}

// NewPool compiles the PDFium module and starts cfg.Workers instances.
func NewPool(cfg Config) (*Pool, error) {
	start := time.Now()
	cfg.Workers = max(cfg.Workers, 1)
	if cfg.MemoryLimit <= 0 {
		cfg.MemoryLimit = DefaultMemoryLimit
	}
	// One compilation cache for every worker's runtime: the module is
	// compiled once, the other workers load it.
	var cache wazero.CompilationCache
	var err error
	if cfg.CacheDir != "" {
		cache, err = wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("pdfium cache: %w", err)
		}
	} else {
		cache = wazero.NewCompilationCache()
	}
	p := &Pool{workers: make(chan *worker, cfg.Workers)}
	for range cfg.Workers {
		w, err := newWorker(cache, uint64(cfg.MemoryLimit))
		if err != nil {
			p.Close()
			return nil, err
		}
		p.all = append(p.all, w)
		p.workers <- w
	}
	p.Startup = time.Since(start)
	return p, nil
}

func newWorker(cache wazero.CompilationCache, limit uint64) (*worker, error) {
	// The limit is the allocator's, not wazero's WithMemoryLimitPages:
	// wazero would refuse the growth itself, unseen.
	mem := &memorySlot{limit: limit}
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		// CloseOnContextDone lets a killed instance stop mid-page when a
		// scan's time budget runs out.
		WithCloseOnContextDone(true).
		WithCompilationCache(cache)
	p, err := webassembly.Init(webassembly.Config{
		Context:  experimental.WithMemoryAllocator(context.Background(), mem),
		MinIdle:  1,
		MaxIdle:  1,
		MaxTotal: 1,
		// No host file system for the sandbox; documents are passed as
		// readers.
		FSConfig:      wazero.NewFSConfig(),
		Stdout:        io.Discard,
		Stderr:        io.Discard,
		RuntimeConfig: rc,
		ReuseWorkers:  true,
	})
	if err != nil {
		return nil, fmt.Errorf("pdfium init: %w", err)
	}
	return &worker{pool: p, mem: mem}, nil
}

// Close releases every worker. Call it after the last Extract returned.
func (p *Pool) Close() error {
	var first error
	for _, w := range p.all {
		if err := w.pool.Close(); err != nil && first == nil {
			first = err
		}
		// Every instance of the worker is closed now, whatever wazero
		// did with its memory.
		if m := w.mem.current(); m != nil {
			m.Free()
		}
		w.mem.reap()
	}
	return first
}

// acquire waits for a free worker.
func (p *Pool) acquire(ctx context.Context) (*worker, error) {
	select {
	case w := <-p.workers:
		return w, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *Pool) release(w *worker) { p.workers <- w }

// Instances returns how many PDFium instances the pool has started: one
// per worker at first, and one more each time an instance is replaced
// after a fault, a memory refusal, a timeout or a large document.
func (p *Pool) Instances() int64 {
	var n int64
	for _, w := range p.all {
		n += w.mem.started.Load()
	}
	return n
}
