package corpus

import (
	"fmt"
	"sort"
	"strings"
)

// Score is a confusion matrix of hold decisions against labels.
type Score struct {
	TP, FP, FN, TN int
	// NotScanned counts samples whose verdict was encrypted or
	// unscannable: held by the gateway, but not a detector result.
	NotScanned int
}

// Add counts one sample: hold is its label, held what okuri did.
func (s *Score) Add(hold, held bool) {
	switch {
	case hold && held:
		s.TP++
	case hold:
		s.FN++
	case held:
		s.FP++
	default:
		s.TN++
	}
}

// Precision is TP/(TP+FP); 1 when nothing was held.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// Recall is TP/(TP+FN); 1 when nothing had to be held.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

// Total sums scores.
func Total(scores map[string]*Score) Score {
	var t Score
	for _, s := range scores {
		t.TP += s.TP
		t.FP += s.FP
		t.FN += s.FN
		t.TN += s.TN
		t.NotScanned += s.NotScanned
	}
	return t
}

// Table formats scores by key as a Markdown table with an "all" row,
// for the test log and docs/DETECTION.md.
func Table(key string, scores map[string]*Score) string {
	keys := make([]string, 0, len(scores))
	for k := range scores {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "| %-22s | files | TP | FP | FN | TN | precision | recall | not scanned |\n", key)
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	row := func(k string, s Score) {
		fmt.Fprintf(&b, "| %-22s | %5d | %2d | %2d | %2d | %2d | %.3f | %.3f | %d |\n",
			k, s.TP+s.FP+s.FN+s.TN, s.TP, s.FP, s.FN, s.TN, s.Precision(), s.Recall(), s.NotScanned)
	}
	for _, k := range keys {
		row(k, *scores[k])
	}
	row("**all**", Total(scores))
	return b.String()
}
