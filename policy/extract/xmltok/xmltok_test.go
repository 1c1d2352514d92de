package xmltok

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/okuri/okuri/policy/extract"
)

// dump renders the token stream: <name attr=v> for starts with attribute
// a, </name>, and text in quotes.
func dump(t testing.TB, in string, oneByte bool) (string, error) {
	var r = strings.NewReader(in)
	var s *Scanner
	if oneByte {
		s = New(iotest.OneByteReader(r), 1<<10)
	} else {
		s = New(r, 0)
	}
	var b strings.Builder
	for {
		k, err := s.Next()
		if err != nil {
			return b.String(), err
		}
		switch k {
		case EOF:
			return b.String(), nil
		case StartTag:
			b.WriteString("<" + string(s.Name()))
			if v, ok := s.Attr("a"); ok {
				b.WriteString(" a=" + string(v))
			}
			if s.SelfClosing() {
				b.WriteString("/")
			}
			b.WriteString(">")
		case EndTag:
			b.WriteString("</" + string(s.Name()) + ">")
		case Text:
			b.WriteString(`"` + string(s.Text()) + `"`)
		}
	}
}

func TestScanner(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<?xml version="1.0"?><x:a a="1">t</x:a>`, `<a a=1>"t"</a>`},
		{`<a a='x>y' b="q"/>`, `<a a=x>y/>`},
		{`<a>&lt;&amp;&#x5c71;&#30000;&unknown;</a>`, `<a>"<&山田&unknown;"</a>`},
		{`<a><!-- <b>c</b> --><![CDATA[<raw>&amp;]]></a>`, `<a>"<raw>&amp;"</a>`},
		{`<a r:a="ns">x</a>`, `<a a=ns>"x"</a>`},
		{"<a\n a=\"1\"\n/>", `<a a=1/>`},
		{`<!DOCTYPE html><p>x</p>`, `<p>"x"</p>`},
	}
	for _, tc := range tests {
		for _, one := range []bool{false, true} {
			got, err := dump(t, tc.in, one)
			if err != nil {
				t.Errorf("%q: %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("%q (one byte %v):\n got %s\nwant %s", tc.in, one, got, tc.want)
			}
		}
	}
}

func TestScannerLimits(t *testing.T) {
	_, err := dump(t, `<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`, false)
	if name, ok := extract.IsLimit(err); !ok || name != extract.LimitXMLEntities {
		t.Errorf("entity declaration: %v", err)
	}
	_, err = dump(t, `<a b="`+strings.Repeat("x", 4<<10)+`"/>`, true)
	if name, ok := extract.IsLimit(err); !ok || name != extract.LimitTokenSize {
		t.Errorf("huge tag: %v", err)
	}
	// Long text is emitted in pieces rather than growing the buffer.
	got, err := dump(t, `<a>`+strings.Repeat("y", 100<<10)+`</a>`, false)
	if err != nil || strings.Count(got, "y") != 100<<10 {
		t.Errorf("long text: %v, %d y", err, strings.Count(got, "y"))
	}
	_, err = dump(t, `<a><b`, false)
	if err == nil || errors.Is(err, extract.ErrEncrypted) {
		t.Errorf("truncated: %v", err)
	}
}

func FuzzScanner(f *testing.F) {
	f.Add(`<?xml version="1.0"?><w:p><w:r><w:t xml:space="preserve">山田 &amp; 太郎</w:t></w:r></w:p>`)
	f.Add(`<!DOCTYPE a [<!ELEMENT a ANY>]><a><![CDATA[x]]><!--c--></a>`)
	f.Fuzz(func(t *testing.T, in string) {
		s := New(strings.NewReader(in), 1<<16)
		for i := 0; i < 1<<20; i++ {
			k, err := s.Next()
			if err != nil || k == EOF {
				return
			}
			s.Attr("a")
		}
		t.Fatal("no progress")
	})
}

// TestLastBytesWithEOF: readers such as archive/zip's entries return the
// final bytes together with io.EOF. A tag completed by those bytes must be
// read, not reported as truncated.
func TestLastBytesWithEOF(t *testing.T) {
	doc := `<?xml version="1.0"?><root><c r="A1" t="s"><v>12</v></c><t xml:space="preserve">山田 太郎</t></root>`
	s := New(iotest.DataErrReader(iotest.OneByteReader(strings.NewReader(doc))), 0)
	var names []string
	for {
		k, err := s.Next()
		if err != nil {
			t.Fatalf("after %v: %v", names, err)
		}
		if k == EOF {
			break
		}
		if k == StartTag || k == EndTag {
			names = append(names, string(s.Name()))
		}
	}
	if got := strings.Join(names, " "); got != "root c v v c t t root" {
		t.Fatalf("tags %q", got)
	}
}
