package scan

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/extract"
	spoolpkg "github.com/okuri/okuri/spool"
)

// TestSpoolLeavesNoFile: a decoded attachment too big for memory (a CRM
// customer export) goes to a temporary file that is unlinked at once, so a
// crash mid-scan leaves no personal data on disk; small ones stay in
// memory; more than the limit is a LimitError, never a truncated read.
func TestSpoolLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	row := "顧客番号,氏名,フリガナ,生年月日,電話番号\r\n1001,山田太郎,ヤマダタロウ,1975/04/12,090-1234-5678\r\n"
	csv := strings.Repeat(row, 2000)
	sps := spoolpkg.New(dir, 4096)

	sp, err := spool(sps, strings.NewReader(csv), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("spooled attachment visible on disk while open: %v", ents)
	}
	got, err := io.ReadAll(io.NewSectionReader(sp, 0, sp.size))
	if err != nil || string(got) != csv || sp.size != int64(len(csv)) {
		t.Fatalf("read back %d bytes (size %d), err %v; want %d", len(got), sp.size, err, len(csv))
	}
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}

	small, err := spool(sps, strings.NewReader(row), 1<<20)
	if err != nil || small.size != int64(len(row)) {
		t.Fatalf("small: %v size %d", err, small.size)
	}
	small.Close()

	_, err = spool(sps, strings.NewReader(csv), int64(len(csv))-1)
	var le *extract.LimitError
	if !errors.As(err, &le) || le.Limit != extract.LimitFileSize {
		t.Fatalf("over the limit: %v, want max_file_bytes LimitError", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left behind: %v", ents)
	}
}
