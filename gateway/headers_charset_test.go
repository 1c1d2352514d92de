package gateway

import (
	"strings"
	"testing"

	"github.com/okuri/okuri/spool"
)

// TestDisplayHeadersCP932: the self-check page shows the subject Outlook
// wrote in CP932 decoded, as policy and the scanner read it.
func TestDisplayHeadersCP932(t *testing.T) {
	w := spool.New(t.TempDir(), 1<<16).NewWriter()
	w.Write([]byte("From: =?ISO-2022-JP?B?GyRCOFw1UiVqJTklSBsoQg==?= <alice@agency.example.jp>\r\n" +
		"To: x@partner.example.com\r\nSubject: =?CP932?B?gXmO0IpPlOmBeozai3GDioNYg2c=?=\r\n\r\nbody\r\n"))
	b, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	hh, err := readHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	h := displayHeaders(hh)
	if h.Subject != "【社外秘】顧客リスト" || !strings.HasPrefix(h.From, "顧客リスト <") {
		t.Fatalf("subject %q from %q", h.Subject, h.From)
	}
}
