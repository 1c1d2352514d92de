package policy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/okuri/okuri/policy/rewrite"
	"github.com/okuri/okuri/policy/scan"
)

// History answers whether the organisation has delivered to a domain or an
// address before. The gateway backs it with quarantine's known-recipient
// history (Store.Known). An error makes the message held (fail closed).
type History interface {
	KnownDomain(ctx context.Context, domain string) (bool, error)
	KnownAddress(ctx context.Context, addr string) (bool, error)
}

// KnownFunc adapts one lookup function taking an address or a domain (as
// quarantine.Store.Known does) to History.
type KnownFunc func(ctx context.Context, addrOrDomain string) (bool, error)

// KnownDomain implements History.
func (f KnownFunc) KnownDomain(ctx context.Context, d string) (bool, error) { return f(ctx, d) }

// KnownAddress implements History.
func (f KnownFunc) KnownAddress(ctx context.Context, a string) (bool, error) { return f(ctx, a) }

// Input is everything Facts needs about one message.
type Input struct {
	// MailFrom and RcptTo are the envelope.
	MailFrom string
	RcptTo   []string
	// User is the authenticated login address; "" for a trusted network.
	User string
	// Header is the message's header section, when the caller has read it
	// already (the gateway reads it once for display and policy).
	// Otherwise Message reads the message from its first byte and Facts
	// reads the header section from it; with neither there are no header
	// facts (recorded as an error: fail closed).
	Header  *rewrite.Header
	Message io.Reader
	// Scan is the scan result; ScanErr the error Scan returned. A nil
	// Scan or a non-nil ScanErr is a facts error. Body keywords are
	// matched on Scan.BodyText.
	Scan    *scan.Result
	ScanErr error
	// History is the known-recipient history; nil means none is
	// reachable and every external recipient counts as first-time.
	History History
}

// Recipient is one recipient address, classified.
type Recipient struct {
	Address string `json:"address"`
	Domain  string `json:"domain"`
	// Envelope: an envelope recipient. Field: "to" or "cc" when the
	// address is visible in that header field ("" for Bcc-only).
	Envelope bool   `json:"envelope"`
	Field    string `json:"field,omitempty"`
	Internal bool   `json:"internal"`
	// Individual: probably one person (consumer or carrier domain).
	Individual bool `json:"individual,omitempty"`
	// FirstTimeDomain / FirstTimeAddress: never delivered to before.
	FirstTimeDomain  bool `json:"first_time_domain,omitempty"`
	FirstTimeAddress bool `json:"first_time_address,omitempty"`
	// Lookalike is the known domain this one resembles.
	Lookalike string `json:"lookalike,omitempty"`
	// Insurer: the domain is an insurer's; InsurerOther: not one of the
	// sender's groups' insurers.
	Insurer      bool `json:"insurer,omitempty"`
	InsurerOther bool `json:"insurer_other,omitempty"`
}

// Sender is who sends.
type Sender struct {
	Address string   `json:"address"`
	User    string   `json:"user,omitempty"`
	Groups  []string `json:"groups,omitempty"`
}

// Attachment is one attachment or file inside a container.
type Attachment struct {
	Name    string `json:"name,omitempty"`
	Type    string `json:"type,omitempty"` // lower-case extension or detected format
	Size    int64  `json:"size"`
	Verdict string `json:"verdict"`
}

// Content summarises the scan result.
type Content struct {
	Verdict      string         `json:"verdict"`
	PersonalData bool           `json:"personal_data"`
	Encrypted    bool           `json:"encrypted"`   // any part
	Unscannable  bool           `json:"unscannable"` // any part
	Kinds        map[string]int `json:"kinds,omitempty"`
	Records      int            `json:"records"`
	Strong       bool           `json:"strong"`
	Attachments  []Attachment   `json:"attachments,omitempty"`
}

// KeywordHit is a configured keyword found somewhere.
type KeywordHit struct {
	Word  string `json:"word"`
	Where string `json:"where"` // "subject", "attachment_name", "body"
}

