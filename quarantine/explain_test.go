package quarantine

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateExplain = flag.Bool("update-explain", false, "rewrite testdata/explain/*.golden")

// TestExplainStoredRecords: held records as the store keeps them — one
// with the versioned explanation (v1), one written before it existed,
// carrying the whole policy decision — read to the explanation recorded
// in a golden file each, so the pages of a message held across an upgrade
// say what they said before it. A change to these files is a format
// change: it needs a new version that still reads v1.
func TestExplainStoredRecords(t *testing.T) {
	for _, name := range []string{"v1", "legacy"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "explain", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var m Message
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			e, err := m.Explain()
			if err != nil || e == nil {
				t.Fatalf("explain: %v, %v", e, err)
			}
			got, _ := json.MarshalIndent(e, "", "  ")
			golden := filepath.Join("testdata", "explain", name+".golden")
			if *updateExplain {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
				t.Fatalf("explanation differs from %s:\n%s", golden, got)
			}
		})
	}
}

// TestExplainVersions: a record from a later version is refused, not
// shown half-understood; a record without a decision has none.
func TestExplainVersions(t *testing.T) {
	for _, c := range []struct {
		name    string
		d       Decision
		wantErr bool
		wantNil bool
	}{
		{"v1", Decision{Explain: &Explain{V: 1}}, false, false},
		{"v0", Decision{Explain: &Explain{V: 0}}, true, true},
		{"later", Decision{Explain: &Explain{V: ExplainVersion + 1}}, true, true},
		{"none", Decision{Action: "notice"}, false, true},
		{"broken legacy", Decision{Policy: json.RawMessage(`{"kinds":"x"}`)}, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := &Message{ID: "x", Decision: c.d}
			e, err := m.Explain()
			if (err != nil) != c.wantErr || (e == nil) != c.wantNil {
				t.Fatalf("Explain() = %+v, %v", e, err)
			}
		})
	}
}
