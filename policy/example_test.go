package policy_test

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/scan"
)

// Example shows the gateway's use of the package: build facts from the
// envelope, the message, the scan result and the delivery history, decide,
// and deliver each Delivery with its header rewrite.
func Example() {
	cfg, err := config.Parse("okuri.yaml", []byte(`
relay: {upstream: "dir:./outbox"}
domains: {internal: [agency.example.jp]}
policy:
  rules:
    - {name: bcc-customers, when: {external: true}, action: force_bcc}
    - {name: external-delay, when: {external: true}, action: delay, delay: 5m}
`))
	if err != nil {
		panic(err)
	}
	pol, err := policy.New(cfg)
	if err != nil {
		panic(err)
	}
	msg := "From: alice@agency.example.jp\r\nTo: a@gmail.com, b@docomo.ne.jp\r\nCc: bob@agency.example.jp\r\nSubject: hi\r\n\r\nbody\r\n"
	rcpts := []string{"a@gmail.com", "b@docomo.ne.jp", "bob@agency.example.jp"}

	// The gateway passes quarantine's Store.Known here.
	history := policy.KnownFunc(func(ctx context.Context, addrOrDomain string) (bool, error) { return true, nil })
	facts := pol.Facts(context.Background(), policy.Input{
		MailFrom: "alice@agency.example.jp", RcptTo: rcpts, User: "alice@agency.example.jp",
		Message: strings.NewReader(msg),
		Scan:    &scan.Result{Verdict: scan.Clean},
		History: history,
	})
	d := pol.Decide(facts)
	fmt.Println(d.Action, d.Rule, d.Hold, d.Action.Held())

	// On delivery — now, or when the held message is released:
	for _, dl := range d.Deliveries("alice@agency.example.jp", rcpts) {
		r, err := dl.Apply(strings.NewReader(msg))
		if err != nil {
			panic(err)
		}
		out, _ := io.ReadAll(r)
		fmt.Printf("%d recipients:\n%s", len(dl.RcptTo), strings.ReplaceAll(string(out), "\r\n", "\n"))
	}
	// Output:
	// delay external-delay 5m0s true
	// 3 recipients:
	// From: alice@agency.example.jp
	// To: undisclosed-recipients:;
	// Cc: bob@agency.example.jp
	// Subject: hi
	//
	// body
}
