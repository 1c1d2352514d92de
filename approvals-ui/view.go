package approvalsui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/okuri/okuri/internal/addr"
	"github.com/okuri/okuri/quarantine"
)

// explain returns why the message was held, from the record
// (quarantine.Message.Explain), or nil for a record without it; pages
// then degrade to the summary.
func (s *Server) explain(m *quarantine.Message) *quarantine.Explain {
	e, err := m.Explain()
	if err != nil {
		s.log.Warn("ui: explanation unreadable", "id", m.ID, "err", err)
		return nil
	}
	return e
}

type badge struct{ Class, Text string }

type rcptView struct {
	Addr, Domain        string
	External, FirstTime bool
	Lookalike           string
}

type deliveryView struct {
	N      int // 1-based, for people
	Rcpts  []string
	To, Cc string
}

// findingView is a finding with its kind in words (masked samples only,
// as the store keeps them).
type findingView struct {
	quarantine.Finding
	Label string
}

// WhereText is where a finding is, with its column when the scan named
// one: "customers.csv / 列: 電話".
func (f findingView) WhereText(lang string) string {
	if f.Column == "" {
		return f.Where
	}
	return f.Where + " / " + tr(lang, "column") + ": " + f.Column
}

type histView struct {
	Time, Actor, What, Comment string
}

// holdView is one message as pages and the API show it.
type holdView struct {
	ID, State, StateLabel        string
	Subject, HFrom, HTo, HCc     string
	HDate, HMessageID            string
	EnvFrom, AuthUser, Group     string
	Received, Deadline, TimeLeft string
	Overdue                      bool
	Size                         int64
	Headline                     string
	Badges                       []badge
	Reason, Explanation          string
	// Kinds and Keywords say which personal data and which keywords made
	// the hold, for the list's reason column.
	Kinds, Keywords string
	// Rules is the deciding rule's conditions in the page's language.
	Rules       []ruleView
	Recipients  []rcptView
	Deliveries  []deliveryView
	Rewritten   bool
	Findings    []findingView
	Attachments []attachment
	Preview     string
	Truncated   bool
	History     []histView
	Actions     map[string]bool
	NeedsCheck  bool
	received    time.Time // for sorting what Received shows
}

// SizeText is the message size for people.
func (v *holdView) SizeText() string { return fmtSize(v.Size) }

// SizeText is the attachment size for people.
func (a attachment) SizeText() string { return fmtSize(a.Size) }

// fmtSize writes a byte count in B, KB or MB (1024-based, as Windows
// Explorer and Outlook show sizes).
func fmtSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(jst).Format("2006-01-02 15:04")
}

// jst: the offices this is for are in Japan; times are shown in JST.
var jst = time.FixedZone("JST", 9*3600)

