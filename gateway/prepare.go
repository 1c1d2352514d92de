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
// the header rewrite its decision asked for (forced BCC), exactly as on the
// pass path. Messages without a policy decision (DSNs, notices) go as
// stored.
func Prepare(ctx context.Context, m *quarantine.Message, env relay.Envelope, body io.Reader) (relay.Envelope, io.Reader, error) {
	if len(m.Decision.Policy) == 0 {
		return env, body, nil
	}
	var d policy.Decision
	if err := json.Unmarshal(m.Decision.Policy, &d); err != nil {
		return env, nil, fmt.Errorf("decision of %s: %w", m.ID, err)
	}
	dls := d.Deliveries(env.From, env.To)
	if len(dls) != 1 {
		return env, nil, fmt.Errorf("decision of %s asks for %d deliveries (split); not supported by this worker", m.ID, len(dls))
	}
	r, err := dls[0].Apply(body)
	if err != nil {
		return env, nil, fmt.Errorf("rewrite %s: %w", m.ID, err)
	}
	return relay.Envelope{From: dls[0].MailFrom, To: dls[0].RcptTo}, r, nil
}
