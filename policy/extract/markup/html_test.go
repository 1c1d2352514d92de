package markup

import (
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/extracttest"
)

func htmlText(t *testing.T, src string) string {
	t.Helper()
	sink := extracttest.New()
	loc := extract.Location{Part: "1"}
	if err := HTML(strings.NewReader(src), sink, loc, true, 1<<20); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tx := range sink.Texts {
		b.WriteString(tx.String())
	}
	return b.String()
}

// lines returns the lines of s with blank lines kept as "".
func lines(s string) []string {
	return strings.Split(strings.Trim(s, "\n"), "\n")
}

// TestHTMLListItemsAreLines checks that the items of a bulleted list
// come out as consecutive lines of one paragraph, as the list reads: the
// detector groups a person's data by nearby lines and splits paragraphs
// at blank lines, so a blank line between items (from the source's
// indentation or from closing and opening tags) hid every list of
// customers written as bullet points.
func TestHTMLListItemsAreLines(t *testing.T) {
	// as Thunderbird and most web mailers write a bulleted list
	src := `<html><body>
<p>お疲れさまです。本日ご来店のお客様です。</p>
<ul>
  <li>山田 太郎 / 1975年4月12日生 / 090-1234-5678</li>
  <li>佐藤 花子 / 1982年11月3日生 / 080-2345-6789</li>
  <li>鈴木 一郎 / 1968年1月25日生 / 070-3456-7890</li>
</ul>
<p>よろしくお願いします。</p>
</body></html>`
	got := lines(htmlText(t, src))
	want := []string{
		"お疲れさまです。本日ご来店のお客様です。",
		"山田 太郎 / 1975年4月12日生 / 090-1234-5678",
		"佐藤 花子 / 1982年11月3日生 / 080-2345-6789",
		"鈴木 一郎 / 1968年1月25日生 / 070-3456-7890",
		"よろしくお願いします。",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("text =\n%q\nwant\n%q", got, want)
	}
}

// TestHTMLOutlookParagraphs checks Outlook's HTML, where every line is
// a <p class=MsoNormal> and a blank line is a paragraph holding &nbsp;.
func TestHTMLOutlookParagraphs(t *testing.T) {
	src := "<html><head><style>p.MsoNormal{margin:0}</style></head><body lang=JA>\r\n" +
		"<div class=WordSection1>\r\n" +
		"<p class=MsoNormal>山田様<o:p></o:p></p>\r\n" +
		"<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n" +
		"<p class=MsoNormal>ご住所：東京都世田谷区桜新町2-14-3<o:p></o:p></p>\r\n" +
		"<p class=MsoNormal>お電話：090-1234-\r\n5678<o:p></o:p></p>\r\n" +
		"</div></body></html>"
	got := lines(htmlText(t, src))
	want := []string{"山田様", " ", "ご住所：東京都世田谷区桜新町2-14-3", "お電話：090-1234- 5678"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("text =\n%q\nwant\n%q", got, want)
	}
}

// TestHTMLGmailDivs checks Gmail's layout: a <div> per line and
// <div><br></div> for a blank line.
func TestHTMLGmailDivs(t *testing.T) {
	src := `<div dir="ltr"><div>お世話になっております。</div><div><br></div><div>氏名：山田 太郎</div><div>電話：090-1234-5678</div></div>`
	got := lines(htmlText(t, src))
	want := []string{"お世話になっております。", "", "氏名：山田 太郎", "電話：090-1234-5678"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("text =\n%q\nwant\n%q", got, want)
	}
}

// TestHTMLPreKeepsLines checks that <pre> keeps its line breaks and
// spaces (a pasted CSV in a preformatted block).
func TestHTMLPreKeepsLines(t *testing.T) {
	src := "<p>list:</p><pre>氏名,電話\n山田 太郎,090-1234-5678\n\n佐藤  花子,080-2345-6789\n</pre>"
	got := htmlText(t, src)
	if !strings.Contains(got, "氏名,電話\n山田 太郎,090-1234-5678\n\n佐藤  花子,080-2345-6789\n") {
		t.Errorf("pre text = %q", got)
	}
}

// FuzzHTML checks that any input is read without a panic, and that
// outside <pre> no line starts with a tab or CR (collapsed white space).
func FuzzHTML(f *testing.F) {
	f.Add("<ul>\n  <li>山田 太郎 090-1234-5678</li>\n</ul>")
	f.Add("<p class=MsoNormal><o:p>&nbsp;</o:p></p><div><br></div>")
	f.Add("<table><tr><td>氏名\n</td><td> 山田</td></tr></table>")
	f.Add("<pre>a\n\n b</pre><textarea>x</textarea>&amp;&nbsp")
	f.Add(`<td><a href="mailto:a@b.jp">x</a></td><a href='mailto:'>y</a><a href="mailto:q@r.jp?cc=s">q@r.jp</a>`)
	f.Fuzz(func(t *testing.T, src string) {
		sink := extracttest.New()
		_ = HTML(strings.NewReader(src), sink, extract.Location{Part: "1"}, true, 1<<16)
		if strings.Contains(strings.ToLower(src), "<pre") || strings.Contains(strings.ToLower(src), "<textarea") ||
			strings.Contains(strings.ToLower(src), "<listing") || strings.Contains(strings.ToLower(src), "<xmp") ||
			strings.Contains(strings.ToLower(src), "<plaintext") {
			return
		}
		for _, tx := range sink.Texts {
			for _, l := range strings.Split(tx.String(), "\n") {
				// spaces may be &nbsp;, which is kept; a tab never is
				if strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "\r") {
					t.Fatalf("line %q starts with white space", l)
				}
			}
		}
	})
}

// TestHTMLMailtoAddress checks that the address of a mailto link whose
// text is a name reaches the text, once.
func TestHTMLMailtoAddress(t *testing.T) {
	src := `<p>ご担当は<a href="mailto:hanako.sato@gmail.com">佐藤 花子様</a>です。</p>` +
		`<p>連絡先：<a href="MAILTO:taro@docomo.ne.jp?subject=%E4%BB%B6">taro@docomo.ne.jp</a></p>`
	got := htmlText(t, src)
	if strings.Count(got, "hanako.sato@gmail.com") != 1 || strings.Count(got, "taro@docomo.ne.jp") != 1 {
		t.Errorf("text = %q", got)
	}
}
