package scan

import (
	"archive/zip"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// TestZipEntryNames: Japanese entry names come out right however the
// archive was written, password protected or not (issue 12: the names of
// `zip -P` archives were garbled in Where, reasons and parts). Windows
// Explorer and Lhaplus write CP932 without the UTF-8 flag (bit 11);
// Info-ZIP and macOS write UTF-8 without it; 7-Zip and Go set it.
func TestZipEntryNames(t *testing.T) {
	const name = "顧客データ/ソフト表①㈱.csv" // ソ and 表 end in 0x5C ('\') in CP932
	csv := []byte("氏名,電話番号\n山田 太郎,090-1234-5678\n")
	cp932 := string(sjis(t, name))
	tests := []struct {
		name string
		ent  zent
		want string
	}{
		{"cp932 without flag", zent{name: cp932, nonUTF: true}, name},
		{"utf-8 without flag", zent{name: name, nonUTF: true}, name},
		{"utf-8 with flag", zent{name: name}, name},
		{"macOS decomposed kana", zent{name: "テ\u3099ータ.csv", nonUTF: true}, "データ.csv"},
		{"ascii", zent{name: "export/list.csv", nonUTF: true}, "export/list.csv"},
	}
	s, _ := newTest(t)
	for _, tc := range tests {
		for _, enc := range []bool{false, true} {
			e := tc.ent
			e.data = csv
			want := PersonalData
			if enc {
				e.flags, want = 1, Encrypted
			}
			res := scanFile(t, s, "a.zip", mkzip(t, e))
			if p := partByPath(res, "1/a.zip/"+tc.want); p == nil || p.Name != tc.want || p.Verdict != want {
				t.Errorf("%s (encrypted %v): no part %q with verdict %s; parts %+v", tc.name, enc, tc.want, want, res.Parts)
			}
			if enc && !hasReason(res, "1/a.zip/"+tc.want+": encrypted") {
				t.Errorf("%s: reasons %q", tc.name, res.Reasons)
			}
			for _, f := range res.Findings {
				if f.Where.Path != "a.zip/"+tc.want {
					t.Errorf("%s: finding where %q", tc.name, f.Where.Path)
				}
			}
		}
	}
}

// TestZipNameFixtures: password zips written by Info-ZIP's `zip -P`
// (testdata/make-zipname-fixtures.sh) with UTF-8 and with CP932 names,
// neither with the UTF-8 flag.
func TestZipNameFixtures(t *testing.T) {
	s, _ := newTest(t)
	for _, file := range []string{"zipnames-utf8.zip", "zipnames-cp932.zip"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		res := scanFile(t, s, file, data)
		path := "1/" + file + "/顧客データ/ソフト表①㈱.csv"
		if p := partByPath(res, path); res.Verdict != Encrypted || p == nil || p.Verdict != Encrypted || !hasReason(res, path+": encrypted") {
			t.Errorf("%s: %s %q, parts %+v", file, res.Verdict, res.Reasons, res.Parts)
		}
	}
}

// TestZipUnicodePathField: the Info-ZIP Unicode Path extra field (0x7075)
// gives the UTF-8 name when its CRC matches the name in the header, and
// is ignored when it is stale (the name was changed without it).
func TestZipUnicodePathField(t *testing.T) {
	const name = "顧客リスト.csv"
	legacy := "kokyaku.csv" // what a writer without Unicode names stored
	field := func(crcOf string, u string) []byte {
		b := binary.LittleEndian.AppendUint16(nil, 0x7075)
		b = binary.LittleEndian.AppendUint16(b, uint16(5+len(u)))
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE([]byte(crcOf)))
		return append(b, u...)
	}
	tests := []struct {
		name  string
		extra []byte
		want  string
	}{
		{"matching", field(legacy, name), name},
		{"stale", field("other.csv", name), legacy},
		{"truncated", field(legacy, name)[:7], legacy},
	}
	for _, tc := range tests {
		f := &zip.File{FileHeader: zip.FileHeader{Name: legacy, Extra: tc.extra}}
		if got := entryName(f); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
