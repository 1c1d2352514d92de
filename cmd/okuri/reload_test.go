package main

import (
	"slices"
	"testing"
	"time"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy/extract/pdf"
	"github.com/okuri/okuri/policy/scan"
)

func TestRestartOnly(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*config.Config)
		want   []string
	}{
		{"ui timeouts reload", func(c *config.Config) { c.UI.Session.IdleTimeout = config.Duration(time.Minute) }, nil},
		{"password expiry reloads", func(c *config.Config) { c.UI.PasswordMaxAge = config.Duration(time.Hour) }, nil},
		{"ui listen", func(c *config.Config) { c.UI.Listen = "127.0.0.1:9443" }, []string{"ui.listen"}},
		{"ui client CA", func(c *config.Config) { c.UI.ClientCAFile = "/etc/okuri/ca.pem" }, []string{"ui.client_ca_file"}},
		{"relay", func(c *config.Config) { c.Relay.Upstream = "smtp://mx.example:25" }, []string{"relay"}},
	} {
		old, cur := config.Default(), config.Default()
		c.change(cur)
		if got := restartOnly(old, cur); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestScanOptionsPDFCache: okuri run caches PDFium's compiled code under
// data_dir, so only the first PDF after installation waits for it.
func TestScanOptionsPDFCache(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = "/var/lib/okuri"
	if got := scanOptions(cfg).PDFCacheDir; got != "/var/lib/okuri/cache/pdfium" {
		t.Errorf("PDFCacheDir = %q", got)
	}
}

// TestScanOptionsPDFMemory: scan.max_pdf_memory reaches the scanner, and
// its default is the PDF package's.
func TestScanOptionsPDFMemory(t *testing.T) {
	cfg := config.Default()
	if got := scanOptions(cfg).PDFMemoryLimit; got != pdf.DefaultMemoryLimit {
		t.Errorf("default PDFMemoryLimit = %d, want %d", got, pdf.DefaultMemoryLimit)
	}
	cfg.Scan.MaxPDFMemory = 256 << 20
	if got := scanOptions(cfg).PDFMemoryLimit; got != 256<<20 {
		t.Errorf("PDFMemoryLimit = %d, want 256 MiB", got)
	}
}

// TestScanOptionsPDFWorkers: scan.pdf_workers reaches the scanner, and
// its default is the scanner's.
func TestScanOptionsPDFWorkers(t *testing.T) {
	cfg := config.Default()
	if got, want := scanOptions(cfg).PDFWorkers, scan.DefaultOptions().PDFWorkers; got != want {
		t.Errorf("default PDFWorkers = %d, want %d", got, want)
	}
	cfg.Scan.PDFWorkers = 4
	if got := scanOptions(cfg).PDFWorkers; got != 4 {
		t.Errorf("PDFWorkers = %d, want 4", got)
	}
}
