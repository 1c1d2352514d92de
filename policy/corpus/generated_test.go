package corpus

import (
	"bytes"
	"context"
	"testing"
	"time"

	// go-message/charset's init sets go-message's global CharsetReader.
	// The okuri binary once linked it (smtpd, approvals-ui) and text parts
	// then reached the scanner already converted; it no longer does
	// (cmd/okuri's TestNoGlobalCharsetHook), and scanning the corpus with
	// the hook shows the scanner does not depend on its absence.
	_ "github.com/emersion/go-message/charset"

	"github.com/okuri/okuri/policy/scan"
)

// floors are the scores the detector must keep on each part: the tuning
// floors sit a little below what it scored when this corpus was built
// (see docs/DETECTION.md), so a regression fails the test; the
// held-out floors are loose, it is reported more than asserted. The
// lead raises them as the detector improves.
var floors = map[Part]struct{ precision, recall, detPrecision, detRecall float64 }{
	// measured 2026-12-06 03:45 UTC (main 59f8e55, 384 messages): held
	// 1.000 / 1.000, detected 1.000 / 1.000
	Tuning: {0.98, 0.98, 0.98, 0.98},
	// measured then: held 1.000 / 0.986, detected 1.000 / 0.986; after
	// the detector fixes (04:45 UTC): held 1.000 / 0.991, detected
	// 1.000 / 0.991 (two PDF misses), so the floors were raised.
	HeldOut: {0.98, 0.97, 0.98, 0.97},
}

// result is one sample's scan outcome.
type result struct {
	s       Sample
	verdict scan.Verdict
	reasons []string
}

func scanPart(t *testing.T, sc *scan.Scanner, part Part, seed uint64) []result {
	t.Helper()
	samples, err := Generate(part, seed)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]result, 0, len(samples))
	for i, s := range samples {
		// samples cycle through the 12 carriers, so alternate which half of
		// them a layout keeps
		if raceEnabled && (i+i/12)%2 == 1 {
			continue
		}
		res, err := sc.Scan(context.Background(), bytes.NewReader(s.Message), int64(len(s.Message)))
		if err != nil {
			t.Fatalf("%s: scan: %v", s.Name, err)
		}
		out = append(out, result{s, res.Verdict, res.Reasons})
	}
	return out
}

func newScanner(t *testing.T) *scan.Scanner {
	t.Helper()
	opts := scan.DefaultOptions()
	// Verdicts, not the time budget: the first PDF compiles PDFium inside
	// its message's budget, which a loaded -race run can exceed.
	opts.Limits.Timeout = 10 * time.Minute
	sc, err := scan.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	return sc
}

// TestGeneratedCorpus scans both parts of the generated corpus as whole
// messages, the gateway's code path, and reports precision and recall
// per format and per body charset.
func TestGeneratedCorpus(t *testing.T) {
	sc := newScanner(t)
	for _, p := range []struct {
		part Part
		seed uint64
	}{{Tuning, TuningSeed}, {HeldOut, HeldOutSeed}} {
		t.Run(p.part.String(), func(t *testing.T) {
			results := scanPart(t, sc, p.part, p.seed)
			byFormat, byBody, detected := map[string]*Score{}, map[string]*Score{}, map[string]*Score{}
			for _, r := range results {
				held := r.verdict != scan.Clean
				if r.s.Format != "zip-encrypted" {
					// the detector alone: found personal data or not,
					// whatever else made the message unscannable
					if detected[r.s.Format] == nil {
						detected[r.s.Format] = &Score{}
					}
					detected[r.s.Format].Add(r.s.Hold, r.verdict == scan.PersonalData)
				}
				for m, k := range map[*map[string]*Score]string{&byFormat: r.s.Format, &byBody: r.s.Body} {
					if (*m)[k] == nil {
						(*m)[k] = &Score{}
					}
					(*m)[k].Add(r.s.Hold, held)
					if r.verdict == scan.Encrypted || r.verdict == scan.Unscannable {
						(*m)[k].NotScanned++
					}
				}
				if held != r.s.Hold || r.verdict == scan.Unscannable {
					t.Logf("MISS %s: verdict %s %v", r.s.Name, r.verdict, r.reasons)
				}
				if r.s.Format == "zip-encrypted" && r.verdict == scan.Clean {
					t.Errorf("%s: encrypted archive scanned clean", r.s.Name)
				}
			}
			t.Logf("%s part, seed %d, %d messages\n\nheld (verdict not clean) against labels:\n\n%s\n%s\nverdict personal_data against labels (detector alone):\n\n%s",
				p.part, p.seed, len(results), Table("format", byFormat), Table("body charset/encoding", byBody), Table("format", detected))
			f := floors[p.part]
			for _, c := range []struct {
				what   string
				s      Score
				pr, rc float64
			}{{"held", Total(byFormat), f.precision, f.recall}, {"detected", Total(detected), f.detPrecision, f.detRecall}} {
				if c.s.Precision() < c.pr || c.s.Recall() < c.rc {
					t.Errorf("%s part, %s: precision %.3f recall %.3f, floors %.2f / %.2f", p.part, c.what, c.s.Precision(), c.s.Recall(), c.pr, c.rc)
				}
			}
		})
	}
}
