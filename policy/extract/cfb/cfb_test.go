package cfb

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/extracttest"
)

func biffRec(typ uint16, body []byte) []byte {
	h := make([]byte, 4)
	binary.LittleEndian.PutUint16(h, typ)
	binary.LittleEndian.PutUint16(h[2:], uint16(len(body)))
	return append(h, body...)
}

func u16s(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// workbook builds a BIFF8 stream whose SST is split across a CONTINUE
// record in the middle of a string, the case that breaks naive readers.
func workbook(encrypted bool) []byte {
	var w []byte
	w = append(w, biffRec(recBOF, []byte{0, 6, 5, 0, 0, 0, 0, 0})...)
	if encrypted {
		w = append(w, biffRec(recFilePass, []byte{1, 0, 1, 0})...)
	}
	// SST: 3 strings; the third starts in SST and continues.
	sst := []byte{3, 0, 0, 0, 3, 0, 0, 0}
	for _, s := range []string{"氏名", "電話番号"} {
		sst = append(sst, byte(len([]rune(s))), 0, 1)
		sst = append(sst, u16s(s)...)
	}
	third := u16s("山田太郎")
	sst = append(sst, 4, 0, 1)
	sst = append(sst, third[:4]...)
	w = append(w, biffRec(recSST, sst)...)
	cont := append([]byte{1}, third[4:]...)
	w = append(w, biffRec(recContinue, cont)...)
	w = append(w, biffRec(recEOF, nil)...)
	w = append(w, biffRec(recBOF, []byte{0, 6, 0x10, 0, 0, 0, 0, 0})...)
	lsst := func(r, c uint16, i uint32) []byte {
		b := make([]byte, 10)
		binary.LittleEndian.PutUint16(b, r)
		binary.LittleEndian.PutUint16(b[2:], c)
		binary.LittleEndian.PutUint32(b[6:], i)
		return biffRec(recLabelSST, b)
	}
	w = append(w, lsst(0, 0, 0)...)
	w = append(w, lsst(0, 1, 1)...)
	w = append(w, lsst(1, 0, 2)...)
	label := []byte{1, 0, 1, 0, 0, 0, 13, 0, 0}
	label = append(label, "090-1234-5678"...)
	w = append(w, biffRec(recLabel, label)...)
	rkb := make([]byte, 10)
	binary.LittleEndian.PutUint16(rkb, 1)
	binary.LittleEndian.PutUint16(rkb[2:], 2)
	binary.LittleEndian.PutUint32(rkb[6:], 27000<<2|2)
	w = append(w, biffRec(recRK, rkb)...)
	w = append(w, biffRec(recEOF, nil)...)
	return w
}

func run(data []byte) (*extracttest.Sink, error) {
	sink := extracttest.New()
	err := Extract(Doc{R: bytes.NewReader(data), Size: int64(len(data)), Sink: sink, Budget: extract.NewBudget(context.Background(), 1<<30),
		Nested: func(string, []byte) error { return nil }})
	return sink, err
}

func TestCFB(t *testing.T) {
	wordFIB := func(flags uint16) []byte {
		b := make([]byte, 1024)
		binary.LittleEndian.PutUint16(b, 0xA5EC)
		binary.LittleEndian.PutUint16(b[0x0A:], flags)
		return b
	}
	tests := []struct {
		name string
		data []byte
		rows []string
		err  error
	}{
		{"xls with SST continue", extracttest.CFB(extracttest.Stream{Name: "Workbook", Data: workbook(false)}), []string{"氏名|電話番号", "山田太郎|090-1234-5678|27000"}, nil},
		{"xls FILEPASS", extracttest.CFB(extracttest.Stream{Name: "Workbook", Data: workbook(true)}), nil, extract.ErrEncrypted},
		{"encrypted OOXML", extracttest.CFB(extracttest.Stream{Name: "EncryptionInfo", Data: []byte{4, 0, 4, 0}}, extracttest.Stream{Name: "EncryptedPackage", Data: []byte("x")}), nil, extract.ErrEncrypted},
		{"doc fEncrypted", extracttest.CFB(extracttest.Stream{Name: "WordDocument", Data: wordFIB(0x0100)}, extracttest.Stream{Name: "0Table", Data: []byte{0}}), nil, extract.ErrEncrypted},
		{"unknown storage", extracttest.CFB(extracttest.Stream{Name: "Contents", Data: []byte("x")}), nil, ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sink, err := run(tc.data)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rows := strings.Join(sink.Rows(), "\n")
			for _, w := range tc.rows {
				if !strings.Contains(rows, w) {
					t.Errorf("row %q missing in %q", w, rows)
				}
			}
		})
	}
}

func FuzzCFB(f *testing.F) {
	f.Add(extracttest.CFB(extracttest.Stream{Name: "Workbook", Data: workbook(false)}))
	for _, name := range []string{"customers.xls", "letter.doc"} {
		if b, err := os.ReadFile("../../scan/testdata/" + name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		run(data)
	})
}
