package config

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Policy is the policy section: settings the rules share, then the rules,
// evaluated in file order. Package policy compiles it and documents the
// defaults of every zero value (docs/POLICY.md).
type Policy struct {
	// OnError is what happens to a message whose scan or facts failed:
	// "quarantine" (default) or "reject". Never a pass: okuri fails closed.
	OnError string `yaml:"on_error"`
	// InternalSubdomains makes subdomains of domains.internal internal too.
	InternalSubdomains bool `yaml:"internal_subdomains"`
	// IndividualDomains are consumer and carrier mail domains: an address
	// there probably identifies one person.
	IndividualDomains DomainList `yaml:"individual_domains"`
	// KnownDomains are partner domains (insurers, the smarthost provider)
	// that look-alike detection compares against, next to domains.internal.
	KnownDomains []string `yaml:"known_domains"`
	// InsurerDomains are every insurer domain the agency mails; the insurer
	// guard fires when personal data goes to one of them that is not among
	// the sender's groups' insurers.
	InsurerDomains []string `yaml:"insurer_domains"`
	// ForceBCC sets when a force_bcc rule rewrites the headers.
	ForceBCC ForceBCC `yaml:"force_bcc"`
	// Split configures split delivery.
	Split Split `yaml:"split"`
	// Keywords are words (社外秘, 機密 …) looked for in the subject, the
	// attachment names and the first part of the message text.
	Keywords []string `yaml:"keywords"`
	// SecurityTeam receives notify actions without their own addresses
	// and is named in quarantine notices.
	SecurityTeam []string `yaml:"security_team"`
	// Holds are the deadlines of held messages per action.
	Holds Holds `yaml:"holds"`
	// Rules are evaluated in order; every match contributes.
	Rules []Rule `yaml:"rules"`
}

// DomainList is a built-in list changed by additions and removals.
type DomainList struct {
	// NoBuiltin drops the built-in list (docomo.ne.jp, gmail.com, …).
	NoBuiltin bool     `yaml:"no_builtin"`
	Add       []string `yaml:"add"`
	Remove    []string `yaml:"remove"`
}

// ForceBCC configures the forced BCC rewrite.
type ForceBCC struct {
	// Threshold is how many visible external addresses (in To and Cc)
	// make a force_bcc rule rewrite. Default 2.
	Threshold int `yaml:"threshold"`
	// Count is "individuals" (default: addresses that identify a person)
	// or "external" (every external address).
	Count string `yaml:"count"`
}

// Split configures split delivery.
type Split struct {
	// HideInternal hides internal To/Cc addresses from each external
	// recipient too; by default they stay visible.
	HideInternal bool `yaml:"hide_internal"`
}

// Holds are how long each kind of held message waits before it expires
// (self-check, approval) or is released (delay rules set their own).
type Holds struct {
	SelfCheck  Duration `yaml:"selfcheck"`  // default 24h
	Approval   Duration `yaml:"approval"`   // default 72h
	Quarantine Duration `yaml:"quarantine"` // default 720h (30 days), then expired
}

// Rule is one policy rule: when all conditions hold, the action applies.
type Rule struct {
	// Name identifies the rule in decisions, audit events and 5xx replies:
	// ASCII letters, digits, '.', '_' and '-'.
	Name string `yaml:"name"`
	// Description is free text for the explanation.
	Description string `yaml:"description"`
	// Mode is "enforce" (default) or "monitor": a monitor rule records what
	// it would have done and does nothing.
	Mode string `yaml:"mode"`
	When When   `yaml:"when"`
	// Action is pass, force_bcc, split, delay, hold_selfcheck,
	// hold_approval, quarantine, reject, add_header or notify.
	Action string `yaml:"action"`
	// Delay is the hold time of a delay action; 0 delivers at once.
	Delay Duration `yaml:"delay"`
	// Header is the field an add_header action adds.
	Header *HeaderField `yaml:"header"`
	// Notify are the addresses a notify action informs; default
	// policy.security_team.
	Notify []string `yaml:"notify"`
}

// HeaderField is one header field to add.
type HeaderField struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

