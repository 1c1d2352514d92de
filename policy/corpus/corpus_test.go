package corpus

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/policy/detect"
	"github.com/okuri/okuri/policy/scan"
)

// Thresholds from issue 3.
const (
	minPrecision = 0.98
	minRecall    = 0.99
)

type sample struct {
	path     string
	format   string
	positive bool
}

func corpusFiles(t *testing.T) []sample {
	t.Helper()
	dir := os.Getenv("OKURI_CORPUS_DIR")
	if dir == "" {
		dir = "testdata"
	}
	var out []sample
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		var pos bool
		switch {
		case strings.HasPrefix(name, "pos_"):
			pos = true
		case strings.HasPrefix(name, "neg_"):
		default:
			return nil
		}
		format := strings.TrimPrefix(filepath.Ext(name), ".")
		if format == "csv" && strings.HasSuffix(name, "_sjis.csv") {
			format = "csv-sjis"
		}
		out = append(out, sample{p, format, pos})
		return nil
	})
	if err != nil {
		t.Fatalf("walk corpus: %v", err)
	}
	if len(out) == 0 {
		t.Skip("empty corpus")
	}
	return out
}

// score accumulates a confusion matrix.
// unscannable counts files that could not be read (they are held by
// the gateway, but are not a detector result either way).
type score struct{ tp, fp, fn, tn, unscannable int }

func (s *score) add(positive, predicted bool) {
	switch {
	case positive && predicted:
		s.tp++
	case positive:
		s.fn++
	case predicted:
		s.fp++
	default:
		s.tn++
	}
}

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// report logs the per-format table and fails below the thresholds.
func report(t *testing.T, scores map[string]*score) {
	t.Helper()
	formats := make([]string, 0, len(scores))
	total := &score{}
	for f, s := range scores {
		formats = append(formats, f)
		total.tp += s.tp
		total.fp += s.fp
		total.fn += s.fn
		total.tn += s.tn
		total.unscannable += s.unscannable
	}
	sort.Strings(formats)
	var b strings.Builder
	b.WriteString("\nformat      files  TP  FP  FN  TN  precision  recall  unscannable\n")
	for _, f := range append(formats, "ALL") {
		s := total
		if f != "ALL" {
			s = scores[f]
		}
		b.WriteString(strings.Join([]string{
			pad(f, 10), pad(itoa(s.tp+s.fp+s.fn+s.tn), 6), pad(itoa(s.tp), 3), pad(itoa(s.fp), 3),
			pad(itoa(s.fn), 3), pad(itoa(s.tn), 3), pad(ftoa(s.precision()), 10), pad(ftoa(s.recall()), 7), itoa(s.unscannable),
		}, " ") + "\n")
	}
	t.Log(b.String())
	for _, f := range formats {
		s := scores[f]
		if s.precision() < minPrecision || s.recall() < minRecall {
			t.Errorf("%s: precision %.3f recall %.3f, want >= %.2f / %.2f", f, s.precision(), s.recall(), minPrecision, minRecall)
		}
	}
}

// TestCorpusScan runs every corpus file through policy/scan, the code
// path of the gateway and of `okuri scan`.
func TestCorpusScan(t *testing.T) {
	files := corpusFiles(t)
	opts := scan.DefaultOptions()
	// Verdicts, not the time budget: the first PDF compiles PDFium inside
	// its message's budget, which a loaded -race run can exceed.
	opts.Limits.Timeout = 10 * time.Minute
	s, err := scan.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scores := map[string]*score{}
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.ScanFile(context.Background(), filepath.Base(f.path), bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Errorf("%s: %v", f.path, err)
			continue
		}
		pred := res.Verdict == scan.PersonalData
		if scores[f.format] == nil {
			scores[f.format] = &score{}
		}
		scores[f.format].add(f.positive, pred)
		if res.Verdict == scan.Unscannable || res.Verdict == scan.Encrypted {
			scores[f.format].unscannable++
		}
		if pred != f.positive || res.Verdict == scan.Unscannable {
			t.Logf("MISS %s: verdict %s reasons %v summary %+v", f.path, res.Verdict, res.Reasons, res.Summary)
		}
	}
	report(t, scores)
}

// TestCorpusDetect feeds the UTF-8 CSV and TXT files straight to the
// detectors, so that a detector regression shows apart from extraction.
func TestCorpusDetect(t *testing.T) {
	files := corpusFiles(t)
	e, err := detect.New(detect.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	scores := map[string]*score{}
	for _, f := range files {
		if f.format != "csv" && f.format != "txt" {
			continue
		}
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		r := e.NewReport()
		if f.format == "txt" {
			tx := r.Text(detect.Location{Path: f.path})
			tx.Write(data)
			tx.Close()
		} else {
			cr := csv.NewReader(bytes.NewReader(data))
			cr.FieldsPerRecord = -1
			recs, err := cr.ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", f.path, err)
			}
			tb := r.Table(detect.Location{Path: f.path})
			for _, rec := range recs {
				cells := make([][]byte, len(rec))
				for i, c := range rec {
					cells[i] = []byte(c)
				}
				tb.Row(cells)
			}
			tb.Close()
		}
		sum := r.Summary()
		if scores[f.format] == nil {
			scores[f.format] = &score{}
		}
		scores[f.format].add(f.positive, sum.PersonalData)
		if sum.PersonalData != f.positive {
			t.Logf("MISS %s: %+v", f.path, sum)
			for _, fd := range r.Findings() {
				t.Logf("    %s %d rec=%d %v %v", fd.Kind, fd.Count, fd.Records, fd.Where.Column, fd.Samples)
			}
		}
	}
	report(t, scores)
}

func pad(s string, n int) string {
	for len(s) < n {
		s += " "
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
