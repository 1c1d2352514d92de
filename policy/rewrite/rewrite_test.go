package rewrite

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"testing/quick"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/okuri/okuri/internal/addr"
)

var internal = []string{"agency.example.jp"}

func apply(t testing.TB, msg []byte, p Plan) []byte {
	t.Helper()
	r, err := Apply(bytes.NewReader(msg), p)
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	// ApplyHeader on the header read once gives the same bytes (the
	// gateway's pass path), so every test here checks it too.
	h, err := ReadHeader(bufio.NewReader(bytes.NewReader(msg)))
	if err != nil {
		t.Fatal(err)
	}
	r, err = ApplyHeader(h, bytes.NewReader(msg[h.Size():]), p)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := io.ReadAll(r); !bytes.Equal(again, out) {
		t.Fatalf("ApplyHeader differs from Apply:\n%q\n%q", again, out)
	}
	return out
}

func TestForceBCCExamples(t *testing.T) {
	bcc := Plan{HideExternal: true, Internal: internal}
	tests := []struct {
		name, in, want string
	}{
		{
			"all external becomes undisclosed",
			"From: a@agency.example.jp\r\nTo: x@gmail.com, \"Y, san\" <y@docomo.ne.jp>\r\nSubject: hi\r\n\r\nbody\r\n",
			"From: a@agency.example.jp\r\nTo: undisclosed-recipients:;\r\nSubject: hi\r\n\r\nbody\r\n",
		},
		{
			"internal kept byte for byte, cc emptied is dropped",
			"To: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <boss@agency.example.jp>, x@gmail.com\r\nCc: z@icloud.com\r\nX-A: 1\r\n\r\nb",
			"To: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <boss@agency.example.jp>\r\nX-A: 1\r\n\r\nb",
		},
		{
			"groups keep their names, members filtered",
			"To: Customers: a@gmail.com, b@agency.example.jp;, c@yahoo.co.jp\r\n\r\n",
			"To: Customers: b@agency.example.jp;\r\n\r\n",
		},
		{
			"undisclosed stays",
			"To: undisclosed-recipients:;\r\nBcc: a@gmail.com\r\n\r\n",
			"To: undisclosed-recipients:;\r\n\r\n",
		},
		{
			"unchanged field with odd folding is byte-identical",
			"To: a@agency.example.jp,\r\n\tb@agency.example.jp\r\nReceived: from x\r\n by y\r\n\r\n",
			"To: a@agency.example.jp,\r\n\tb@agency.example.jp\r\nReceived: from x\r\n by y\r\n\r\n",
		},
		{
			"comments and quoted commas",
			"To: \"Sato, Ichiro (sales)\" <i@example.com> (customer), (boss) b@agency.example.jp\n\nbody\n",
			"To: (boss) b@agency.example.jp\n\nbody\n",
		},
		{
			"unparseable counts as external",
			"To: not an address, b@agency.example.jp\r\n\r\n",
			"To: b@agency.example.jp\r\n\r\n",
		},
		{
			"no blank line",
			"To: x@gmail.com\r\n",
			"To: undisclosed-recipients:;\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := apply(t, []byte(tt.in), bcc)
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestAddAndKeep(t *testing.T) {
	p := Plan{HideExternal: true, Internal: internal, Keep: []string{"y@docomo.ne.jp"}, Add: []AddField{{"X-Okuri-Rule", "split"}}}
	in := "To: x@gmail.com, Y <Y@DOCOMO.ne.jp>\r\nCc: c@agency.example.jp\r\n\r\nbody"
	want := "X-Okuri-Rule: split\r\nTo: Y <Y@DOCOMO.ne.jp>\r\nCc: c@agency.example.jp\r\n\r\nbody"
	if got := apply(t, []byte(in), p); string(got) != want {
		t.Errorf("got %q", got)
	}
	p.HideInternal = true
	want = "X-Okuri-Rule: split\r\nTo: Y <Y@DOCOMO.ne.jp>\r\n\r\nbody"
	if got := apply(t, []byte(in), p); string(got) != want {
		t.Errorf("hide internal: got %q", got)
	}
}

func TestZeroPlanIsIdentity(t *testing.T) {
	in := strings.NewReader("To: x@gmail.com\r\n\r\nb")
	r, err := Apply(in, Plan{})
	if err != nil || r != io.Reader(in) {
		t.Fatalf("zero plan wrapped the reader: %v", err)
	}
}

func TestFoldLongList(t *testing.T) {
	var to []string
	for i := range 30 {
		to = append(to, fmt.Sprintf("\"社員 %d\" <staff%d@agency.example.jp>", i, i))
	}
	to = append(to, "x@gmail.com")
	in := "To: " + strings.Join(to, ", ") + "\r\n\r\n"
	out := apply(t, []byte(in), Plan{HideExternal: true, Internal: internal})
	h := readHeader(t, out)
	for _, line := range strings.Split(string(h.Fields[0].Raw), "\r\n") {
		if len(line) > 78 && strings.Contains(line[1:], " ") {
			t.Errorf("line not folded: %q", line)
		}
	}
	got := Addresses(ParseAddressList(h.Fields[0].Value()))
	if len(got) != 30 || slices.Contains(got, "x@gmail.com") {
		t.Fatalf("addresses %v", got)
	}
	if _, err := addrParser.ParseList(h.Fields[0].Value()); err != nil {
		t.Fatalf("net/mail cannot parse the rewritten field: %v", err)
	}
}

// addrParser checks our output against an independent parser.
var addrParser = &mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: func(label string, in io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(in), nil
}}}

func readHeader(t testing.TB, msg []byte) *Header {
	t.Helper()
	h, err := ReadHeader(bufio.NewReader(bytes.NewReader(msg)))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// genMessage is a random message: To/Cc/Bcc with internal and external
// mailboxes in many syntaxes, other fields, and a body that itself looks
// like header fields.
type genMessage struct {
	Raw []byte
}

var domains = []string{"agency.example.jp", "sub.agency.example.jp", "gmail.com", "docomo.ne.jp", "insurer.co.jp", "AGENCY.EXAMPLE.JP"}

func randMailbox(r *rand.Rand) string {
	a := fmt.Sprintf("u%d@%s", r.IntN(50), domains[r.IntN(len(domains))])
	switch r.IntN(6) {
	case 0:
		return a
	case 1:
		return "<" + a + ">"
	case 2:
		return "\"Sato, Taro (営業)\" <" + a + ">"
	case 3:
		return "=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <" + a + ">"
	case 4:
		return "=?UTF-8?Q?=E4=BD=90=E8=97=A4?= <" + a + "> (comment, with comma)"
	default:
		return "Taro Sato <" + a + "> (x)"
	}
}

func randList(r *rand.Rand) string {
	var es []string
	for range 1 + r.IntN(5) {
		if r.IntN(5) == 0 {
			var ms []string
			for range r.IntN(3) {
				ms = append(ms, randMailbox(r))
			}
			es = append(es, "Group "+fmt.Sprint(r.IntN(9))+": "+strings.Join(ms, ", ")+";")
			continue
		}
		es = append(es, randMailbox(r))
	}
	sep := ", "
	if r.IntN(3) == 0 {
		sep = ",\r\n\t"
	}
	return strings.Join(es, sep)
}

func generate(r0 *rand.Rand) genMessage {
	var b strings.Builder
	b.WriteString("Received: from client\r\n\tby okuri; Mon, 23 Nov 2026 10:00:00 +0900\r\n")
	b.WriteString("From: =?UTF-8?B?5bqX6ZW3?= <a@agency.example.jp>\r\n")
	fields := []string{"To", "Cc", "Bcc", "to", "X-Mailer", "Subject"}
	for range 1 + r0.IntN(5) {
		f := fields[r0.IntN(len(fields))]
		switch f {
		case "X-Mailer":
			b.WriteString("X-Mailer: To: not@really.example\r\n")
		case "Subject":
			b.WriteString("Subject: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= Cc: x@gmail.com\r\n")
		default:
			b.WriteString(f + ": " + randList(r0) + "\r\n")
		}
	}
	b.WriteString("\r\nTo: body@gmail.com\r\n\r\n")
	body := make([]byte, r0.IntN(200))
	for i := range body {
		body[i] = byte(r0.IntN(256))
	}
	b.Write(body)
	return genMessage{Raw: []byte(b.String())}
}

func split(t testing.TB, msg []byte) (*Header, []byte) {
	br := bufio.NewReader(bytes.NewReader(msg))
	h, err := ReadHeader(br)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(br)
	return h, body
}

func isAddrField(f Field) bool {
	n := strings.ToLower(f.Name())
	return n == "to" || n == "cc" || n == "bcc"
}

// TestForceBCCProperties checks, for random messages: no external address
// stays visible, internal ones stay (raw bytes intact, same field), the
// body and every other field are identical and in order, a To that lost
// everything is "undisclosed-recipients:;", the result parses with
// net/mail, and applying the plan twice changes nothing more.
func TestForceBCCProperties(t *testing.T) {
	plan := Plan{HideExternal: true, Internal: []string{"agency.example.jp"}, InternalSubdomains: true}
	prop := func(seedA, seedB uint64) bool {
		m := generate(rand.New(rand.NewPCG(seedA, seedB)))
		out := apply(t, m.Raw, plan)
		h0, body0 := split(t, m.Raw)
		h1, body1 := split(t, out)
		if !bytes.Equal(body0, body1) {
			t.Logf("body changed")
			return false
		}
		var other0, other1 [][]byte
		for _, f := range h0.Fields {
			if !isAddrField(f) {
				other0 = append(other0, f.Raw)
			}
		}
		for _, f := range h1.Fields {
			if !isAddrField(f) {
				other1 = append(other1, f.Raw)
			}
		}
		if !slices.EqualFunc(other0, other1, bytes.Equal) {
			t.Logf("other fields changed:\n%q\n%q", other0, other1)
			return false
		}
		var internal0, internal1 []string
		for _, f := range h0.Fields {
			if isAddrField(f) {
				for _, e := range ParseAddressList(f.Value()) {
					for _, mb := range append([]Mailbox{e.Mailbox}, e.Members...) {
						if mb.Addr != "" && addr.IsInternal(mb.Addr, plan.Internal, true) {
							internal0 = append(internal0, strings.ToLower(f.Name())+" "+mb.Raw)
						}
					}
				}
			}
		}
		hadTo := len(h0.Get("to")) > 0
		for _, f := range h1.Fields {
			if !isAddrField(f) {
				continue
			}
			v := f.Value()
			if _, err := addrParser.ParseList(v); err != nil && v != "undisclosed-recipients:;" {
				t.Logf("net/mail: %v: %q", err, v)
				return false
			}
			for _, e := range ParseAddressList(v) {
				for _, mb := range append([]Mailbox{e.Mailbox}, e.Members...) {
					if e.Group && mb.Raw == e.Raw {
						continue
					}
					if !addr.IsInternal(mb.Addr, plan.Internal, true) {
						t.Logf("external %q visible in %q", mb.Raw, f.Raw)
						return false
					}
					internal1 = append(internal1, strings.ToLower(f.Name())+" "+mb.Raw)
				}
			}
		}
		if !slices.Equal(internal0, internal1) {
			t.Logf("internal addresses changed:\n%q\n%q", internal0, internal1)
			return false
		}
		if hadTo && len(h1.Get("to")) == 0 {
			t.Logf("To disappeared")
			return false
		}
		if again := apply(t, out, plan); !bytes.Equal(again, out) {
			t.Logf("not idempotent:\n%q\n%q", out, again)
			return false
		}
		return true
	}
	cfg := &quick.Config{MaxCount: 2000}
	if err := quick.Check(prop, cfg); err != nil {
		t.Fatal(err)
	}
}

func FuzzApply(f *testing.F) {
	f.Add([]byte("To: a@gmail.com, b@agency.example.jp\r\nCc: G: c@x.jp;\r\n\r\nbody"))
	f.Add([]byte("To: \"a,\\\"b\" <a@x>, (c,) d@agency.example.jp\n\n"))
	f.Add([]byte("To: <@route:a@x>\r\n"))
	plan := Plan{HideExternal: true, Internal: internal}
	f.Fuzz(func(t *testing.T, msg []byte) {
		out := apply(t, msg, plan)
		h0, body0 := split(t, msg)
		h1, body1 := split(t, out)
		if len(h0.Fields) > 0 && h0.Sep != nil && !bytes.Equal(body0, body1) {
			t.Fatalf("body changed")
		}
		for _, f := range h1.Fields {
			if isAddrField(f) {
				for _, a := range Addresses(ParseAddressList(f.Value())) {
					if !addr.IsInternal(a, internal, false) {
						t.Fatalf("external %q visible after rewrite of %q", a, msg)
					}
				}
			}
		}
		if again := apply(t, out, plan); !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
	})
}

func TestAddrSpec(t *testing.T) {
	tests := map[string]string{
		`"john doe"@Example.COM`:                `"john doe"@example.com`,
		`Name <"a\"b"@x.jp>`:                    `"a\"b"@x.jp`,
		`"unterminated <a@gmail.com>, b@x.jp`:   "",
		`a@b.jp (comment)`:                      "a@b.jp",
		`<@relay.jp:a@b.jp>`:                    "a@b.jp",
		`=?UTF-8?B?5bGx55Sw?= <Taro@Gmail.com>`: "taro@gmail.com",
		`"Sato, Taro" <t@x.jp>`:                 "t@x.jp",
		`no address`:                            "",
		`a@`:                                    "",
	}
	for in, want := range tests {
		if got := addrSpec(in); got != want {
			t.Errorf("addrSpec(%q) = %q, want %q", in, got, want)
		}
	}
}
