package gateway

import (
	"slices"

	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/rewrite"
	"github.com/okuri/okuri/quarantine"
)

// storedPlan is the decision's rewrite in the record's own, versioned
// form (quarantine.RewritePlan), so a release after an upgrade rewrites
// as decided even if policy.Rewrite changes shape.
func storedPlan(rw policy.Rewrite) *quarantine.RewritePlan {
	p := &quarantine.RewritePlan{V: quarantine.RewritePlanVersion, ForceBCC: rw.ForceBCC, Split: rw.Split,
		HideInternal: rw.HideInternal, Internal: slices.Clone(rw.Internal), InternalSubdomains: rw.InternalSubdomains}
	for _, f := range rw.Add {
		p.Add = append(p.Add, quarantine.HeaderField{Name: f.Name, Value: f.Value})
	}
	return p
}

// policyRewrite turns a stored plan back into the policy's rewrite, whose
// Deliveries computes the transactions exactly as on the pass path.
func policyRewrite(p *quarantine.RewritePlan) policy.Rewrite {
	rw := policy.Rewrite{ForceBCC: p.ForceBCC, Split: p.Split, HideInternal: p.HideInternal,
		Internal: slices.Clone(p.Internal), InternalSubdomains: p.InternalSubdomains}
	for _, f := range p.Add {
		rw.Add = append(rw.Add, rewrite.AddField{Name: f.Name, Value: f.Value})
	}
	return rw
}
