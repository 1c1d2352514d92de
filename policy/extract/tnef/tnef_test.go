package tnef

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf16"
)

// The example of [MS-OXRTFCP] 3.1.1.
func TestDecompressRTF(t *testing.T) {
	b, _ := hex.DecodeString(strings.ReplaceAll("2d0000002b0000004c5a4675f1c5c7a703000a0072637067313235423 20af32068656c09002062770 5b06c647d0a800fa0", " ", ""))
	got, err := decompressRTF(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"; string(got) != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

// Build writes a TNEF stream from attributes (for tests).
func Build(attrs ...Attr) []byte {
	le := binary.LittleEndian
	out := make([]byte, 6)
	le.PutUint32(out, Signature)
	for _, a := range attrs {
		h := make([]byte, 9)
		h[0] = a.Level
		le.PutUint32(h[1:], a.ID)
		le.PutUint32(h[5:], uint32(len(a.Data)))
		out = append(out, h...)
		out = append(out, a.Data...)
		out = append(out, 0, 0)
	}
	return out
}

// Attr is one TNEF attribute.
type Attr struct {
	Level byte
	ID    uint32
	Data  []byte
}

func unicodeProp(id uint16, s string) []byte {
	le := binary.LittleEndian
	u := utf16.Encode([]rune(s + "\x00"))
	v := make([]byte, 2*len(u))
	for i, c := range u {
		le.PutUint16(v[2*i:], c)
	}
	b := make([]byte, 12)
	le.PutUint16(b, 0x001F)
	le.PutUint16(b[2:], id)
	le.PutUint32(b[4:], 1)
	le.PutUint32(b[8:], uint32(len(v)))
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func propList(ps ...[]byte) []byte {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, uint32(len(ps)))
	for _, p := range ps {
		b = append(b, p...)
	}
	return b
}

func TestParse(t *testing.T) {
	data := Build(
		Attr{1, attSubject, []byte("subject\x00")},
		Attr{1, attMAPIProps, propList(unicodeProp(0x1000, "本文：山田太郎"))},
		Attr{2, attAttachRendData, make([]byte, 14)},
		Attr{2, attAttachTitle, []byte("LIST~1.CSV\x00")},
		Attr{2, attAttachData, []byte("a,b\n1,2\n")},
		Attr{2, attAttachment, propList(unicodeProp(prAttachLongFilename, "顧客一覧.csv"))},
	)
	var texts []string
	var names []string
	err := Parse(data, Handler{
		Text:       func(s string) error { texts = append(texts, s); return nil },
		Attachment: func(n string, d []byte) error { names = append(names, n+"="+string(d)); return nil },
		RTF:        func([]byte) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(texts, "|"); !strings.Contains(got, "subject") || !strings.Contains(got, "本文：山田太郎") {
		t.Errorf("texts %q", texts)
	}
	if len(names) != 1 || names[0] != "顧客一覧.csv=a,b\n1,2\n" {
		t.Errorf("attachments %q", names)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(Build(Attr{1, attSubject, []byte("s")}, Attr{2, attAttachRendData, nil}, Attr{2, attAttachData, []byte("x")}))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := Handler{Text: func(string) error { return nil }, Attachment: func(string, []byte) error { return nil }, RTF: func([]byte) error { return nil }}
		Parse(data, h)
		if len(data) > 16 {
			decompressRTF(data)
		}
	})
}
