package scan

import (
	"time"

	"github.com/okuri/okuri/policy/detect"
)

// Limits bound the work one message may cause. Each exceeded limit makes
// the part being read "unscannable" with a reason naming the limit (the
// names in parentheses, as in extract.LimitError). Zero values are
// replaced by the defaults of DefaultLimits.
type Limits struct {
	// MaxTotalBytes bounds the bytes decoded, decompressed and read by
	// the extractors while scanning one message, over all parts and
	// containers (max_total_bytes). A spooled attachment counts once when
	// decoded and again when its extractor reads it, so the effective
	// ceiling on content is about half. Default 1 GiB.
	MaxTotalBytes int64
	// MaxFileBytes bounds the decoded size of one attachment or archive
	// entry that has to be held in memory or spooled (max_file_bytes).
	// Default 256 MiB.
	MaxFileBytes int64
	// MaxEntryRatio bounds the decompression ratio of one archive entry,
	// uncompressed/compressed; entries under 1 MiB are exempt
	// (max_entry_ratio). Default 200.
	MaxEntryRatio int64
	// MaxDepth bounds nesting: multiparts inside multiparts, attached
	// messages, archives inside archives, all counted together
	// (max_depth). Default 10.
	MaxDepth int
	// MaxEntries bounds the archive entries of one message, over all
	// archives and office packages (max_entries). Default 10000.
	MaxEntries int
	// MaxParts bounds the MIME parts of one message, attached messages
	// included (max_parts). Default 1000.
	MaxParts int
	// MaxTokenBytes bounds one XML tag or text run (max_token_bytes).
	// Default 16 MiB.
	MaxTokenBytes int
	// MaxPDFPages bounds the pages read from one PDF (max_pdf_pages).
	// Default 2000.
	MaxPDFPages int
	// Timeout is the time budget for one message (timeout). Default 60s.
	// The caller's context deadline, if earlier, applies as well.
	Timeout time.Duration
	// XML entity declarations are never allowed (xml_entities) and
	// overlapping ZIP entries are always rejected (zip_overlap); these
	// are not configurable.
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{
		MaxTotalBytes: 1 << 30,
		MaxFileBytes:  256 << 20,
		MaxEntryRatio: 200,
		MaxDepth:      10,
		MaxEntries:    10000,
		MaxParts:      1000,
		MaxTokenBytes: 16 << 20,
		MaxPDFPages:   2000,
		Timeout:       60 * time.Second,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxEntryRatio <= 0 {
		l.MaxEntryRatio = d.MaxEntryRatio
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxParts <= 0 {
		l.MaxParts = d.MaxParts
	}
	if l.MaxTokenBytes <= 0 {
		l.MaxTokenBytes = d.MaxTokenBytes
	}
	if l.MaxPDFPages <= 0 {
		l.MaxPDFPages = d.MaxPDFPages
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// Options configure a Scanner.
type Options struct {
	Limits Limits
	// Detect configures the detectors.
	Detect detect.Config
	// TempDir is where large attachments are spooled; "" means os.TempDir.
	TempDir string
	// MemThreshold: decoded attachments up to this size are held in
	// memory, larger ones spooled to a temporary file. Default 8 MiB.
	MemThreshold int64
	// PDFWorkers is the number of PDFium WebAssembly instances: PDFs
	// of concurrent scans are parsed in parallel up to this number, and
	// wait (within their time budget) beyond it, so a slow or hostile PDF
	// does not hold up the others. Default 2.
	PDFWorkers int
	// PDFMemoryLimit bounds the memory PDFium may use to read one PDF,
	// in bytes; a PDF that needs more (a flate bomb) is unscannable
	// (max_pdf_memory). PDFWorkers times this bounds the process.
	// Default 128 MiB (pdf.DefaultMemoryLimit).
	PDFMemoryLimit int64
	// PDFCacheDir, if set, caches PDFium's compiled WebAssembly code
	// across restarts (start-up drops from seconds to well under one;
	// see docs/perf-scan.md). The directory must be private to okuri.
	PDFCacheDir string
}

// DefaultOptions returns the default options.
func DefaultOptions() Options {
	return Options{
		Limits:       DefaultLimits(),
		Detect:       detect.DefaultConfig(),
		MemThreshold: 8 << 20,
		PDFWorkers:   2,
	}
}
