package scan

import (
	"context"
	"errors"
	"github.com/okuri/okuri/policy/extract/extracttest"
	"strings"
	"testing"
	"time"
)

func TestVerdictPrecedence(t *testing.T) {
	tests := []struct{ a, b, want Verdict }{
		{Clean, Encrypted, Encrypted},
		{Encrypted, Unscannable, Unscannable},
		{Unscannable, PersonalData, PersonalData},
		{PersonalData, Encrypted, PersonalData},
		{Clean, Clean, Clean},
	}
	for _, tc := range tests {
		if got := stronger(tc.a, tc.b); got != tc.want {
			t.Errorf("stronger(%s,%s)=%s want %s", tc.a, tc.b, got, tc.want)
		}
		if got := stronger(tc.b, tc.a); got != tc.want {
			t.Errorf("stronger(%s,%s)=%s want %s", tc.b, tc.a, got, tc.want)
		}
	}
}

// A message with a customer list, a password ZIP and a corrupt file keeps
// every reason and every part verdict, while the message is personal_data.
func TestMixedMessage(t *testing.T) {
	enc := mkzip(t, zent{name: "x.csv", data: []byte("a"), flags: 1})
	msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n" +
		"--X\r\nContent-Type: text/plain\r\n\r\nこんにちは\r\n" +
		"--X\r\nContent-Type: text/csv; name=list.csv\r\n\r\n" + customers + "\r\n" +
		"--X\r\nContent-Type: application/zip; name=pw.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(enc) +
		"--X\r\nContent-Type: application/pdf; name=broken.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64([]byte("\x00\x01\x02\x03 not a pdf \x00\x00")) +
		"--X--\r\n"
	s, _ := newTest(t)
	res := scanMsg(t, s, msg)
	if res.Verdict != PersonalData {
		t.Fatalf("verdict %s", res.Verdict)
	}
	want := map[string]Verdict{"1": Clean, "2": PersonalData, "3": Encrypted, "3/pw.zip/x.csv": Encrypted, "4": Unscannable}
	for path, v := range want {
		p := partByPath(res, path)
		if p == nil || p.Verdict != v {
			t.Errorf("part %s: %+v, want %s", path, p, v)
		}
	}
	if !res.Has(Encrypted) || !res.Has(Unscannable) {
		t.Error("Has misses part verdicts")
	}
	if !hasReason(res, "encrypted") || !hasReason(res, "4: ") || !hasReason(res, "records") {
		t.Errorf("reasons incomplete: %q", res.Reasons)
	}
	for _, r := range res.Reasons {
		if strings.Contains(r, "090") || strings.Contains(r, "山田") {
			t.Errorf("reason leaks content: %q", r)
		}
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	big := benchCSV(8 << 20)
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = time.Nanosecond })
	res := scanFile(t, s, "big.csv", []byte(big))
	if res.Verdict != Unscannable || !hasReason(res, "timeout") {
		t.Fatalf("timeout: %s %q", res.Verdict, res.Reasons)
	}

	s2, _ := newTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s2.ScanFile(ctx, "big.csv", strings.NewReader(big), int64(len(big)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled scan: err %v", err)
	}
}

func TestConcurrentScans(t *testing.T) {
	s, _ := newTest(t)
	s.tee = nil
	data := xlsxFixture(t)
	done := make(chan *Result)
	for i := 0; i < 4; i++ {
		go func() {
			res, err := s.ScanFile(context.Background(), "a.xlsx", strings.NewReader(string(data)), int64(len(data)))
			if err != nil {
				t.Error(err)
			}
			done <- res
		}()
	}
	for i := 0; i < 4; i++ {
		if res := <-done; res == nil || res.Verdict != PersonalData {
			t.Errorf("concurrent scan: %+v", res)
		}
	}
}

