package quarantine

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// ExplainVersion is the version of Explain this code writes and reads. A
// later version must keep reading every earlier one: pages of a message
// held before an upgrade show what was decided when it was held.
const ExplainVersion = 1

// Explain is why a message was held, in the words and numbers the pages
// and notices show: fixed by the gateway when it held the message, so the
// approvals UI renders from the record alone and never from policy types
// (which may change between releases; stored records may not). It carries
// kinds, counts, domains and rule conditions, never a matched value.
type Explain struct {
	V int `json:"v"`
	// ReasonJA and ReasonEN say why the message was held, as a clause
	// ("個人情報を含むファイルを社外に送信しようとしたため", "it contains …").
	ReasonJA string `json:"reason_ja,omitempty"`
	ReasonEN string `json:"reason_en,omitempty"`
	// Kinds counts the matches per kind of personal data; Records is how
	// many people (rows) the scan counted.
	Kinds   map[string]int `json:"kinds,omitempty"`
	Records int            `json:"records,omitempty"`
	// Approvers may approve a held_approval message.
	Approvers []string `json:"approvers,omitempty"`
	// External is the number of external recipients; VisibleIndividuals
	// the external individuals who see each other in To/Cc.
	External           int `json:"external"`
	VisibleIndividuals int `json:"visible_individuals,omitempty"`
	// ExternalDomains and FirstTimeDomains are recipient domains (ASCII);
	// Lookalikes are "domain ~ known domain" pairs.
	ExternalDomains  []string `json:"external_domains,omitempty"`
	FirstTimeDomains []string `json:"first_time_domains,omitempty"`
	Lookalikes       []string `json:"lookalikes,omitempty"`
	// Keywords are the configured keywords the message contains.
	Keywords []string `json:"keywords,omitempty"`
	// Rules is every rule evaluated, matched or not, in policy order.
	Rules []RuleResult `json:"rules,omitempty"`
	// Deliveries are the transactions the message goes out as, with the
	// To and Cc each one shows after the rewrite (decoded for display);
	// empty when the rewrite leaves the header as sent.
	Deliveries []DeliveryPreview `json:"deliveries,omitempty"`
}

// RuleResult is one evaluated rule.
type RuleResult struct {
	Index int    `json:"index"` // 1-based position in policy.rules
	Name  string `json:"name"`
	// Action is the rule's action ("hold_approval"); ActionJA and
	// ActionEN name it for people.
	Action   string      `json:"action"`
	ActionJA string      `json:"action_ja,omitempty"`
	ActionEN string      `json:"action_en,omitempty"`
	Matched  bool        `json:"matched"`
	Effect   string      `json:"effect,omitempty"` // "applied", "monitor: would …", "not matched"
	Conds    []Condition `json:"conditions,omitempty"`
}

// Condition is one condition of a rule: what the rule asks, what the
// message has (counts, verdicts, kinds, domains; never values).
type Condition struct {
	Key  string `json:"key"`
	Want string `json:"want"`
	Got  string `json:"got"`
	OK   bool   `json:"ok"`
}

// DeliveryPreview is one delivery as its recipients will see it.
type DeliveryPreview struct {
	Rcpts []string `json:"rcpts"`
	To    string   `json:"to,omitempty"`
	Cc    string   `json:"cc,omitempty"`
}

// Explain returns why the message was held, or nil for a record without
// a decision to explain (okuri's own mail). Records written before
// Explain was kept carry the whole policy decision as JSON
// (Decision.Policy); its fields are read here, the one place that legacy
// form is known. It had no reason sentence nor action names, so those
// stay empty (pages fall back to the rule name and the action).
func (m *Message) Explain() (*Explain, error) {
	if e := m.Decision.Explain; e != nil {
		if e.V < 1 || e.V > ExplainVersion {
			return nil, fmt.Errorf("quarantine: explanation of %s: version %d unknown (this build reads 1..%d)", m.ID, e.V, ExplainVersion)
		}
		return e, nil
	}
	if len(m.Decision.Policy) == 0 {
		return nil, nil
	}
	var legacy struct {
		Kinds       map[string]int `json:"kinds"`
		Records     int            `json:"records"`
		Approvers   []string       `json:"approvers"`
		Explanation struct {
			Facts struct {
				External           int      `json:"external"`
				VisibleIndividuals int      `json:"visible_individuals"`
				ExternalDomains    []string `json:"external_domains"`
				FirstTimeDomains   []string `json:"first_time_domains"`
				Lookalikes         []string `json:"lookalikes"`
				Keywords           []string `json:"keywords"`
			} `json:"facts"`
			Rules []RuleResult `json:"rules"`
		} `json:"explanation"`
	}
	if err := json.Unmarshal(m.Decision.Policy, &legacy); err != nil {
		return nil, fmt.Errorf("quarantine: legacy decision of %s: %w", m.ID, err)
	}
	f := legacy.Explanation.Facts
	return &Explain{V: 1, Kinds: legacy.Kinds, Records: legacy.Records, Approvers: legacy.Approvers,
		External: f.External, VisibleIndividuals: f.VisibleIndividuals, ExternalDomains: f.ExternalDomains,
		FirstTimeDomains: f.FirstTimeDomains, Lookalikes: f.Lookalikes, Keywords: f.Keywords,
		Rules: legacy.Explanation.Rules}, nil
}

// clone returns a deep copy of e.
func (e *Explain) clone() *Explain {
	c := *e
	c.Kinds = maps.Clone(e.Kinds)
	c.Approvers = slices.Clone(e.Approvers)
	c.ExternalDomains = slices.Clone(e.ExternalDomains)
	c.FirstTimeDomains = slices.Clone(e.FirstTimeDomains)
	c.Lookalikes = slices.Clone(e.Lookalikes)
	c.Keywords = slices.Clone(e.Keywords)
	c.Rules = slices.Clone(e.Rules)
	for i := range c.Rules {
		c.Rules[i].Conds = slices.Clone(e.Rules[i].Conds)
	}
	c.Deliveries = slices.Clone(e.Deliveries)
	for i := range c.Deliveries {
		c.Deliveries[i].Rcpts = slices.Clone(e.Deliveries[i].Rcpts)
	}
	return &c
}
