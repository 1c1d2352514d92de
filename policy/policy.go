package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/internal/addr"
)

// Defaults of zero values in config.Policy.
const (
	DefaultBCCThreshold  = 2
	DefaultSelfCheckHold = 24 * time.Hour
	DefaultApprovalHold  = 72 * time.Hour
	DefaultQuarantine    = 30 * 24 * time.Hour
)

// builtinIndividualDomains are consumer and mobile-carrier mail domains:
// an address there almost always belongs to one person.
var builtinIndividualDomains = []string{
	// Japanese mobile carriers.
	"docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp",
	"disney.ne.jp", "ymobile.ne.jp", "y-mobile.ne.jp", "emobile.ne.jp", "willcom.com",
	"pdx.ne.jp", "rakuten.jp", "uqmobile.jp", "mineo.jp", "vodafone.ne.jp",
	// Free mail and ISPs' consumer domains.
	"gmail.com", "googlemail.com", "yahoo.co.jp", "ymail.ne.jp", "yahoo.com",
	"icloud.com", "me.com", "mac.com", "outlook.com", "outlook.jp", "hotmail.com",
	"hotmail.co.jp", "live.jp", "live.com", "msn.com", "aol.com", "nifty.com",
	"biglobe.ne.jp", "ocn.ne.jp", "so-net.ne.jp", "plala.or.jp", "excite.co.jp",
	"infoseek.jp", "goo.jp", "zoho.com", "proton.me", "protonmail.com",
}

// Policy is a compiled config.Policy with the directory it needs. It is
// immutable and safe for concurrent use; build a new one on reload.
type Policy struct {
	internal     []string
	internalSub  bool
	individual   map[string]bool
	references   refDomains // domains look-alikes are measured against
	insurers     []string   // every insurer domain: policy list and group lists
	bccThreshold int
	bccExternal  bool // count every external address, not only individuals
	splitHideInt bool
	keywords     []keyword
	security     []string
	holds        map[Action]time.Duration
	onError      Action
	rules        []rule

	groups    []config.Group // in file order
	fallback  []string
	auditors  []string
	userGroup map[string][]int // lower-case member address → group indexes
}

type rule struct {
	config.Rule
	index  int
	action Action
}

// New compiles the policy section of cfg. cfg must have passed config
// validation; New re-checks only what it relies on.
func New(cfg *config.Config) (*Policy, error) {
	pc := cfg.Policy
	p := &Policy{
		internalSub:  pc.InternalSubdomains,
		individual:   map[string]bool{},
		bccThreshold: pc.ForceBCC.Threshold,
		bccExternal:  pc.ForceBCC.Count == "external",
		splitHideInt: pc.Split.HideInternal,
		security:     lowerAll(pc.SecurityTeam),
		onError:      Quarantine,
		groups:       slices.Clone(cfg.Dir.Groups),
		fallback:     lowerAll(cfg.Dir.FallbackApprovers),
		auditors:     lowerAll(cfg.Dir.Auditors),
		userGroup:    map[string][]int{},
		holds: map[Action]time.Duration{
			HoldSelfCheck: orDefault(pc.Holds.SelfCheck.D(), DefaultSelfCheckHold),
			HoldApproval:  orDefault(pc.Holds.Approval.D(), DefaultApprovalHold),
			Quarantine:    orDefault(pc.Holds.Quarantine.D(), DefaultQuarantine),
		},
	}
	p.internal = domainsOf(cfg.Domains.Internal)
	if p.bccThreshold == 0 {
		p.bccThreshold = DefaultBCCThreshold
	}
	if pc.OnError == "reject" {
		p.onError = Reject
	}
	if !pc.IndividualDomains.NoBuiltin {
		for _, d := range builtinIndividualDomains {
			p.individual[d] = true
		}
	}
	for _, d := range pc.IndividualDomains.Add {
		p.individual[addr.NormalizeDomain(d)] = true
	}
	for _, d := range pc.IndividualDomains.Remove {
		delete(p.individual, addr.NormalizeDomain(d))
	}
	p.insurers = domainsOf(pc.InsurerDomains)
	for i, g := range cfg.Dir.Groups {
		for _, m := range g.Members {
			m = strings.ToLower(m)
			p.userGroup[m] = append(p.userGroup[m], i)
		}
		for _, d := range g.Insurers {
			if d = addr.NormalizeDomain(d); d != "" && !slices.Contains(p.insurers, d) {
				p.insurers = append(p.insurers, d)
			}
		}
	}
	individuals := slices.Sorted(maps.Keys(p.individual))
	var refs []string
	for _, l := range [][]string{p.internal, domainsOf(pc.KnownDomains), p.insurers, individuals} {
		for _, d := range l {
			if !slices.Contains(refs, d) {
				refs = append(refs, d)
			}
		}
	}
	p.references = newRefDomains(refs)
	for _, k := range pc.Keywords {
		if k = strings.TrimSpace(k); k != "" {
			p.keywords = append(p.keywords, newKeyword(k))
		}
	}
	names := map[string]bool{}
	for i, r := range pc.Rules {
		a, ok := parseAction(r.Action)
		if !ok {
			return nil, fmt.Errorf("policy: rule %d (%s): unknown action %q", i+1, r.Name, r.Action)
		}
		if r.Name == "" || names[r.Name] {
			return nil, fmt.Errorf("policy: rule %d: missing or duplicate name %q", i+1, r.Name)
		}
		names[r.Name] = true
		if r.Mode == "" {
			r.Mode = config.ModeEnforce
		}
		p.rules = append(p.rules, rule{Rule: r, index: i + 1, action: a})
	}
	return p, nil
}

// Rules returns the rule names in evaluation order.
func (p *Policy) Rules() []string {
	out := make([]string, len(p.rules))
	for i, r := range p.rules {
		out[i] = r.Name
	}
	return out
}

// Internal reports whether the address is in the organisation's domains.
func (p *Policy) Internal(addr string) bool {
	d := domainOf(addr)
	return d != "" && p.internalDomain(d)
}

func (p *Policy) internalDomain(d string) bool {
	for _, id := range p.internal {
		if d == id || p.internalSub && strings.HasSuffix(d, "."+id) {
			return true
		}
	}
	return false
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func lowerAll(l []string) []string {
	out := make([]string, 0, len(l))
	for _, s := range l {
		out = append(out, strings.ToLower(strings.TrimSpace(s)))
	}
	return out
}

// domainOf returns the normalised domain of an address, "" if it has none.
func domainOf(a string) string { return addr.Domain(a) }

// addrKey is an address in its one key form, so the envelope and the
// header spelling of a mailbox are one recipient.
func addrKey(a string) string { return addr.Key(a) }

// domainsOf normalises configured domains like recipient domains, so
// "保険代理店.jp" in the config matches the punycode form on the wire.
func domainsOf(l []string) []string {
	out := make([]string, 0, len(l))
	for _, d := range l {
		if d = addr.NormalizeDomain(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}
