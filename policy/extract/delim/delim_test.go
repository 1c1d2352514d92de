package delim

import (
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/extracttest"
)

func TestSplitter(t *testing.T) {
	tests := []struct {
		name string
		sep  byte
		in   string
		want []string
	}{
		{"plain", ',', "a,b,c\n1,2,3\n", []string{"a|b|c", "1|2|3"}},
		{"crlf no final newline", ',', "a,b\r\n1,2", []string{"a|b", "1|2"}},
		{"quoted sep and newline", ',', "\"a,1\",\"b\nc\",d\n", []string{"a,1|b\nc|d"}},
		{"escaped quote", ',', "\"say \"\"hi\"\"\",x\n", []string{"say \"hi\"|x"}},
		{"stray quote kept", ',', "ab\"c,d\n", []string{"ab\"c|d"}},
		{"empty fields", ',', ",,\n", []string{"||"}},
		{"tsv", '\t', "山田\t090-1234-5678\n", []string{"山田|090-1234-5678"}},
		{"blank lines skipped", ',', "a\n\n\nb\n", []string{"a", "b"}},
		{"unterminated quote", ',', "\"abc,def\n", []string{"abc,def\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Every chunking must give the same rows.
			for _, chunk := range []int{1, 2, 3, 7, 1 << 20} {
				sink := extracttest.New()
				s := NewSplitter(tc.sep, sink.Table(extract.Location{}))
				in := tc.in
				for len(in) > 0 {
					n := min(chunk, len(in))
					s.Write([]byte(in[:n]))
					in = in[n:]
				}
				s.Close()
				got := sink.Rows()
				if strings.Join(got, "\n--\n") != strings.Join(tc.want, "\n--\n") {
					t.Fatalf("chunk %d: got %q, want %q", chunk, got, tc.want)
				}
			}
		})
	}
}

func TestSniff(t *testing.T) {
	if sep, ok := Sniff([]byte("a,b,c\n1,2,3\n4,5,6\n")); !ok || sep != ',' {
		t.Errorf("csv: %q %v", sep, ok)
	}
	if sep, ok := Sniff([]byte("a\tb\n1\t2\n")); !ok || sep != '\t' {
		t.Errorf("tsv: %q %v", sep, ok)
	}
	if _, ok := Sniff([]byte("Hello, world.\nThis is a letter.\n")); ok {
		t.Error("prose sniffed as table")
	}
}

type discard struct{}

func (discard) Row([][]byte) error { return nil }
func (discard) Close() error       { return nil }

func BenchmarkSplitter(b *testing.B) {
	line := "山田太郎,ヤマダタロウ,1975/04/12,090-1234-5678,東京都千代田区丸の内1-2-3,yamada@example.jp\r\n"
	data := []byte(strings.Repeat(line, 20000) + strings.Repeat(`"山田, 太郎",ヤマダ,"090-1234-5678"`+"\r\n", 20000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s := NewSplitter(',', discard{})
		for i := 0; i < len(data); i += 64 << 10 {
			s.Write(data[i:min(i+64<<10, len(data))])
		}
		s.Close()
	}
}
