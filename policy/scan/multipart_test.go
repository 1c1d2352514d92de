package scan

import (
	"io"
	"strings"
	"testing"
)

// A customer list hidden in the preamble and epilogue of a multipart: not
// shown by Outlook, but shown by some clients and kept in every mailbox.
func TestPreambleEpilogueScanned(t *testing.T) {
	msg := "From: tanaka@agency.example.jp\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed;\r\n\tboundary=\"----=_NextPart_000_0001_01DA1234.56789ABC\"\r\n\r\n" +
		"This is a multi-part message in MIME format.\r\n" +
		"氏名,フリガナ,生年月日,電話番号\r\n山田太郎,ヤマダタロウ,1975/04/12,090-1234-5678\r\n佐藤花子,サトウハナコ,1980/11/03,080-2345-6789\r\n" +
		"\r\n------=_NextPart_000_0001_01DA1234.56789ABC\r\n" +
		"Content-Type: text/plain;\r\n\tcharset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nお世話になっております。\r\n" +
		"------=_NextPart_000_0001_01DA1234.56789ABC--\r\n" +
		"鈴木一郎,スズキイチロウ,1968/02/29,070-3456-7890\r\n"
	s, sink := newTest(t)
	res := scanMsg(t, s, msg)
	all := sink.AllText()
	for _, want := range []string{"山田太郎,ヤマダタロウ,1975/04/12,090-1234-5678", "お世話になっております。", "鈴木一郎,スズキイチロウ"} {
		if !strings.Contains(all, want) {
			t.Errorf("%q not scanned; got:\n%s", want, all)
		}
	}
	if res.Verdict == Clean {
		t.Errorf("verdict clean with a customer list in the preamble (%q)", res.Reasons)
	}
	if len(res.Parts) != 1 {
		t.Errorf("parts %+v, want the one text part", res.Parts)
	}
}

// The second of two Content-Type headers must be scanned too: a CSV
// announced after an S/MIME signature type was passed as "signature".
func TestTwoContentTypes(t *testing.T) {
	msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\n添付をご確認ください。\r\n--X\r\n" +
		"Content-Type: application/pkcs7-signature; name=smime.p7s\r\n" +
		"Content-Type: text/csv; charset=utf-8; name=meibo.csv\r\n" +
		"Content-Disposition: attachment; filename=meibo.csv\r\n\r\n" + customers + "--X--\r\n"
	s, sink := newTest(t)
	res := scanMsg(t, s, msg)
	if !strings.Contains(strings.Join(sink.Rows(), "\n"), "山田太郎|ヤマダタロウ|090-1234-5678") {
		t.Errorf("second Content-Type not scanned; rows %q", sink.Rows())
	}
	if res.Verdict != PersonalData {
		t.Errorf("verdict %s, want personal_data (%q)", res.Verdict, res.Reasons)
	}
	// One part read twice, not two attachments (policy counts them).
	if len(res.Parts) != 2 || partByPath(res, "2") == nil || partByPath(res, "2").Verdict != PersonalData {
		t.Errorf("parts %+v", res.Parts)
	}

	// Multipart as the second type: its parts are walked.
	msg2 := "Content-Type: text/plain; charset=us-ascii\r\nContent-Type: multipart/mixed; boundary=Y\r\n\r\n--Y\r\n" +
		"Content-Type: text/csv; name=a.csv\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(sjis(t, customers)) + "--Y--\r\n"
	s2, sink2 := newTest(t)
	res = scanMsg(t, s2, msg2)
	if !strings.Contains(strings.Join(sink2.Rows(), "\n"), "佐藤花子|サトウハナコ") {
		t.Errorf("multipart second type not walked; rows %q", sink2.Rows())
	}
	if res.Verdict != PersonalData {
		t.Errorf("verdict %s, want personal_data (%q)", res.Verdict, res.Reasons)
	}
}

func TestSplitter(t *testing.T) {
	body := "pre 1\r\npre 2\r\n--b \t\r\nA\r\n--bx\r\n--b\nB\n\n--b--  \r\nepi\r\n--b\r\n"
	sp := newSplitter(strings.NewReader(body), "b")
	var got []string
	read := func() {
		b, err := io.ReadAll(sp)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
	}
	read()
	for {
		more, err := sp.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		read()
	}
	read()
	want := []string{"pre 1\r\npre 2", "A\r\n--bx", "B\n", "epi\r\n--b\r\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sections %q, want %q", got, want)
	}

	// No close delimiter: the last part is read to the end, then an error.
	sp = newSplitter(strings.NewReader("--b\r\nhead: x\r\n\r\ntruncated"), "b")
	io.ReadAll(sp)
	if more, err := sp.Next(); !more || err != nil {
		t.Fatalf("first part: %v %v", more, err)
	}
	if b, err := io.ReadAll(sp); string(b) != "head: x\r\n\r\ntruncated" || err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated part %q %v", b, err)
	}
	if _, err := sp.Next(); err != io.ErrUnexpectedEOF {
		t.Fatalf("Next after truncation: %v", err)
	}
}

func FuzzSplitter(f *testing.F) {
	f.Add("pre\r\n--b\r\nA\r\n--b--\r\nepi", "b")
	f.Add("--b\nB\n--b\n--b--", "b")
	f.Add("x\r\n--bb\r\n--b\r\n\r\n--b--", "b")
	f.Fuzz(func(t *testing.T, body, boundary string) {
		if boundary == "" {
			return
		}
		sp := newSplitter(strings.NewReader(body), boundary)
		total := 0
		for i := 0; ; i++ {
			b, _ := io.ReadAll(sp)
			total += len(b)
			if total > len(body) {
				t.Fatalf("sections hold %d bytes of a %d-byte body", total, len(body))
			}
			more, err := sp.Next()
			if err != nil || !more {
				break
			}
			if i > len(body) {
				t.Fatal("more sections than bytes")
			}
		}
	})
}
