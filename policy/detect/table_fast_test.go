package detect

import (
	"math/rand/v2"
	"testing"
)

// plainCellSlow is plainCell's definition, one byte at a time.
func plainCellSlow(cell []byte) bool {
	tabs, commas := 0, 0
	for _, c := range cell {
		if textInteresting[c] {
			return false
		}
		switch c {
		case '\t':
			tabs++
		case ',':
			commas++
		}
	}
	return tabs < 2 && commas < 3
}

// TestPlainCell checks the eight-bytes-at-a-time test against the
// definition on random cells made of the bytes that matter.
func TestPlainCell(t *testing.T) {
	alphabet := []byte("09:?@\n\t,\r aA\x80\xbc\xe3\xefあ特記事項")
	rng := rand.New(rand.NewPCG(1, 1))
	for n := 0; n < 200000; n++ {
		cell := make([]byte, rng.IntN(40))
		for i := range cell {
			if rng.IntN(4) == 0 {
				cell[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				cell[i] = "特記事項なし"[rng.IntN(18)]
			}
		}
		if got, want := plainCell(cell), plainCellSlow(cell); got != want {
			t.Fatalf("plainCell(%q) = %v, want %v", cell, got, want)
		}
	}
}

// TestTrimEdge checks that a cell whose ends trimEdge does not mark is
// left alone by trimSpace.
func TestTrimEdge(t *testing.T) {
	for c := 0; c < 256; c++ {
		for _, s := range [][]byte{{byte(c)}, {byte(c), 'x'}, {'x', byte(c)}, {byte(c), 0x80, 0x80}, {0xE3, 0x80, byte(c)}} {
			if !trimEdge[s[0]] && !trimEdge[s[len(s)-1]] && len(trimSpace(s)) != len(s) {
				t.Fatalf("trimSpace(%q) trims an unmarked edge", s)
			}
		}
	}
}