// When are a rule's conditions; all that are set must hold. An empty When
// matches every message.
type When struct {
	// External: the message has (true) or has no (false) external
	// envelope recipient.
	External *bool `yaml:"external"`
	// Content matches when the message, or any part, has one of these
	// verdicts: personal_data, encrypted, unscannable, clean.
	Content []string `yaml:"content"`
	// Kinds matches when any of these finding kinds was found.
	Kinds []string `yaml:"kinds"`
	// MinRecords and MaxRecords bound the personal-data records.
	MinRecords *int `yaml:"min_records"`
	MaxRecords *int `yaml:"max_records"`
	// StrongIDs: a strong ID (My Number, card, …) was (not) found.
	StrongIDs *bool `yaml:"strong_ids"`
	// MinExternal bounds the external envelope recipients from below.
	MinExternal *int `yaml:"min_external"`
	// MinVisibleExternal bounds external addresses in To/Cc from below.
	MinVisibleExternal *int `yaml:"min_visible_external"`
	// MinVisibleIndividuals bounds external individuals in To/Cc.
	MinVisibleIndividuals *int `yaml:"min_visible_individuals"`
	// MinExternalDomains bounds distinct external recipient domains.
	MinExternalDomains *int `yaml:"min_external_domains"`
	// FirstTimeDomain / FirstTimeAddress: some external recipient domain
	// (address) was never delivered to before.
	FirstTimeDomain  *bool `yaml:"first_time_domain"`
	FirstTimeAddress *bool `yaml:"first_time_address"`
	// LookalikeDomain: some external domain looks like a known one.
	LookalikeDomain *bool `yaml:"lookalike_domain"`
	// Individual: some external recipient probably is one person.
	Individual *bool `yaml:"individual"`
	// InsurerMismatch: personal data goes to an insurer domain that is not
	// one of the sender's groups' insurers.
	InsurerMismatch *bool `yaml:"insurer_mismatch"`
	// Keyword: one of policy.keywords appears.
	Keyword *bool `yaml:"keyword"`
	// MinAttachments bounds the number of attachments.
	MinAttachments *int `yaml:"min_attachments"`
	// AttachmentTypes matches attachment extensions or detected formats
	// ("csv", "xlsx", "zip").
	AttachmentTypes []string `yaml:"attachment_types"`
	// SenderGroups matches senders in any of these directory groups.
	SenderGroups []string `yaml:"sender_groups"`
}

// policyActions are the rule actions (vocab.go); package policy gives
// them meaning.
var policyActions = Actions()

var contentVerdicts = Verdicts()

var findingKinds = []string{"my_number", "phone", "email", "postal_address", "birth_date", "name", "credit_card", "bank_account", "policy_number", "drivers_license", "passport", "health_insurance", "pension_number"}

// reservedHeaders may not be added by add_header: they carry addresses,
// identity or structure that rewrites and signatures rely on.
var reservedHeaders = []string{"to", "cc", "bcc", "from", "sender", "reply-to", "subject", "date", "message-id", "mime-version", "content-type", "content-transfer-encoding", "received", "return-path", "dkim-signature"}

func (c *Config) validatePolicy(bad func(key, msg string)) {
	p := c.Policy
	switch p.OnError {
	case "", "quarantine", "reject":
	default:
		bad("policy.on_error", `must be "quarantine" or "reject" (okuri never passes a message it could not check)`)
	}
	for _, l := range []struct {
		key string
		ds  []string
	}{
		{"policy.individual_domains.add", p.IndividualDomains.Add},
		{"policy.individual_domains.remove", p.IndividualDomains.Remove},
		{"policy.known_domains", p.KnownDomains},
		{"policy.insurer_domains", p.InsurerDomains},
	} {
		for i, d := range l.ds {
			if !validDomain(d) {
				bad(indexKey(l.key, i), "not a domain name: "+quote(d))
			}
		}
	}
	if p.ForceBCC.Threshold < 0 || p.ForceBCC.Threshold == 1 {
		bad("policy.force_bcc.threshold", "must be at least 2: one visible external address shows nobody to anybody else")
	} else if m := c.SMTP.Limits.MaxRecipients; m > 0 && p.ForceBCC.Threshold > m {
		bad("policy.force_bcc.threshold", "exceeds smtp.limits.max_recipients ("+strconv.Itoa(m)+"): forced BCC could never apply")
	}
	switch p.ForceBCC.Count {
	case "", "individuals", "external":
	default:
		bad("policy.force_bcc.count", `must be "individuals" or "external"`)
	}
	for i, k := range p.Keywords {
		if strings.TrimSpace(k) == "" {
			bad(indexKey("policy.keywords", i), "must not be empty")
		}
	}
	for i, a := range p.SecurityTeam {
		if !validAddress(a) {
			bad(indexKey("policy.security_team", i), "not a mail address: "+quote(a))
		}
	}
	groups := map[string]bool{}
	for _, g := range c.Dir.Groups {
		groups[g.Name] = true
	}
	names := map[string]bool{}
	for i, r := range p.Rules {
		c.validateRule(indexKey("policy.rules", i), r, groups, names, bad)
	}
	c.validateDirectoryUsers(bad)
}