func TestRTF(t *testing.T) {
	rtf := `{\rtf1\ansi\ansicpg932\deff0{\fonttbl{\f0\fnil\fcharset128 MS Mincho;}}{\*\generator Riched20;}{\info{\author X}}` +
		`\f0 \'8c\'da\'96\'f1\'8e\'d2\'81\'46\'8e\'52\'93\'63\'91\'be\'98\'59\par ` +
		`\u38651?\u35441?: 090-1234-5678\par{\pict\pngblip 89504e47}}`
	s, sink := newTest(t)
	res := scanFile(t, s, "a.rtf", []byte(rtf))
	all := sink.AllText()
	for _, w := range []string{"約者：山田太郎", "電話: 090-1234-5678"} {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in %q", w, all)
		}
	}
	if !strings.Contains(all, "X\n") {
		t.Errorf("document info not on its own line: %q", all)
	}
	if strings.Contains(all, "89504e47") || strings.Contains(all, "Riched") {
		t.Errorf("skipped destination leaked: %q", all)
	}
	if res.Verdict == Unscannable {
		t.Errorf("verdict %s", res.Verdict)
	}
}

func TestPDFVerdicts(t *testing.T) {
	ucs2 := []byte{0x5c, 0x71, 0x75, 0x30, 0x59, 0x2a, 0x90, 0xce} // 山田太郎 in UTF-16BE
	// The first PDF starts PDFium (compiling its WebAssembly, over a
	// minute under -race on a loaded machine) inside the message's time
	// budget; this test is about verdicts, not that budget.
	s, sink := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	res := scanFile(t, s, "scan.pdf", extracttest.ImagePDF())
	if res.Verdict != Unscannable || !hasReason(res, "image-only") {
		t.Errorf("image-only PDF: %s %q", res.Verdict, res.Reasons)
	}
	res = scanFile(t, s, "cjk.pdf", extracttest.CJKPDF("UniJIS-UCS2-H", ucs2))
	if res.Verdict == Unscannable || !strings.Contains(sink.AllText(), "山田太郎") {
		t.Errorf("CJK PDF: %s %q text %q", res.Verdict, res.Reasons, sink.AllText())
	}
}

func TestMislabelledCharset(t *testing.T) {
	msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/csv; charset=us-ascii; name=a.csv\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(sjis(t, customers)) + "--X--\r\n"
	s, sink := newTest(t)
	scanMsg(t, s, msg)
	if !strings.Contains(strings.Join(sink.Rows(), "\n"), "山田太郎|ヤマダタロウ") {
		t.Errorf("Shift_JIS labelled us-ascii not decoded: %q", sink.Rows())
	}
}

func TestRTFObjectUnscannable(t *testing.T) {
	rtf := `{\rtf1\ansi 顧客一覧を添付します\par{\object\objemb{\*\objclass Excel.Sheet.12}{\*\objdata 0105000002000000}}}`
	s, _ := newTest(t)
	res := scanFile(t, s, "a.rtf", []byte(rtf))
	if res.Verdict != Unscannable || !hasReason(res, "embeds an object") {
		t.Errorf("verdict %s %q", res.Verdict, res.Reasons)
	}
}

func TestCryptoParts(t *testing.T) {
	tests := []struct {
		name, part string
		want       Verdict
	}{
		{"smime signature", "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n", Clean},
		{"smime enveloped", "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n", Encrypted},
		{"pgp armored", "Content-Type: application/octet-stream; name=encrypted.asc\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n", Encrypted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nhi\r\n--X\r\n" + tc.part + "--X--\r\n"
			s, _ := newTest(t)
			res := scanMsg(t, s, msg)
			if res.Verdict != tc.want {
				t.Errorf("verdict %s want %s (%q)", res.Verdict, tc.want, res.Reasons)
			}
		})
	}
}

func TestBrokenAttachedMessage(t *testing.T) {
	msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nhi\r\n--X\r\nContent-Type: message/rfc822\r\n\r\nthis line is no header\r\n\r\nbody\r\n--X--\r\n"
	s, _ := newTest(t)
	res := scanMsg(t, s, msg)
	if p := partByPath(res, "2"); p == nil || p.Verdict != Unscannable || res.Verdict != Unscannable {
		t.Fatalf("part %+v, verdict %s %q", p, res.Verdict, res.Reasons)
	}
}
