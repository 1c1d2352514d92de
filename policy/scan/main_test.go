package scan

import (
	"os"
	"testing"
)

// pdfCache is shared by the package's tests so PDFium is compiled once
// per test run, not once per Scanner.
var pdfCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okuri-scan-pdfcache-")
	if err != nil {
		panic(err)
	}
	pdfCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
