package gateway

import (
	"testing"

	"github.com/okuri/okuri/relay"
)

// TestDescribeHidesLocalParts: the log line for refused recipients names
// domains only, also for the odd addresses upstreams echo back: a bare
// local part, a quoted local part with "@" and no domain, upper case.
func TestDescribeHidesLocalParts(t *testing.T) {
	got := describe([]*relay.RecipientError{
		{Rcpt: "Yamada.Taro@Example.CO.JP.", Code: 550},
		{Rcpt: "sato.hanako", Code: 550},
		{Rcpt: `"suzuki@gmail.com"`, Code: 553},
	})
	want := "*@example.co.jp:550,*@?:550,*@?:553"
	if got != want {
		t.Fatalf("describe = %q, want %q", got, want)
	}
}
