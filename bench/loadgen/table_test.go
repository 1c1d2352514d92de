package loadgen

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestMarkdownTableAndJSONRoundTrip(t *testing.T) {
	twelve := 12
	in := []*Result{
		{Label: "okuri", Kind: KindText4K, Conns: 8, Rate: 900, Data250: Percentiles{P50: 1500 * time.Microsecond}, ServerCPUPerMsg: 0.5, SinkConns: &twelve},
		{Label: "postfix", Kind: KindText4K, Conns: 8, Rate: 300},
		{Label: "okuri", Kind: KindCSV100K, Conns: 8, Rate: 100},
	}
	var out []*Result
	for _, r := range in {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Result
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		out = append(out, &back)
	}
	if out[0].Data250.P50 != 1500*time.Microsecond {
		t.Errorf("p50 after round trip: %v", out[0].Data250.P50)
	}
	table := MarkdownTable(out, "postfix")
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 5 {
		t.Fatalf("want header, rule and 3 rows:\n%s", table)
	}
	for i, want := range []string{"| 0.50ms | 12 | 3.00 |", "| — | — | — |", "| — | — | — |"} {
		if !strings.HasSuffix(lines[i+2], want) {
			t.Errorf("row %d = %q, want suffix %q", i, lines[i+2], want)
		}
	}
	if !strings.Contains(lines[2], "| okuri | 4 KB text | 8 | 900 | 1.50ms |") {
		t.Errorf("row 0 = %q", lines[2])
	}
}

func TestMedians(t *testing.T) {
	var in []*Result
	for _, rate := range []float64{300, 100, 200} {
		in = append(in, &Result{Label: "okuri", Kind: KindText4K, Conns: 8, Rate: rate})
		in = append(in, &Result{Label: "postfix", Kind: KindText4K, Conns: 8, Rate: rate / 10})
	}
	in = append(in, &Result{Label: "okuri", Kind: KindText4K, Conns: 32, Rate: 5})
	kept, runs := Medians(in)
	if len(kept) != 3 {
		t.Fatalf("kept %d results, want 3", len(kept))
	}
	if kept[0].Label != "okuri" || kept[0].Rate != 200 || runs[kept[0]] != 3 {
		t.Errorf("okuri median: %+v, runs %d", kept[0], runs[kept[0]])
	}
	if kept[1].Label != "postfix" || kept[1].Rate != 20 {
		t.Errorf("postfix median: %+v", kept[1])
	}
	if kept[2].Conns != 32 || runs[kept[2]] != 1 {
		t.Errorf("single run: %+v, runs %d", kept[2], runs[kept[2]])
	}
}
