package policy

import (
	"io"
	"slices"
	"strings"

	"github.com/okuri/okuri/internal/addr"
	"github.com/okuri/okuri/policy/rewrite"
)

// Delivery is one upstream transaction: an envelope and the header plan
// to apply to the message on the way.
type Delivery struct {
	MailFrom string       `json:"mail_from"`
	RcptTo   []string     `json:"rcpt_to"`
	Plan     rewrite.Plan `json:"plan"`
}

// Deliveries returns the upstream transactions for the envelope under the
// decision's rewrite: one (envelope unchanged) without split; with split
// one per external recipient, each seeing only itself among the external
// addresses, plus one for all internal recipients. The envelope is never
// changed beyond being divided: every recipient appears exactly once.
// Call it when delivering, now or after release.
func (d *Decision) Deliveries(mailFrom string, rcptTo []string) []Delivery {
	rw := d.Rewrite
	base := rewrite.Plan{Internal: rw.Internal, InternalSubdomains: rw.InternalSubdomains, Add: rw.Add}
	if !rw.Split {
		p := base
		p.HideExternal = rw.ForceBCC
		return []Delivery{{MailFrom: mailFrom, RcptTo: slices.Clone(rcptTo), Plan: p}}
	}
	var internal []string
	var out []Delivery
	for _, r := range rcptTo {
		if addr.IsInternal(strings.ToLower(r), rw.Internal, rw.InternalSubdomains) {
			internal = append(internal, r)
			continue
		}
		p := base
		p.HideExternal = true
		p.HideInternal = rw.HideInternal
		p.Keep = []string{strings.ToLower(r)}
		out = append(out, Delivery{MailFrom: mailFrom, RcptTo: []string{r}, Plan: p})
	}
	if len(internal) > 0 {
		// Staff see the message as sent (with forced BCC if that applied
		// too): it does not leave the organisation.
		p := base
		p.HideExternal = rw.ForceBCC
		out = append([]Delivery{{MailFrom: mailFrom, RcptTo: internal, Plan: p}}, out...)
	}
	return out
}

// Apply returns the message of this delivery: msg with the plan applied
// to its header section, the body streamed unchanged.
func (dl *Delivery) Apply(msg io.Reader) (io.Reader, error) { return rewrite.Apply(msg, dl.Plan) }

// ApplyHeader is Apply for a message whose header section h was read
// already; body is the rest of the message (from offset h.Size()).
func (dl *Delivery) ApplyHeader(h *rewrite.Header, body io.Reader) (io.Reader, error) {
	return rewrite.ApplyHeader(h, body, dl.Plan)
}