// Facts is what rules test. Build it with (*Policy).Facts; tests may
// build it by hand.
type Facts struct {
	Sender     Sender      `json:"sender"`
	Recipients []Recipient `json:"recipients"`
	// Counts over Recipients.
	External           int          `json:"external"`            // external envelope recipients
	VisibleExternal    int          `json:"visible_external"`    // external addresses in To/Cc
	VisibleIndividuals int          `json:"visible_individuals"` // of those, individuals
	ExternalDomains    []string     `json:"external_domains"`    // distinct, sorted
	Content            Content      `json:"content"`
	Subject            string       `json:"-"` // decoded; never in explanations
	Keywords           []KeywordHit `json:"keywords,omitempty"`
	// Notes are facts-building remarks that are not errors ("no history").
	Notes []string `json:"notes,omitempty"`
	// Errors are problems building the facts; any error makes Decide hold
	// the message (policy.on_error).
	Errors []string `json:"errors,omitempty"`
}

// Facts builds the facts of one message. It never fails: problems are
// recorded in Facts.Errors so that Decide holds the message.
func (p *Policy) Facts(ctx context.Context, in Input) Facts {
	var f Facts
	f.Sender = p.sender(in)
	h, err := header(in)
	if err != nil {
		f.Errors = append(f.Errors, err.Error())
	}
	p.recipients(&f, in, h)
	p.history(ctx, &f, in.History)
	f.Content = content(in.Scan)
	switch {
	case in.ScanErr != nil:
		f.Errors = append(f.Errors, fmt.Sprintf("scan: %v", in.ScanErr))
	case in.Scan == nil:
		f.Errors = append(f.Errors, "scan: no result")
	}
	if h != nil && len(p.keywords) > 0 {
		subj := decodeHeader(strings.Join(h.Get("Subject"), " "))
		f.Subject = subj
		f.Keywords = p.findKeywords(subj, f.Content.Attachments)
		if in.Scan != nil {
			f.Keywords = mergeHits(f.Keywords, p.bodyKeywords(in.Scan.BodyText))
		}
	}
	return f
}

// header returns the header section of the input's message.
func header(in Input) (*rewrite.Header, error) {
	switch {
	case in.Header != nil:
		return in.Header, nil
	case in.Message == nil:
		return nil, errors.New("message: not available to read its header")
	}
	h, err := rewrite.ReadHeader(bufio.NewReaderSize(in.Message, 16<<10))
	if err != nil {
		return nil, fmt.Errorf("message header: %w", err)
	}
	return h, nil
}

func (p *Policy) sender(in Input) Sender {
	s := Sender{Address: strings.ToLower(in.MailFrom), User: strings.ToLower(in.User)}
	who := s.User
	if who == "" {
		who = s.Address
	}
	for _, gi := range p.userGroup[who] {
		s.Groups = append(s.Groups, p.groups[gi].Name)
	}
	return s
}

// recipients classifies the envelope recipients and the addresses visible
// in To and Cc.
func (p *Policy) recipients(f *Facts, in Input, h *rewrite.Header) {
	idx := map[string]int{}
	add := func(addr string) *Recipient {
		addr = addrKey(addr)
		if i, ok := idx[addr]; ok {
			return &f.Recipients[i]
		}
		d := domainOf(addr)
		r := Recipient{Address: addr, Domain: d}
		r.Internal = d != "" && p.internalDomain(d)
		if !r.Internal {
			r.Individual = p.individual[d]
			r.Insurer = p.isInsurer(d)
			r.InsurerOther = r.Insurer && !p.senderInsurer(f.Sender, d)
			if d != "" {
				r.Lookalike = p.references.lookalike(d)
			}
		}
		idx[addr] = len(f.Recipients)
		f.Recipients = append(f.Recipients, r)
		return &f.Recipients[len(f.Recipients)-1]
	}
	for _, a := range in.RcptTo {
		add(a).Envelope = true
	}
	unparseable := 0
	if h != nil {
		for _, field := range []string{"to", "cc"} {
			for _, v := range h.Get(field) {
				for _, mb := range mailboxes(rewrite.ParseAddressList(v)) {
					a := mb.Addr
					if a == "" {
						// Unparseable (raw 8-bit display names, broken
						// syntax): rewrites hide it; count it as an
						// external individual so that forced BCC is not
						// skipped because of it.
						unparseable += max(1, strings.Count(mb.Raw, "@"))
						continue
					}
					r := add(a)
					if r.Field == "" {
						r.Field = field
					}
				}
			}
		}
	}
	domains := map[string]bool{}
	for _, r := range f.Recipients {
		if r.Internal {
			continue
		}
		if r.Envelope {
			f.External++
			domains[r.Domain] = true
		}
		if r.Field != "" {
			f.VisibleExternal++
			if r.Individual {
				f.VisibleIndividuals++
			}
		}
	}
	if unparseable > 0 {
		f.VisibleExternal += unparseable
		f.VisibleIndividuals += unparseable
		f.Notes = append(f.Notes, fmt.Sprintf("%d address(es) in To/Cc could not be parsed: counted as visible external individuals", unparseable))
	}
	for d := range domains {
		f.ExternalDomains = append(f.ExternalDomains, d)
	}
	slices.Sort(f.ExternalDomains)
}

