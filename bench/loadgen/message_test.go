package loadgen

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func TestTemplates(t *testing.T) {
	wantSize := map[Kind]int{KindText4K: size4K, KindCSV100K: size100K, KindCustomers100K: size100K}
	for _, k := range Kinds {
		tmpl, err := NewTemplate(k, "bench@example.com", []string{"rcpt@example.net"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tmpl.Size(), wantSize[k]; got > want || got < want*97/100 {
			t.Errorf("%s: size %d, want just under %d", k, got, want)
		}
		raw := append(tmpl.Header(7), tmpl.Body...)
		if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
			t.Errorf("%s: bare LF in message", k)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: parse: %v", k, err)
		}
		if got := msg.Header.Get("Message-Id"); !strings.Contains(got, "00000007") {
			t.Errorf("%s: Message-ID %q does not carry the index", k, got)
		}
		if k != KindText4K {
			checkCSV(t, k, msg)
		}
	}
}

// checkCSV decodes the attachment of msg and checks it is valid CSV.
func checkCSV(t *testing.T, k Kind, msg *mail.Message) {
	t.Helper()
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("%s: content type: %v", k, err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	if _, err := mr.NextPart(); err != nil {
		t.Fatalf("%s: text part: %v", k, err)
	}
	p, err := mr.NextPart()
	if err != nil {
		t.Fatalf("%s: attachment: %v", k, err)
	}
	rows, err := csv.NewReader(base64.NewDecoder(base64.StdEncoding, p)).ReadAll()
	if err != nil {
		t.Fatalf("%s: csv: %v", k, err)
	}
	if len(rows) < 500 {
		t.Errorf("%s: only %d rows", k, len(rows))
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("%s: want end of multipart, got %v", k, err)
	}
}

func TestPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := percentiles(ds)
	want := Percentiles{P50: 50 * time.Millisecond, P90: 90 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if (percentiles(nil) != Percentiles{}) {
		t.Error("empty input: want zero percentiles")
	}
}
