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

// TestPrefectureLookup checks the bucketed look-ups against a map of
// the 47 names, at every offset of text made of their pieces.
func TestPrefectureLookup(t *testing.T) {
	set := map[string]bool{}
	for _, p := range prefectures {
		set[p] = true
		if n := prefectureAt([]byte(p+"市"), 0); n != len(p) {
			t.Errorf("prefectureAt(%s) = %d", p, n)
		}
	}
	var pieces []string
	for _, p := range prefectures {
		for _, r := range p {
			pieces = append(pieces, string(r))
		}
		pieces = append(pieces, p)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for n := 0; n < 20000; n++ {
		var b []byte
		for k := rng.IntN(6); k >= 0; k-- {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		for i := 0; i <= len(b); i++ {
			want := 0
			if i+9 <= len(b) && set[string(b[i:i+9])] {
				want = 9
			} else if i+12 <= len(b) && set[string(b[i:i+12])] {
				want = 12
			}
			if i < len(b) {
				if got := prefectureAt(b, i); got != want {
					t.Fatalf("prefectureAt(%s, %d) = %d, want %d", b, i, got, want)
				}
			}
			end := i >= 9 && set[string(b[i-9:i])] || i >= 12 && set[string(b[i-12:i])]
			if got := prefectureEndingAt(b, i); got != end {
				t.Fatalf("prefectureEndingAt(%s, %d) = %v", b, i, got)
			}
		}
	}
}
