package cfb

import (
	"github.com/okuri/okuri/policy/extract/extracttest"
	"math/rand"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestMutations runs randomly damaged files through the reader: no panic,
// no hang (each must finish within seconds).
func TestMutations(t *testing.T) {
	s1, _ := os.ReadFile("../../scan/testdata/customers.xls")
	s2, _ := os.ReadFile("../../scan/testdata/letter.doc")
	seeds := [][]byte{s1, s2, extracttestCFB()}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		seed := seeds[i%3]
		d := append([]byte(nil), seed...)
		switch rng.Intn(3) {
		case 0:
			d = d[:rng.Intn(len(d))]
		case 1:
			p := rng.Intn(len(d))
			d = append(d[:p], d[min(len(d), p+rng.Intn(64)):]...)
		}
		for k := 0; k < 1+rng.Intn(8) && len(d) > 0; k++ {
			d[rng.Intn(len(d))] = byte(rng.Intn(256))
		}
		done := make(chan struct{})
		go func() { run(d); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)

			t.Fatalf("hang at %d:\n%s", i, buf[:n])
		}
	}
}

func extracttestCFB() []byte {
	return extracttest.CFB(extracttest.Stream{Name: "Workbook", Data: workbook(false)})
}
