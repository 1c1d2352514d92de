package smtpd

import (
	"strings"
	"testing"
)

// Headers that name a sender, the way Outlook and Thunderbird write them,
// with a second identity slipped in. Each must be refused before the
// Handler sees the message.
func TestHeaderSenderBindingRefuses(t *testing.T) {
	srv, rec := testServer(t)
	const tail = "To: <customer@example.net>\r\nSubject: =?ISO-2022-JP?B?GyRCOGVMZBsoQg==?=\r\nDate: Sun, 6 Dec 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"iso-2022-jp\"\r\n\r\nbody\r\n"
	tests := []struct {
		name, header, want string
	}{
		{"second From", "From: Alice <alice@agency.test>\r\nFrom: Bob <bob@agency.test>\r\n", "550 5.6.0 Message has more than one From header"},
		{"second from lower case", "From: alice@agency.test\r\nfrom: bob@agency.test\r\n", "550 5.6.0 Message has more than one From header"},
		{"second From with space before colon", "From: alice@agency.test\r\nFROM : bob@agency.test\r\n", "550 5.6.0 Message has more than one From header"},
		{"From twice, same owner", "From: alice@agency.test\r\nFrom: sales@agency.test\r\n", "550 5.6.0 Message has more than one From header"},
		{"Sender another user", "From: alice@agency.test\r\nSender: \"Bob\" <bob@agency.test>\r\n", "553 5.7.1 Sender header address <bob@agency.test> is not owned by user alice@agency.test"},
		{"Resent-From another user", "From: alice@agency.test\r\nResent-From: bob@agency.test\r\nResent-Date: Sun, 6 Dec 2026 10:00:00 +0900\r\n", "553 5.7.1 Resent-From header address <bob@agency.test>"},
		{"Resent-Sender another user", "From: alice@agency.test\r\nResent-From: sales@agency.test\r\nResent-Sender: bob@agency.test\r\n", "553 5.7.1 Resent-Sender header address <bob@agency.test>"},
		{"second Resent-From another user", "From: alice@agency.test\r\nResent-From: sales@agency.test\r\nresent-from: Bob <bob@agency.test>\r\n", "553 5.7.1 Resent-From header address <bob@agency.test>"},
		{"Sender unparsable", "From: alice@agency.test\r\nSender: <<bob@agency.test\r\n", "550 5.6.0 Sender header cannot be parsed"},
		{"Sender empty", "From: alice@agency.test\r\nSender: \r\n", "550 5.6.0 Sender header cannot be parsed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := login(t, srv, "alice@agency.test", alicePass)
			got := c.data("alice@agency.test", "customer@example.net", tt.header+tail)
			if !strings.HasPrefix(got, tt.want) {
				t.Fatalf("S: %q\nwant %q", got, tt.want)
			}
			c.expect("QUIT", "221")
		})
	}
	if n := len(rec.messages()); n != 0 {
		t.Fatalf("handler got %d messages, want none", n)
	}
}

func TestHeaderSenderBindingAccepts(t *testing.T) {
	srv, rec := testServer(t)
	c := login(t, srv, "alice@agency.test", alicePass)
	// A shared mailbox sent by its member (RFC 5322 section 3.6.2), and a
	// resent block naming the user.
	msg := "From: =?UTF-8?B?5Za25qWt6YOo?= <sales@agency.test>\r\nSender: Alice <ALICE@agency.test>\r\n" +
		"Resent-From: alice@agency.test\r\nResent-Sender: sales@agency.test\r\nTo: customer@example.net\r\nSubject: hi\r\n\r\nhello\r\n"
	c.expect("MAIL FROM:<sales@agency.test>", "250")
	c.expect("RCPT TO:<customer@example.net>", "250")
	c.expect("DATA", "354")
	c.write(msg)
	c.expect(".", "250 2.0.0 Ok: delivered as QID1")
	if n := len(rec.messages()); n != 1 {
		t.Fatalf("handler got %d messages, want 1", n)
	}
}

// A copier on a trusted network sends without AUTH; Sender and Resent-*
// are held to its domains like From.
func TestTrustedNetworkHeaderBinding(t *testing.T) {
	srv, rec := testServer(t)
	c := dialFrom(t, srv, "127.0.0.2")
	c.expect("EHLO copier", "250")
	got := c.data("scan@scanner.agency.test", "customer@example.net",
		"From: scan@scanner.agency.test\r\nSender: ceo@agency.test\r\nSubject: Scan\r\n\r\nscan\r\n")
	if want := "553 5.7.1 Sender header address <ceo@agency.test> is not in a domain this network may send from"; !strings.HasPrefix(got, want) {
		t.Fatalf("S: %q\nwant %q", got, want)
	}
	c.expect("MAIL FROM:<scan@scanner.agency.test>", "250")
	c.expect("RCPT TO:<customer@example.net>", "250")
	c.expect("DATA", "354")
	c.write("From: scan@scanner.agency.test\r\nSubject: Scan\r\n\r\nscan\r\n")
	c.expect(".", "250")
	if n := len(rec.messages()); n != 1 {
		t.Fatalf("handler got %d messages, want 1", n)
	}
}

// Display names in Japanese charsets, as Japanese mailers encode them:
// the binding parses them with the scanner's charsets, not with a
// process-wide hook (nothing in okuri installs go-message's).
func TestHeaderSenderBindingJapaneseNames(t *testing.T) {
	srv, rec := testServer(t)
	for i, from := range []string{
		"=?ISO-2022-JP?B?GyRCMUQ2SEl0GyhC?= <sales@agency.test>", // 営業部
		"=?Shift_JIS?B?iWOLxpWU?= <sales@agency.test>",           // 営業部
		"=?CP932?B?h0CJY4vGlZQ=?= <sales@agency.test>",           // ①営業部
		"=?EUC-JP?B?scS2yMn0?= <sales@agency.test>",              // 営業部
	} {
		c := login(t, srv, "alice@agency.test", alicePass)
		c.expect("MAIL FROM:<sales@agency.test>", "250")
		c.expect("RCPT TO:<customer@example.net>", "250")
		c.expect("DATA", "354")
		c.write("From: " + from + "\r\nTo: customer@example.net\r\nSubject: hi\r\n\r\nhello\r\n")
		c.expect(".", "250")
		c.expect("QUIT", "221")
		if n := len(rec.messages()); n != i+1 {
			t.Fatalf("From: %s: handler got %d messages, want %d", from, n, i+1)
		}
	}
}