func timeLeft(lang string, d time.Duration) string {
	if d <= 0 {
		return tr(lang, "expired")
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	if lang == "en" {
		if h > 0 {
			return fmt.Sprintf("%dh %dm", h, m)
		}
		return fmt.Sprintf("%dm", m)
	}
	if h > 0 {
		return fmt.Sprintf("%d時間%d分", h, m)
	}
	return fmt.Sprintf("%d分", m)
}

// summary fills the fields a list row needs.
func (s *Server) summary(ctx context.Context, lang string, m *quarantine.Message) *holdView {
	v := &holdView{ID: m.ID, State: string(m.State), StateLabel: tr(lang, "st."+string(m.State)),
		Subject: m.Headers.Subject, HFrom: m.Headers.From, HTo: m.Headers.To, HCc: m.Headers.Cc,
		HDate: m.Headers.Date, HMessageID: m.Headers.MessageID,
		EnvFrom: m.From, AuthUser: m.AuthUser, Group: m.Group, Size: m.Size,
		Received: fmtTime(m.Received), Deadline: fmtTime(m.HoldUntil), received: m.Received}
	for _, f := range m.Decision.Findings {
		v.Findings = append(v.Findings, findingView{Finding: f, Label: kindLabel(lang, f.Kind)})
	}
	if !m.HoldUntil.IsZero() && m.State.Held() {
		left := m.HoldUntil.Sub(s.now())
		v.TimeLeft, v.Overdue = timeLeft(lang, left), left <= 0
	}
	d := s.explain(m)
	verdict := m.Decision.Verdict
	v.Reason = m.Decision.Rule
	if d != nil && d.ReasonJA != "" {
		v.Reason = d.ReasonJA
		if lang == "en" {
			v.Reason = d.ReasonEN
		}
	}
	v.Headline = headline(lang, m, d)
	labels := make([]string, 0, 4)
	for _, k := range kindsFound(m, d) {
		labels = append(labels, kindLabel(lang, k))
	}
	v.Kinds = strings.Join(labels, tr(lang, "sep"))
	if d != nil {
		v.Keywords = strings.Join(d.Keywords, tr(lang, "sep"))
	}
	if matches(m, d) > 0 || verdict == "personal_data" {
		v.Badges = append(v.Badges, badge{"pii", piiBadge(lang, m, d)})
	}
	switch verdict {
	case "encrypted":
		v.Badges = append(v.Badges, badge{"warn", tr(lang, "badge.encrypted")})
	case "unscannable":
		v.Badges = append(v.Badges, badge{"warn", tr(lang, "badge.unscannable")})
	}
	if plan := s.plan(m); plan != nil && (plan.ForceBCC || plan.Split) || d != nil && d.VisibleIndividuals > 1 {
		v.Badges = append(v.Badges, badge{"bcc", tr(lang, "badge.bcc")})
	}
	if d != nil {
		if len(d.FirstTimeDomains) > 0 {
			v.Badges = append(v.Badges, badge{"first", tr(lang, "badge.firsttime")})
		}
		if len(d.Lookalikes) > 0 {
			v.Badges = append(v.Badges, badge{"alike", tr(lang, "badge.lookalike")})
		}
	}
	v.neutralise()
	return v
}

// plan returns the record's rewrite plan, or nil when it has none or it
// cannot be read.
func (s *Server) plan(m *quarantine.Message) *quarantine.RewritePlan {
	p, err := m.RewritePlan()
	if err != nil {
		s.log.Warn("ui: rewrite plan unreadable", "id", m.ID, "err", err)
		return nil
	}
	return p
}

// detail fills everything the message page shows, from the record alone:
// the attachments are the scanner's parts, the preview the scanner's
// text, the deliveries those the gateway computed when it held the
// message.
func (s *Server) detail(ctx context.Context, lang string, p *principal, m *quarantine.Message) (*holdView, error) {
	v := s.summary(ctx, lang, m)
	d := s.explain(m)
	v.Attachments = fromParts(m.Parts)
	v.Preview, v.Truncated = m.Preview, m.PreviewTruncated
	internal := s.conf().Domains.Internal
	sub := false
	if plan := s.plan(m); plan != nil && len(plan.Internal) > 0 {
		internal, sub = plan.Internal, plan.InternalSubdomains
	}
	var first, alike map[string]string
	if d != nil {
		first, alike = map[string]string{}, map[string]string{}
		for _, x := range d.FirstTimeDomains {
			first[lower(x)] = x
		}
		for _, x := range d.Lookalikes {
			if a, b, ok := strings.Cut(x, "~"); ok {
				alike[lower(strings.TrimSpace(a))] = strings.TrimSpace(b)
			}
		}
	}
	v.Explanation = m.Decision.Explanation
	v.Rules = explainRules(lang, d)
	for _, r := range m.To {
		dom := addr.Domain(r)
		rv := rcptView{Addr: r, Domain: dom, External: !addr.IsInternal(r, internal, sub)}
		if rv.External {
			if first != nil {
				_, rv.FirstTime = first[dom]
				rv.Lookalike = alike[dom]
			} else if m.State.Held() {
				_, known, err := s.st.Known(ctx, dom)
				rv.FirstTime = err == nil && !known
			}
		}
		v.Recipients = append(v.Recipients, rv)
	}
	if d != nil && len(d.Deliveries) > 0 {
		v.Rewritten = true
		for i, dl := range d.Deliveries {
			v.Deliveries = append(v.Deliveries, deliveryView{N: i + 1, Rcpts: dl.Rcpts, To: dl.To, Cc: dl.Cc})
		}
	}
	for _, h := range m.History {
		v.History = append(v.History, histLine(lang, h))
	}
	if p != nil {
		v.Actions = p.allowedActions(m)
	}
	v.NeedsCheck = len(v.Recipients)+len(v.Attachments) > 0
	v.neutralise()
	return v, nil
}
