package scan

import (
	"encoding/binary"
	"strings"
	"testing"
)

// tnefAttr appends one TNEF attribute (level, id, data, checksum).
func tnefAttr(b []byte, level byte, id uint32, data []byte) []byte {
	h := make([]byte, 9)
	h[0] = level
	binary.LittleEndian.PutUint32(h[1:], id)
	binary.LittleEndian.PutUint32(h[5:], uint32(len(data)))
	b = append(b, h...)
	b = append(b, data...)
	return append(b, 0, 0)
}

func TestTNEF(t *testing.T) {
	w := []byte{0x78, 0x9F, 0x3E, 0x22, 0, 0}
	w = tnefAttr(w, 1, 0x00069007, []byte{0xA4, 0x03, 0, 0, 0, 0, 0, 0}) // code page 932
	w = tnefAttr(w, 1, 0x00018004, append(sjis(t, "顧客リスト送付"), 0))
	w = tnefAttr(w, 2, 0x00069002, make([]byte, 14))
	w = tnefAttr(w, 2, 0x00018010, append(sjis(t, "顧客.csv"), 0))
	w = tnefAttr(w, 2, 0x0006800F, []byte(customers))
	msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--X\r\n" +
		"Content-Type: application/ms-tnef; name=winmail.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(w) + "--X--\r\n"
	s, sink := newTest(t)
	res := scanMsg(t, s, msg)
	if res.Verdict != PersonalData {
		t.Fatalf("verdict %s %q", res.Verdict, res.Reasons)
	}
	if !strings.Contains(sink.AllText(), "顧客リスト送付") {
		t.Errorf("subject missing: %q", sink.AllText())
	}
	if p := partByPath(res, "2/winmail.dat/顧客.csv"); p == nil || p.Verdict != PersonalData {
		t.Errorf("attachment part: %+v (parts %+v)", p, res.Parts)
	}
}