// mailboxes flattens address-list entries, group members included.
func mailboxes(es []rewrite.Entry) []rewrite.Mailbox {
	var out []rewrite.Mailbox
	for _, e := range es {
		if e.Group {
			out = append(out, e.Members...)
		} else {
			out = append(out, e.Mailbox)
		}
	}
	return out
}

func (p *Policy) isInsurer(d string) bool {
	for _, i := range p.insurers {
		if d == i || strings.HasSuffix(d, "."+i) {
			return true
		}
	}
	return false
}

func (p *Policy) senderInsurer(s Sender, d string) bool {
	for _, g := range p.groups {
		if !slices.Contains(s.Groups, g.Name) {
			continue
		}
		for _, i := range g.Insurers {
			i = strings.ToLower(i)
			if d == i || strings.HasSuffix(d, "."+i) {
				return true
			}
		}
	}
	return false
}

// history looks up first-time domains and addresses of external envelope
// recipients. A look-alike stays one even when delivered to before: one
// mistaken release must not whitelist a typo domain; a legitimate
// look-alike belongs in policy.known_domains.
func (p *Policy) history(ctx context.Context, f *Facts, h History) {
	if h == nil {
		f.Notes = append(f.Notes, "no delivery history available: every external recipient counts as first-time")
	}
	domains := map[string]bool{}
	for i := range f.Recipients {
		r := &f.Recipients[i]
		if r.Internal || !r.Envelope {
			continue
		}
		if h == nil {
			r.FirstTimeDomain, r.FirstTimeAddress = true, true
			continue
		}
		known, seen := domains[r.Domain]
		if !seen {
			var err error
			known, err = h.KnownDomain(ctx, r.Domain)
			if err != nil {
				f.Errors = append(f.Errors, fmt.Sprintf("history: domain lookup: %v", err))
				known = false
			}
			domains[r.Domain] = known
		}
		r.FirstTimeDomain = !known
		ka, err := h.KnownAddress(ctx, r.Address)
		if err != nil {
			f.Errors = append(f.Errors, fmt.Sprintf("history: address lookup: %v", err))
		}
		r.FirstTimeAddress = !ka
	}
	f.Errors = slices.Compact(f.Errors)
}

// content summarises a scan result; a nil result is treated as
// unscannable.
func content(res *scan.Result) Content {
	if res == nil {
		return Content{Verdict: string(scan.Unscannable), Unscannable: true}
	}
	c := Content{
		Verdict:      string(res.Verdict),
		PersonalData: res.Verdict == scan.PersonalData,
		Encrypted:    res.Has(scan.Encrypted),
		Unscannable:  res.Has(scan.Unscannable),
		Records:      res.Summary.Records,
		Strong:       res.Summary.Strong,
	}
	if len(res.Summary.Kinds) > 0 {
		c.Kinds = map[string]int{}
		for k, n := range res.Summary.Kinds {
			if n > 0 {
				c.Kinds[k] = n
			}
		}
	}
	for _, part := range res.Parts {
		if !part.Attachment {
			continue
		}
		c.Attachments = append(c.Attachments, Attachment{
			Name: part.Name, Type: attachmentType(part), Size: part.Size, Verdict: string(part.Verdict),
		})
	}
	return c
}

func attachmentType(part scan.Part) string {
	if i := strings.LastIndexByte(part.Name, '.'); i >= 0 && i < len(part.Name)-1 {
		return strings.ToLower(part.Name[i+1:])
	}
	ct := strings.ToLower(part.ContentType)
	if i := strings.LastIndexByte(ct, '/'); i >= 0 {
		ct = ct[i+1:]
	}
	return ct
}
