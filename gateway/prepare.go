package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
)

// Prepare is the delivery worker's hook: a queued or released message gets
// the deliveries and header rewrites its decision asked for (forced BCC,
// split), exactly as on the pass path. Messages without a policy decision
// (DSNs, notices) go as stored.
func Prepare(_ context.Context, m *quarantine.Message, env relay.Envelope) ([]quarantine.Delivery, error) {
	if len(m.Decision.Policy) == 0 {
		return []quarantine.Delivery{{Env: env}}, nil
	}
	var d policy.Decision
	if err := json.Unmarshal(m.Decision.Policy, &d); err != nil {
		return nil, fmt.Errorf("decision of %s: %w", m.ID, err)
	}
	var out []quarantine.Delivery
	for _, dl := range d.Deliveries(env.From, env.To) {
		out = append(out, quarantine.Delivery{
			Env:     relay.Envelope{From: dl.MailFrom, To: dl.RcptTo, ID: env.ID},
			Rewrite: func(stored io.Reader) (io.Reader, error) { return dl.Apply(stored) },
		})
	}
	return out, nil
}