func (c *Config) validateRule(key string, r Rule, groups, names map[string]bool, bad func(key, msg string)) {
	switch {
	case r.Name == "":
		bad(key+".name", "required")
	case !validRuleName(r.Name):
		bad(key+".name", "use ASCII letters, digits, '.', '_' and '-' only (the name appears in SMTP replies): "+quote(r.Name))
	case names[r.Name]:
		bad(key+".name", "rule "+quote(r.Name)+" defined twice")
	}
	names[r.Name] = true
	switch r.Mode {
	case "", ModeEnforce, ModeMonitor:
	default:
		bad(key+".mode", `must be "enforce" or "monitor"`)
	}
	if r.Action == "" {
		bad(key+".action", "required: one of "+strings.Join(policyActions, ", "))
	} else if !slices.Contains(policyActions, r.Action) {
		bad(key+".action", "unknown action "+quote(r.Action)+": one of "+strings.Join(policyActions, ", "))
	}
	if r.Delay != 0 && r.Action != ActionDelay {
		bad(key+".delay", "only for action delay")
	}
	if r.Header != nil && r.Action != "add_header" {
		bad(key+".header", "only for action add_header")
	}
	if r.Action == "add_header" {
		switch {
		case r.Header == nil:
			bad(key+".header", "required for add_header: {name: X-..., value: ...}")
		case !validFieldName(r.Header.Name):
			bad(key+".header.name", "not a header field name: "+quote(r.Header.Name))
		case slices.Contains(reservedHeaders, strings.ToLower(r.Header.Name)):
			bad(key+".header.name", quote(r.Header.Name)+" may not be added by a rule")
		}
		if r.Header != nil && !validFieldValue(r.Header.Value) {
			bad(key+".header.value", "must be printable ASCII on one line")
		}
	}
	if len(r.Notify) > 0 && r.Action != "notify" {
		bad(key+".notify", "only for action notify")
	}
	if r.Action == "notify" && len(r.Notify) == 0 && len(c.Policy.SecurityTeam) == 0 {
		bad(key+".notify", "required for notify when policy.security_team is empty")
	}
	for i, a := range r.Notify {
		if !validAddress(a) {
			bad(indexKey(key+".notify", i), "not a mail address: "+quote(a))
		}
	}
	w, wk := r.When, key+".when"
	for i, v := range w.Content {
		if !slices.Contains(contentVerdicts, v) {
			bad(indexKey(wk+".content", i), "unknown verdict "+quote(v)+": one of "+strings.Join(contentVerdicts, ", "))
		}
	}
	for i, k := range w.Kinds {
		if !slices.Contains(findingKinds, k) {
			bad(indexKey(wk+".kinds", i), "unknown finding kind "+quote(k))
		}
	}
	for i, g := range w.SenderGroups {
		if !groups[g] {
			bad(indexKey(wk+".sender_groups", i), "unknown group "+quote(g)+" (not in directory.groups)")
		}
	}
	for i, t := range w.AttachmentTypes {
		if t == "" || strings.ContainsAny(t, " /\\") {
			bad(indexKey(wk+".attachment_types", i), "an extension or format such as csv, xlsx, zip: "+quote(t))
		}
	}
	for _, n := range []struct {
		key string
		v   *int
		min int
	}{
		{"min_records", w.MinRecords, 1}, {"max_records", w.MaxRecords, 0},
		{"min_external", w.MinExternal, 1}, {"min_visible_external", w.MinVisibleExternal, 1},
		{"min_visible_individuals", w.MinVisibleIndividuals, 1}, {"min_external_domains", w.MinExternalDomains, 1},
		{"min_attachments", w.MinAttachments, 1},
	} {
		if n.v != nil && *n.v < n.min {
			bad(wk+"."+n.key, "must be at least "+strconv.Itoa(n.min))
		}
	}
	if w.MinRecords != nil && w.MaxRecords != nil && *w.MinRecords > *w.MaxRecords {
		bad(wk+".max_records", "is below min_records: no message can match")
	}
	if w.External != nil && !*w.External {
		for _, n := range []struct {
			key string
			set bool
		}{
			{"min_external", w.MinExternal != nil}, {"min_visible_external", w.MinVisibleExternal != nil},
			{"min_visible_individuals", w.MinVisibleIndividuals != nil}, {"min_external_domains", w.MinExternalDomains != nil},
		} {
			if n.set {
				bad(wk+"."+n.key, "contradicts external: false: no message can match")
			}
		}
	}
	if w.Keyword != nil && *w.Keyword && len(c.Policy.Keywords) == 0 {
		bad(wk+".keyword", "policy.keywords is empty: no message can match")
	}
	if w.InsurerMismatch != nil && *w.InsurerMismatch && !c.anyInsurer() {
		bad(wk+".insurer_mismatch", "no insurer domains in policy.insurer_domains or directory.groups[].insurers: no message can match")
	}
	maxRcpt := c.SMTP.Limits.MaxRecipients
	for _, n := range []struct {
		key string
		v   *int
	}{{"min_external", w.MinExternal}, {"min_visible_individuals", w.MinVisibleIndividuals}, {"min_external_domains", w.MinExternalDomains}} {
		if n.v != nil && maxRcpt > 0 && *n.v > maxRcpt {
			bad(wk+"."+n.key, "exceeds smtp.limits.max_recipients ("+strconv.Itoa(maxRcpt)+"): no message can match")
		}
	}
	if (w.MinRecords != nil || w.StrongIDs != nil && *w.StrongIDs || len(w.Kinds) > 0) && len(w.Content) > 0 && !slices.Contains(w.Content, VerdictPersonalData) {
		bad(wk+".content", "findings conditions need personal_data among the verdicts: no message can match")
	}
}

