package loadgen

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestMarkdownTableAndJSONRoundTrip(t *testing.T) {
	in := []*Result{
		{Label: "okuri", Kind: KindText4K, Conns: 8, Rate: 900, Data250: Percentiles{P50: 1500 * time.Microsecond}, ServerCPUPerMsg: 0.5},
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
	for i, want := range []string{"| 0.50ms | 3.00 |", "| — | — |", "| — | — |"} {
		if !strings.HasSuffix(lines[i+2], want) {
			t.Errorf("row %d = %q, want suffix %q", i, lines[i+2], want)
		}
	}
	if !strings.Contains(lines[2], "| okuri | 4 KB text | 8 | 900 | 1.50ms |") {
		t.Errorf("row 0 = %q", lines[2])
	}
}
