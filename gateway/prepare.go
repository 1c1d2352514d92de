package gateway

import (
	"context"
	"fmt"
	"io"

	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
)

// Prepare is the delivery worker's hook: a queued or released message gets
// the deliveries and header rewrites its decision asked for (forced BCC,
// split), exactly as on the pass path, from the plan stored with the
// message (quarantine.Message.RewritePlan). Messages without one (DSNs,
// notices) go as stored.
func Prepare(_ context.Context, m *quarantine.Message, env relay.Envelope) ([]quarantine.Delivery, error) {
	plan, err := m.RewritePlan()
	if err != nil {
		return nil, fmt.Errorf("gateway: prepare: %w", err)
	}
	if plan == nil {
		return []quarantine.Delivery{{Env: env}}, nil
	}
	d := policy.Decision{Rewrite: policyRewrite(plan)}
	var out []quarantine.Delivery
	for _, dl := range d.Deliveries(env.From, env.To) {
		out = append(out, quarantine.Delivery{
			Env:     relay.Envelope{From: dl.MailFrom, To: dl.RcptTo, ID: env.ID},
			Rewrite: func(stored io.Reader) (io.Reader, error) { return dl.Apply(stored) },
		})
	}
	return out, nil
}
