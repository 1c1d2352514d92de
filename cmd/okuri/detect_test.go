package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
)

// scanJSON runs "okuri scan -json" on one file and decodes the result.
func scanJSON(t *testing.T, path string) (verdict string, records int, kinds map[string]int) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := cmdScan([]string{"-json", path}, &out, &errb); code != 0 {
		t.Fatalf("%s: exit %d: %s", path, code, errb.String())
	}
	var res struct {
		Verdict string `json:"verdict"`
		Summary struct {
			Records int            `json:"records"`
			Kinds   map[string]int `json:"kinds"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, out.String())
	}
	return res.Verdict, res.Summary.Records, res.Summary.Kinds
}

// TestScanDetectionFixtures scans small hand-written messages and files
// end to end (MIME, extraction, detection) as an agency would send them.
func TestScanDetectionFixtures(t *testing.T) {
	cases := []struct {
		file    string
		verdict string
		records int // minimum
	}{
		// three customers as bullet points in an HTML body (issue 11, item 4)
		{"html-bullets.eml", "personal_data", 3},
		// one customer is personal data (issue 11, item 2): a sheet with a
		// header and one row (LibreOffice from a CRM export), an address
		// change letter (Word 97), a transfer request (PDF)
		{"one-customer.xlsx", "personal_data", 1},
		{"renewal-letter.doc", "personal_data", 1},
		{"transfer-form.pdf", "personal_data", 1},
		// no person (issue 11, item 6): Japan Post's postal-code master
		// (Shift_JIS, half-width katakana readings), a staff roster with
		// office phones, a price list whose codes pass the My Number check,
		// an invoice and a letter signed with the agency's own details
		{"KEN_ALL-200.CSV", "clean", 0},
		{"staff-roster.csv", "clean", 0},
		{"price-list.csv", "clean", 0},
		{"invoice.txt", "clean", 0},
		{"agency-signed-letter.txt", "clean", 0},
	}
	for _, tc := range cases {
		v, recs, kinds := scanJSON(t, filepath.Join("testdata", "detect", tc.file))
		if v != tc.verdict || recs < tc.records {
			t.Errorf("%s: verdict %s records %d kinds %v; want %s with >= %d records", tc.file, v, recs, kinds, tc.verdict, tc.records)
		}
	}
}
