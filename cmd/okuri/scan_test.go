package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCmdScan(t *testing.T) {
	dir := t.TempDir()
	eml := filepath.Join(dir, "m.eml")
	os.WriteFile(eml, []byte("From: a@example.jp\r\nTo: b@example.com\r\nSubject: list\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nhello\r\n--X\r\nContent-Type: text/csv; name=list.csv\r\n\r\n氏名,電話番号\r\n山田太郎,090-1234-5678\r\n佐藤花子,080-2345-6789\r\n--X\r\nContent-Type: application/octet-stream; name=a.7z\r\n\r\n7z\xbc\xaf\x27\x1c\x00\x04\r\n--X--\r\n"), 0o600)
	noext := filepath.Join(dir, "message")
	os.WriteFile(noext, []byte("From: a@example.jp\r\nSubject: hi\r\n\r\nplain text\r\n"), 0o600)
	txt := filepath.Join(dir, "note.txt")
	os.WriteFile(txt, []byte("just a note\n"), 0o600)

	var out, errb bytes.Buffer
	code := cmdScan([]string{eml, noext, txt}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	// "unscannable": the 7z in the message is a bare signature, now read and found corrupt.
	for _, want := range []string{eml + ": personal_data", "unscannable", noext + ": clean", txt + ": clean", "KIND", "090-****"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "090-1234-5678") {
		t.Error("unmasked value printed")
	}

	out.Reset()
	if code := cmdScan([]string{"-json", eml}, &out, &errb); code != 0 {
		t.Fatalf("json exit %d", code)
	}
	var res struct {
		Input   string
		Verdict string
		Parts   []struct{ Path, Verdict string }
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out.String())
	}
	if res.Verdict != "personal_data" || res.Input != eml || len(res.Parts) != 3 {
		t.Errorf("json result %+v", res)
	}

	if code := cmdScan(nil, &out, &errb); code != 1 {
		t.Errorf("no args: exit %d, want 1", code)
	}
	if code := cmdScan([]string{"-bogus"}, &out, &errb); code != 1 {
		t.Errorf("bad flag: exit %d, want 1", code)
	}
	if code := cmdScan([]string{filepath.Join(dir, "missing")}, &out, &errb); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}

// TestCmdScanJSONKeys checks that every key of "okuri scan -json" is
// snake_case: scripts read this output, and Go field names (Kind,
// Summary.PersonalData) leaked into it before.
func TestCmdScanJSONKeys(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "顧客.csv")
	os.WriteFile(csv, []byte("氏名,生年月日,携帯電話\r\n山田 太郎,1975/04/12,090-1234-5678\r\n佐藤 花子,1982/11/03,080-2345-6789\r\n"), 0o600)
	var out, errb bytes.Buffer
	if code := cmdScan([]string{"-json", csv}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, out.String())
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				// map keys of summary.kinds are detector kinds, also snake_case
				if k != strings.ToLower(k) || strings.ContainsAny(k, " -") {
					t.Errorf("key %q at %s is not snake_case", k, path)
				}
				walk(path+"."+k, x)
			}
		case []any:
			for _, x := range v {
				walk(path+"[]", x)
			}
		}
	}
	walk("", doc)
	sum, _ := doc["summary"].(map[string]any)
	if sum["personal_data"] != true || sum["records"] != float64(2) {
		t.Errorf("summary = %v", sum)
	}
	fs, _ := doc["findings"].([]any)
	if len(fs) == 0 {
		t.Fatalf("no findings: %s", out.String())
	}
	f0, _ := fs[0].(map[string]any)
	where, _ := f0["where"].(map[string]any)
	for _, k := range []string{"kind", "count", "records", "samples"} {
		if _, ok := f0[k]; !ok {
			t.Errorf("finding lacks %q: %v", k, f0)
		}
	}
	if where["column"] == nil || where["part"] != "1" {
		t.Errorf("where = %v", where)
	}
}
