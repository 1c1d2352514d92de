package policy

import (
	"context"
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/rewrite"
)

func benchMessage(size int) string {
	body := strings.Repeat("お世話になっております。資料をお送りします。\r\n", size/40+1)
	return "From: alice@agency.example.jp\r\nTo: \"顧客\" <a@gmail.com>, b@partner.example.com\r\nCc: bob@agency.example.jp\r\nSubject: =?UTF-8?B?6LOH5paZ?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body[:size]
}

// BenchmarkFactsDecide is the policy cost on the pass path (scan excluded).
func BenchmarkFactsDecide(b *testing.B) {
	p := newPolicy(b, testPolicy)
	for _, size := range []int{4 << 10, 100 << 10} {
		msg := benchMessage(size)
		res := clean()
		h := known("gmail.com", "partner.example.com")
		b.Run(map[int]string{4 << 10: "4KB", 100 << 10: "100KB"}[size], func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", User: "alice@agency.example.jp",
					RcptTo: []string{"a@gmail.com", "b@partner.example.com", "bob@agency.example.jp"}, Message: strings.NewReader(msg), Scan: res, History: h})
				_ = p.Decide(f)
			}
		})
	}
}

func BenchmarkForceBCCApply(b *testing.B) {
	msg := benchMessage(100 << 10)
	plan := rewrite.Plan{HideExternal: true, Internal: []string{"agency.example.jp"}}
	b.SetBytes(int64(len(msg)))
	var sink [32 << 10]byte
	for b.Loop() {
		r, err := rewrite.Apply(strings.NewReader(msg), plan)
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Read(sink[:]); err != nil {
				break
			}
		}
	}
}
