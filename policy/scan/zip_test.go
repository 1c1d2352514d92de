package scan

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"
)

// rawZip writes a ZIP by hand so tests can build the hazards of Fifield's
// "A better zip bomb" that archive/zip's writer refuses to produce.
type rawZip struct {
	buf bytes.Buffer
	cd  bytes.Buffer
	n   int
}

// local writes a stored local file header and data; it returns the
// header's offset.
func (z *rawZip) local(name string, data []byte) uint32 {
	off := uint32(z.buf.Len())
	le := binary.LittleEndian
	var h [30]byte
	le.PutUint32(h[0:], 0x04034b50)
	le.PutUint16(h[4:], 20)
	le.PutUint32(h[14:], crc32.ChecksumIEEE(data))
	le.PutUint32(h[18:], uint32(len(data)))
	le.PutUint32(h[22:], uint32(len(data)))
	le.PutUint16(h[26:], uint16(len(name)))
	z.buf.Write(h[:])
	z.buf.WriteString(name)
	z.buf.Write(data)
	return off
}

// central adds a central directory entry for a stored file whose local
// header is at off.
func (z *rawZip) central(name string, data []byte, off uint32) {
	le := binary.LittleEndian
	var h [46]byte
	le.PutUint32(h[0:], 0x02014b50)
	le.PutUint16(h[4:], 20)
	le.PutUint16(h[6:], 20)
	le.PutUint32(h[16:], crc32.ChecksumIEEE(data))
	le.PutUint32(h[20:], uint32(len(data)))
	le.PutUint32(h[24:], uint32(len(data)))
	le.PutUint16(h[28:], uint16(len(name)))
	le.PutUint32(h[42:], off)
	z.cd.Write(h[:])
	z.cd.WriteString(name)
	z.n++
}

func (z *rawZip) bytes() []byte {
	le := binary.LittleEndian
	cdOff := z.buf.Len()
	out := append([]byte(nil), z.buf.Bytes()...)
	out = append(out, z.cd.Bytes()...)
	var e [22]byte
	le.PutUint32(e[0:], 0x06054b50)
	le.PutUint16(e[8:], uint16(z.n))
	le.PutUint16(e[10:], uint16(z.n))
	le.PutUint32(e[12:], uint32(z.cd.Len()))
	le.PutUint32(e[16:], uint32(cdOff))
	return append(out, e[:]...)
}

