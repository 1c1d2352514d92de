package scan

import (
	"runtime"
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
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			default:
			}
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			for i := 0; i < 1e6; i++ {
			}
		}
	}()
	res := scanFile(t, s, "big.xlsx", data)
	close(stop)
	<-done
	runtime.ReadMemStats(&after)
	t.Logf("xlsx %d MB compressed, %d MB XML: verdict %s, peak extra heap %.1f MB", len(data)>>20, xml>>20, res.Verdict, float64(int64(peak)-int64(before.HeapInuse))/(1<<20))
}