func (c *Config) anyInsurer() bool {
	if len(c.Policy.InsurerDomains) > 0 {
		return true
	}
	for _, g := range c.Dir.Groups {
		if len(g.Insurers) > 0 {
			return true
		}
	}
	return false
}

// validateDirectoryUsers checks that approvers, fallback approvers,
// auditors and admins are users. It reads the users file minimally
// (config imports no other okuri package); a missing users file is not a
// problem, so a fresh install checks before its first `okuri user add`.
func (c *Config) validateDirectoryUsers(bad func(key, msg string)) {
	users, err := readUserAddresses(c.Dir.UsersFile)
	if errors.Is(err, os.ErrNotExist) || c.Dir.UsersFile == "" {
		return
	}
	if err != nil {
		bad("directory.users_file", "cannot read users: "+err.Error())
		return
	}
	check := func(key, a string) {
		if strings.Contains(a, "@") && !users[strings.ToLower(a)] {
			bad(key, quote(a)+" is not a user in "+c.Dir.UsersFile)
		}
	}
	for i, g := range c.Dir.Groups {
		key := indexKey("directory.groups", i)
		for j, a := range g.Members {
			check(indexKey(key+".members", j), a)
		}
		for j, a := range g.Approvers {
			check(indexKey(key+".approvers", j), a)
		}
	}
	for _, l := range []struct {
		key   string
		addrs []string
	}{{"directory.fallback_approvers", c.Dir.FallbackApprovers}, {"directory.auditors", c.Dir.Auditors}, {"directory.admins", c.Dir.Admins}} {
		for j, a := range l.addrs {
			check(indexKey(l.key, j), a)
		}
	}
}

// readUserAddresses returns the lower-case login addresses of the users
// file; other fields are ignored here (package directory owns the format).
func readUserAddresses(path string) (map[string]bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	// Validation must not hang on a device or FIFO, or read a huge file.
	if !st.Mode().IsRegular() || st.Size() > 64<<20 {
		return nil, errors.New("not a regular file of at most 64MB")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Users []struct {
			Address string `yaml:"address"`
		} `yaml:"users"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, errors.New(yamlErrMsg(err))
	}
	m := make(map[string]bool, len(f.Users))
	for _, u := range f.Users {
		m[strings.ToLower(u.Address)] = true
	}
	return m, nil
}

func validRuleName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func validFieldName(s string) bool {
	if s == "" || len(s) > 76 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}

func validFieldValue(s string) bool {
	if len(s) > 900 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' {
			return false
		}
	}
	return true
}

func validAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	return at > 0 && at < len(a)-1 && !strings.ContainsAny(a, " \t<>,;\"") && validDomain(a[at+1:])
}
