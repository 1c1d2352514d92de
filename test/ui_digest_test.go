package test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/internal/smtpsink"
)

// digestTail delays every external message for an hour and tells the
// sender in a digest, at most every second, instead of one notice per
// message (issue 13 item 6).
const digestTail = `domains:
  internal: [agency.test]
policy:
  rules:
    - {name: delay-external, when: {external: true}, action: delay, delay: 1h}
ui:
  listen: %[1]s
  base_url: https://%[1]s
  delay_notice: digest
  delay_digest_every: 1s
`

// TestUIBinaryDelayDigest: through the real binary, delayed sends give
// the sender one list, not a notice each; the list names every delayed
// message and links to the 一時保留 page; nothing new, no mail; a new
// delayed message, one new list.
func TestUIBinaryDelayDigest(t *testing.T) {
	e := newEnv(t)
	addr := freePort(t)
	e.Cfg.Tail = fmt.Sprintf(digestTail, addr)
	p := e.start()
	waitUI(t, p)
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	send := func(i int) {
		t.Helper()
		msg := fmt.Sprintf("From: alice@agency.test\r\nTo: customer%d@example.test\r\nSubject: quote-%d\r\n\r\nお見積もりです。\r\n", i, i)
		if err := sendExpect(c, "alice@agency.test", []string{fmt.Sprintf("customer%d@example.test", i)}, msg, "held as "); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	for i := 1; i <= 3; i++ {
		send(i)
	}
	// The digests that arrive name, at the latest, all three.
	last := waitDigest(t, e, 1, 15*time.Second, "quote-1", "quote-2", "quote-3")
	n := len(e.Sink.Messages())
	if n > 3 {
		t.Errorf("%d digests for 3 delayed messages", n)
	}
	if !strings.Contains(last, "https://"+addr+"/delayed") {
		t.Errorf("digest has no link to the 一時保留 page:\n%s", last)
	}
	time.Sleep(2500 * time.Millisecond) // two digest intervals with nothing new
	if got := len(e.Sink.Messages()); got != n {
		t.Fatalf("%d more mails with nothing new delayed", got-n)
	}
	send(4)
	waitDigest(t, e, n+1, 15*time.Second, "quote-1", "quote-2", "quote-3", "quote-4")
	for i, m := range e.Sink.Messages() {
		if len(m.To) != 1 || m.To[0] != "alice@agency.test" || m.From != "" {
			t.Errorf("mail %d at the upstream: from %q to %v, want only digests to the sender", i, m.From, m.To)
		}
	}
}

// waitDigest waits until the sink holds at least n mails and the last
// one names every subject in want; it returns that mail, decoded.
func waitDigest(t *testing.T, e *env, n int, within time.Duration, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(within)
	var body string
	for time.Now().Before(deadline) {
		if ms := e.Sink.Messages(); len(ms) >= n {
			body = decodedBody(ms[len(ms)-1])
			if containsAll(body, want) {
				return body
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no digest naming %v within %v; last mail:\n%s", want, within, body)
	return ""
}

func decodedBody(m smtpsink.Message) string { return string(qpDecode(m.Data)) }

func containsAll(s string, subs []string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