func TestZip(t *testing.T) {
	csv := []byte(customers)
	big := bytes.Repeat([]byte{0}, 8<<20)
	nested := mkzip(t, zent{name: "inner/list.csv", data: csv})
	tests := []struct {
		name    string
		data    func(t *testing.T) []byte
		opts    func(*Options)
		verdict Verdict
		reason  string
		part    string // a part that must exist
		rows    []string
	}{
		{
			name: "nested zip with shift_jis name",
			data: func(t *testing.T) []byte {
				return mkzip(t, zent{name: string(sjis(t, "顧客.zip")), data: nested, nonUTF: true})
			},
			verdict: PersonalData,
			part:    "1/a.zip/顧客.zip/inner/list.csv",
			rows:    []string{"山田太郎|ヤマダタロウ|090-1234-5678"},
		},
		{
			name: "encrypted entry",
			data: func(t *testing.T) []byte {
				return mkzip(t, zent{name: "a.csv", data: csv, flags: 1}, zent{name: "b.txt", data: []byte("hi")})
			},
			verdict: Encrypted,
			reason:  "encrypted",
		},
		{
			name: "overlapping entries (classic bomb)",
			data: func(t *testing.T) []byte {
				var z rawZip
				off := z.local("k", []byte("kernel"))
				for i := 0; i < 10; i++ {
					z.central("k"+strings.Repeat("x", i), []byte("kernel"), off)
				}
				return z.bytes()
			},
			verdict: Unscannable,
			reason:  "zip_overlap",
		},
		{
			name: "quoted overlap: one entry's data contains the next header",
			data: func(t *testing.T) []byte {
				var inner rawZip
				inner.local("b", []byte("kernel"))
				quoted := inner.buf.Bytes()
				var z rawZip
				z.local("a", quoted)
				z.central("a", quoted, 0)
				z.central("b", []byte("kernel"), 30+1)
				return z.bytes()
			},
			verdict: Unscannable,
			reason:  "zip_overlap",
		},
		{
			name:    "ratio bomb",
			data:    func(t *testing.T) []byte { return mkzip(t, zent{name: "zeros.txt", data: big}) },
			verdict: Unscannable,
			reason:  "max_entry_ratio",
		},
		{
			name: "total bytes",
			data: func(t *testing.T) []byte {
				return mkzip(t, zent{name: "a.txt", data: bytes.Repeat([]byte("abc "), 1<<18)})
			},
			opts:    func(o *Options) { o.Limits.MaxTotalBytes = 1 << 19 },
			verdict: Unscannable,
			reason:  "max_total_bytes",
		},
		{
			name: "entry count",
			data: func(t *testing.T) []byte {
				var ents []zent
				for i := 0; i < 10; i++ {
					ents = append(ents, zent{name: strings.Repeat("f", i+1), data: []byte("x")})
				}
				return mkzip(t, ents...)
			},
			opts:    func(o *Options) { o.Limits.MaxEntries = 5 },
			verdict: Unscannable,
			reason:  "max_entries",
		},
		{
			name: "nesting depth",
			data: func(t *testing.T) []byte {
				z := mkzip(t, zent{name: "a.txt", data: []byte("deep")})
				for i := 0; i < 12; i++ {
					z = mkzip(t, zent{name: "n.zip", data: z})
				}
				return z
			},
			verdict: Unscannable,
			reason:  "max_depth",
		},
		{
			// 7z is read now (sevenzip_test.go); a bare signature is corrupt.
			name:    "7z stub is unscannable",
			data:    func(t *testing.T) []byte { return []byte("7z\xBC\xAF\x27\x1C\x00\x04rest") },
			verdict: Unscannable,
		},
		{
			name:    "truncated zip",
			data:    func(t *testing.T) []byte { z := mkzip(t, zent{name: "a.csv", data: csv}); return z[:len(z)/2] },
			verdict: Unscannable,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mods []func(*Options)
			if tc.opts != nil {
				mods = append(mods, tc.opts)
			}
			s, sink := newTest(t, mods...)
			res := scanFile(t, s, "a.zip", tc.data(t))
			if res.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s; reasons %q; parts %+v", res.Verdict, tc.verdict, res.Reasons, res.Parts)
			}
			if tc.reason != "" && !hasReason(res, tc.reason) {
				t.Errorf("no reason %q in %q", tc.reason, res.Reasons)
			}
			if tc.part != "" && partByPath(res, tc.part) == nil {
				t.Errorf("no part %q in %+v", tc.part, res.Parts)
			}
			rows := strings.Join(sink.Rows(), "\n")
			for _, want := range tc.rows {
				if !strings.Contains(rows, want) {
					t.Errorf("row %q missing; rows:\n%s", want, rows)
				}
			}
		})
	}
}

func TestGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzipWriter(&buf, "list.csv")
	zw.Write([]byte(customers))
	zw.Close()
	s, sink := newTest(t)
	res := scanFile(t, s, "list.csv.gz", buf.Bytes())
	if res.Verdict != PersonalData || !strings.Contains(strings.Join(sink.Rows(), "\n"), "佐藤花子") {
		t.Fatalf("gzip: %s %q rows %q", res.Verdict, res.Reasons, sink.Rows())
	}
}

// Many entries with findings must not make finishing a scan quadratic.
func TestZipManyEntries(t *testing.T) {
	var ents []zent
	for i := 0; i < 3000; i++ {
		ents = append(ents, zent{name: fmt.Sprintf("d%d/list%d.csv", i%10, i), data: []byte(customers)})
	}
	s, _ := newTest(t)
	s.tee = nil
	start := time.Now()
	res := scanFile(t, s, "many.zip", mkzip(t, ents...))
	if res.Verdict != PersonalData || len(res.Parts) != 3001 {
		t.Fatalf("verdict %s, %d parts", res.Verdict, len(res.Parts))
	}
	for _, p := range res.Parts {
		if p.Verdict != PersonalData {
			t.Fatalf("part %s: %s", p.Path, p.Verdict)
		}
	}
	t.Logf("3000 entries in %v", time.Since(start))
}

func TestTarGz(t *testing.T) {
	var buf bytes.Buffer
	zw := gzipWriter(&buf, "")
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "export/list.csv", Mode: 0o644, Size: int64(len(customers)), Typeflag: tar.TypeReg})
	tw.Write([]byte(customers))
	tw.Close()
	zw.Close()
	s, _ := newTest(t)
	res := scanFile(t, s, "export.tar.gz", buf.Bytes())
	if res.Verdict != PersonalData || partByPath(res, "1/export.tar.gz/export.tar/export/list.csv") == nil {
		t.Fatalf("verdict %s parts %+v", res.Verdict, res.Parts)
	}
}
