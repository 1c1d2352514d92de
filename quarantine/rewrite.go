package quarantine

import (
	"encoding/json"
	"fmt"
)

// RewritePlanVersion is the version of RewritePlan this code writes and
// reads. A record carries its plan's version, so a message held before an
// upgrade is released with the rewrites decided when it was held; a
// later version must keep reading every earlier one.
const RewritePlanVersion = 1

// RewritePlan is the header rewrite a message gets on delivery, fixed
// when the gateway decided it. The quarantine package owns this form
// (policy types may change between releases; stored records may not).
type RewritePlan struct {
	V int `json:"v"`
	// ForceBCC hides external To/Cc addresses from every recipient.
	ForceBCC bool `json:"force_bcc,omitempty"`
	// Split sends one transaction per external recipient, each seeing only
	// itself among the external addresses.
	Split bool `json:"split,omitempty"`
	// HideInternal: split deliveries hide internal To/Cc addresses too.
	HideInternal bool `json:"hide_internal,omitempty"`
	// Internal and InternalSubdomains are the internal domains at decision
	// time, so a later config change does not change who counts as outside.
	Internal           []string `json:"internal,omitempty"`
	InternalSubdomains bool     `json:"internal_subdomains,omitempty"`
	// Add are header fields prepended to every delivery, in order.
	Add []HeaderField `json:"add,omitempty"`
}

// HeaderField is one header field a rewrite adds.
type HeaderField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// RewritePlan returns the plan the message is to be delivered with, or
// nil when it goes as stored (okuri's own mail, a decision without
// rewrite). Records written before the plan was kept carry the whole
// policy decision as JSON (Decision.Policy); its "rewrite" object had the
// same fields, and is read here, the one place the legacy form is known.
func (m *Message) RewritePlan() (*RewritePlan, error) {
	if p := m.Decision.Rewrite; p != nil {
		if p.V < 1 || p.V > RewritePlanVersion {
			return nil, fmt.Errorf("quarantine: rewrite plan of %s: version %d unknown (this build reads 1..%d)", m.ID, p.V, RewritePlanVersion)
		}
		return p, nil
	}
	if len(m.Decision.Policy) == 0 {
		return nil, nil
	}
	var legacy struct {
		Rewrite RewritePlan `json:"rewrite"`
	}
	if err := json.Unmarshal(m.Decision.Policy, &legacy); err != nil {
		return nil, fmt.Errorf("quarantine: legacy decision of %s: %w", m.ID, err)
	}
	legacy.Rewrite.V = 1
	return &legacy.Rewrite, nil
}
