package scan

import (
	"testing"
)

// TestMemoryXLSX reports the extra heap of a large XLSX attachment (its
// shared strings are held in memory: that is the format's cost).
func TestMemoryXLSX(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("large")
	}
	data, xml := benchXLSX(t, 64<<20)
	s, _ := newTest(t)
	s.tee = nil
	stop := sampleHeap()
	res := scanFile(t, s, "big.xlsx", data)
	extra := stop()
	t.Logf("xlsx %d MB compressed, %d MB XML: verdict %s, peak extra heap %.1f MB", len(data)>>20, xml>>20, res.Verdict, float64(extra)/(1<<20))
}
