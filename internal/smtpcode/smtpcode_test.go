package smtpcode

import (
	"encoding/json"
	"testing"

	"github.com/emersion/go-smtp"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{"5.7.1": "5.7.1", "4.3.0": "4.3.0", "2.0.0": "2.0.0", "5.1.10": "5.1.10"} {
		c, err := Parse(in)
		if err != nil || c.String() != want {
			t.Errorf("%q: %v %v", in, c, err)
		}
	}
	for _, in := range []string{"", "5.7", "3.0.0", "5.7.1.2", "5.x.1", "5.-1.1", "5.+1.1", "5.1234.1", " 5.7.1"} {
		if c, err := Parse(in); err == nil {
			t.Errorf("%q parsed as %v", in, c)
		}
	}
}

// TestJSON: records and events keep the dotted text they had when the
// field was a string, and none stays absent.
func TestJSON(t *testing.T) {
	type rec struct {
		Enhanced Enhanced `json:"enhanced,omitzero"`
	}
	for _, tc := range []struct {
		in   Enhanced
		want string
	}{{Enhanced{5, 1, 1}, `{"enhanced":"5.1.1"}`}, {Enhanced{}, `{}`}} {
		b, err := json.Marshal(rec{tc.in})
		if err != nil || string(b) != tc.want {
			t.Errorf("marshal %v = %s %v, want %s", tc.in, b, err, tc.want)
		}
		var back rec
		if err := json.Unmarshal(b, &back); err != nil || back.Enhanced != tc.in {
			t.Errorf("unmarshal %s = %v %v", b, back.Enhanced, err)
		}
	}
	// An upstream's code of an odd class, stored as it came, still loads.
	var r rec
	if err := json.Unmarshal([]byte(`{"enhanced":"3.0.0"}`), &r); err != nil || r.Enhanced != (Enhanced{3, 0, 0}) {
		t.Errorf("stored 3.0.0: %v %v", r.Enhanced, err)
	}
	if err := json.Unmarshal([]byte(`{"enhanced":"five"}`), &r); err == nil {
		t.Error("garbage accepted")
	}
}

func TestFromSMTP(t *testing.T) {
	if c := FromSMTP(smtp.EnhancedCode{5, 1, 1}); c != (Enhanced{5, 1, 1}) {
		t.Errorf("5.1.1 = %v", c)
	}
	if c := FromSMTP(smtp.NoEnhancedCode); !c.IsZero() {
		t.Errorf("none = %v", c)
	}
	if c := FromSMTP(smtp.EnhancedCodeNotSet); !c.IsZero() {
		t.Errorf("not set = %v", c)
	}
}
