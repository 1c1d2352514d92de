package detect

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

// pathological are inputs that would be quadratic if a look-back or
// look-ahead were unbounded: one long line of honorifics, labels,
// alphanumeric words, e-mail fragments or numbers. Each is built at a
// scale k; k=4 is about 1 MB.
var pathological = map[string]func(k int) string{
	"honorifics": rep("", "山田様", 50000),
	"labels":     rep("", "電話氏名生年月日", 20000),
	"alnum":      rep("", "a1", 125000),
	"at":         rep("", "a@", 125000),
	"digits":     rep("", "1-", 125000),
	"postal":     rep("", "〒100-0001 ", 25000),
	"dates":      rep("", "生年月日 1980/01/01 ", 15000),
	"tabs":       rep("", "a\tb\tc\n", 50000),
	"mix":        func(k int) string { return adversarialMix(k << 18) },
	// a transfer form repeated without blank lines: every account
	// looks for its holder
	"holders": rep("", "振込 口座 1234567 名義 ", 15000),
	// a text table under a name header, one long line of words
	"header names": rep("氏名 電話 住所\n", "山田 090-1234-5678 ", 15000),
	"salutation":   rep("山田 太郎 様\n\n", "ご住所 東京都千代田区1-1 お電話番号 090-1234-5678\n", 7500),
}

func rep(head, unit string, n int) func(k int) string {
	return func(k int) string { return head + strings.Repeat(unit, n*k) }
}

// TestPathological checks that scanning grows linearly: four times the
// input may cost at most maxGrowth times the CPU time (quadratic would be
// 16). It compares CPU time, not the wall clock, and a ratio, not an
// absolute figure, so that a loaded machine cannot fail it; timing
// figures are BenchmarkPathological's job. The 60 s ceiling only stops
// a runaway scan.
func TestPathological(t *testing.T) {
	e := newEngine(t)
	for _, name := range sortedKeys(pathological) {
		gen := pathological[name]
		small, large := gen(1), gen(4)
		ts, tl := bestCPU(func() { scanText(e, small, 32<<10) }), bestCPU(func() { scanText(e, large, 32<<10) })
		t.Logf("%s: %v for %d bytes, %v for %d", name, ts, len(small), tl, len(large))
		if err := linear(ts, tl, linearFloor); err != "" {
			t.Errorf("%s (%d bytes): %s", name, len(large), err)
		}
	}
}

// maxGrowth is the CPU-time ratio allowed for 4x the input.
const maxGrowth = 10

// linearFloor is the CPU time below which a scan of about 1 MB is fast
// whatever its shape, and ratios of a few milliseconds are noise.
const linearFloor = 200 * time.Millisecond

// linear judges the CPU times of a scan of n and of 4n bytes; growth
// counts only when the larger scan took more than floor.
func linear(small, large, floor time.Duration) string {
	switch {
	case large > 60*time.Second:
		return "runaway: " + large.String()
	case large > floor && large > maxGrowth*small:
		return "grows faster than linear: " + small.String() + " for 1x, " + large.String() + " for 4x"
	}
	return ""
}

// TestLinearCatchesQuadratic makes sure the check above can fail: a
// scan that compares every line with every earlier one must trip it.
func TestLinearCatchesQuadratic(t *testing.T) {
	quadratic := func(n int) func() {
		return func() {
			s := 0
			for i := range n {
				for j := range i {
					s += i ^ j
				}
			}
			sink = s
		}
	}
	small, large := bestCPU(quadratic(6000)), bestCPU(quadratic(24000))
	if linear(small, large, 20*time.Millisecond) == "" {
		t.Fatalf("quadratic work passed: %v then %v", small, large)
	}
	lin := func(n int) func() {
		return func() {
			s := 0
			for i := range n {
				s += i
			}
			sink = s
		}
	}
	small, large = bestCPU(lin(1e8)), bestCPU(lin(4e8))
	if err := linear(small, large, 20*time.Millisecond); err != "" {
		t.Fatalf("linear work failed: %s", err)
	}
}

var sink int

// bestCPU is the least process CPU time of two runs of f: the lesser is
// the one least disturbed by the garbage collector.
func bestCPU(f func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 2 {
		start := cpuTime()
		f()
		best = min(best, cpuTime()-start)
	}
	return best
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// BenchmarkPathological reports the throughput on each pathological
// input at about 1 MB.
func BenchmarkPathological(b *testing.B) {
	e := newEngine(b)
	for _, name := range sortedKeys(pathological) {
		in := pathological[name](4)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			start := cpuTime()
			for range b.N {
				scanText(e, in, 32<<10)
			}
			reportCPU(b, start, len(in))
		})
	}
}

// adversarialMix is keywords, digits and delimiters in random order:
// every token is a candidate, a label or a cell boundary.
func adversarialMix(size int) string {
	alphabet := []string{"様", "氏名", "：", " ", "\n", "\n\n", "0", "1", "9", "-", "@", "a", "東京都", "区",
		"生年月日", "\t", ",", "〒", "年", "月", "日", "ヤマダ", "山田", "株式会社"}
	rng := rand.New(rand.NewPCG(1, 1))
	var sb strings.Builder
	for sb.Len() < size {
		sb.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	return sb.String()
}
