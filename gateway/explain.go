package gateway

import (
	"bufio"
	"maps"
	"slices"
	"strings"

	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/extract/charset"
	"github.com/okuri/okuri/policy/rewrite"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/smtpd"
)

// explain is the decision in the record's own, versioned form
// (quarantine.Explain): what pages and notices say about the held
// message, fixed now, so the approvals UI needs no policy types.
func explain(d *policy.Decision, m *smtpd.Message) *quarantine.Explain {
	ja, en := d.Reason()
	f := d.Explanation.Facts
	e := &quarantine.Explain{V: quarantine.ExplainVersion, ReasonJA: ja, ReasonEN: en,
		Kinds: maps.Clone(d.Kinds), Records: d.Records, Approvers: slices.Clone(d.Approvers),
		External: f.External, VisibleIndividuals: f.VisibleIndividuals,
		ExternalDomains: slices.Clone(f.ExternalDomains), FirstTimeDomains: slices.Clone(f.FirstTimeDomains),
		Lookalikes: slices.Clone(f.Lookalikes), Keywords: slices.Clone(f.Keywords)}
	for _, r := range d.Explanation.Rules {
		aja, aen := r.Action.Label()
		rr := quarantine.RuleResult{Index: r.Index, Name: r.Name, Action: string(r.Action), ActionJA: aja, ActionEN: aen,
			Matched: r.Matched, Effect: r.Effect}
		for _, c := range r.Conditions {
			rr.Conds = append(rr.Conds, quarantine.Condition{Key: c.Key, Want: c.Want, Got: c.Got, OK: c.OK})
		}
		e.Rules = append(e.Rules, rr)
	}
	if d.Rewrite.ForceBCC || d.Rewrite.Split {
		e.Deliveries = deliveryPreviews(d, m)
	}
	return e
}

// deliveryPreviews are the deliveries of d with the To and Cc each shows
// after its rewrite, decoded with the scanner's charsets, so the page
// shows who will see whom without rewriting the stored header itself. A
// header that cannot be read gives the deliveries without To and Cc.
func deliveryPreviews(d *policy.Decision, m *smtpd.Message) []quarantine.DeliveryPreview {
	h, _ := rewrite.ReadHeader(bufio.NewReader(m.Body.Reader()))
	var out []quarantine.DeliveryPreview
	for _, dl := range d.Deliveries(m.From, m.To) {
		p := quarantine.DeliveryPreview{Rcpts: slices.Clone(dl.RcptTo)}
		if h != nil {
			rh := dl.Plan.RewriteHeader(h)
			p.To, p.Cc = visible(rh, "To"), visible(rh, "Cc")
		}
		out = append(out, p)
	}
	return out
}

// visible is a header field's value as people read it: decoded, unfolded.
func visible(h *rewrite.Header, name string) string {
	v := strings.Join(h.Get(name), ", ")
	if dec, err := charset.DecodeHeader(v); err == nil {
		v = dec
	}
	return strings.TrimSpace(strings.NewReplacer("\r", "", "\n", "").Replace(v))
}
