package pdf

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/extract"
)

// TestRefusedKeepsInstance: a document PDFium turns down (not a PDF,
// truncated, damaged beyond repair) is a normal answer, not a fault: it
// is malformed, and the instance goes on to the next document instead of
// being replaced. Replacing it cost ~10 ms per document (instantiating
// the module copies its data segments and runs its start-up), which made
// a zip of 250 tiny broken PDFs take tens of seconds.
func TestRefusedKeepsInstance(t *testing.T) {
	letter, err := os.ReadFile("../../scan/testdata/letter.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, letter); err != nil { // start PDFium
		t.Fatal(err)
	}
	p := pool(t)
	started := p.Instances()
	broken := map[string][]byte{
		"header only":      []byte("%PDF-1.4\n"),
		"truncated":        letter[:300],
		"no cross-ref":     letter[:len(letter)/2],
		"garbage after it": []byte("%PDF-1.7\n\x00\xff\x13garbage\n%%EOF\n"),
	}
	for name, data := range broken {
		_, err := run(t, data)
		if err == nil || !strings.Contains(err.Error(), "malformed pdf") {
			t.Errorf("%s: %v, want malformed pdf", name, err)
		}
		var le *extract.LimitError
		if errors.As(err, &le) {
			t.Errorf("%s: limit error %v", name, err)
		}
	}
	if n := p.Instances() - started; n != 0 {
		t.Errorf("%d instances started for %d refused documents, want 0", n, len(broken))
	}
	if got, err := run(t, letter); err != nil || !strings.Contains(got, "東京都千代田区丸の内") {
		t.Errorf("letter after the refused documents: %v %q", err, got)
	}
}
