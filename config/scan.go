package config

import "fmt"

// Scan bounds the work scanning one message may cause; anything over a
// limit is "unscannable", never clean.
type Scan struct {
	MaxTotalBytes Size     `yaml:"max_total_bytes"` // default 1GB decoded and decompressed per message
	MaxFileBytes  Size     `yaml:"max_file_bytes"`  // default 256MB per attachment or archive entry
	MaxEntryRatio int64    `yaml:"max_entry_ratio"` // default 200 (uncompressed/compressed)
	MaxDepth      int      `yaml:"max_depth"`       // default 10 (MIME, messages, archives together)
	MaxEntries    int      `yaml:"max_entries"`     // default 10000 archive entries per message
	MaxParts      int      `yaml:"max_parts"`       // default 1000 MIME parts per message
	MaxPDFPages   int      `yaml:"max_pdf_pages"`   // default 2000
	MaxPDFMemory  Size     `yaml:"max_pdf_memory"`  // default 128MB of PDFium memory per PDF read (pdf_workers at once)
	PDFWorkers    int      `yaml:"pdf_workers"`     // default 2 PDFs read at once (1-8)
	Timeout       Duration `yaml:"timeout"`         // default 60s per message
}

// PDFium starts with 18 MiB of WebAssembly memory, so a smaller cap
// refuses every PDF; WebAssembly (32-bit) addresses at most 4 GiB.
const (
	minPDFMemory = 32 << 20
	maxPDFMemory = 4 << 30
)

// maxPDFWorkers bounds the PDFium instances: each may hold
// scan.max_pdf_memory, and more than a few only queue for the CPUs.
const maxPDFWorkers = 8

func (c *Config) validateScan(bad func(key, msg string)) {
	s := c.Scan
	for _, f := range []struct {
		key string
		v   int64
	}{
		{"scan.max_total_bytes", int64(s.MaxTotalBytes)}, {"scan.max_file_bytes", int64(s.MaxFileBytes)},
		{"scan.max_entry_ratio", s.MaxEntryRatio}, {"scan.max_depth", int64(s.MaxDepth)},
		{"scan.max_entries", int64(s.MaxEntries)}, {"scan.max_parts", int64(s.MaxParts)},
		{"scan.max_pdf_pages", int64(s.MaxPDFPages)}, {"scan.timeout", int64(s.Timeout)},
	} {
		if f.v <= 0 {
			bad(f.key, "must be greater than zero")
		}
	}
	if s.MaxPDFMemory < minPDFMemory || s.MaxPDFMemory > maxPDFMemory {
		bad("scan.max_pdf_memory", "must be between 32MB (PDFium itself starts at 18 MB) and 4GB (WebAssembly's address space)")
	}
	if s.PDFWorkers < 1 || s.PDFWorkers > maxPDFWorkers {
		bad("scan.pdf_workers", fmt.Sprintf("must be between 1 and %d (each worker may use scan.max_pdf_memory)", maxPDFWorkers))
	}
	if s.MaxFileBytes > s.MaxTotalBytes {
		bad("scan.max_file_bytes", "must not exceed scan.max_total_bytes")
	}
}
