package auditcli

import (
	"fmt"
	"slices"
	"time"

	"github.com/okuri/okuri/audit"
)

// Report is the evidence report of one month.
type Report struct {
	Month  string
	Zone   string // "JST (UTC+09:00)"
	Counts map[string]int
	Events int
	Rows   []ReportLine
	// Approvers is what each person did to held mail of others:
	// approvals, rejections, releases from quarantine, and the median
	// time from hold to their decision.
	Approvers []ApproverLine
	// Weeks are the holds per week (Monday to Sunday in the report's
	// zone) by hold kind, for the chart.
	Weeks []WeekHolds
	// Latency is the distribution of approval latency (hold to approve
	// or reject) over latencyBuckets.
	Latency []LatencyBucket
}

// ReportLine is a row as printed.
type ReportLine struct {
	Key, JA, EN, Basis string
	Count              int
}

// ApproverLine is one person's row of the approver breakdown.
type ApproverLine struct {
	User                         string
	Approved, Rejected, Released int
	Median                       string // "20m", "2h00m", "" without a known hold time
}

// WeekHolds counts holds of one week by hold kind (state).
type WeekHolds struct {
	Start  string // Monday, 2006-01-02
	ByKind map[string]int
}

// LatencyBucket is one bar of the approval latency chart.
type LatencyBucket struct {
	Label string
	Count int
}

// holdKinds are the hold states in chart order, with their words.
var holdKinds = []struct{ State, JA, EN, Color string }{
	{"held_delay", "一時保留", "delayed send", "#9ecae1"},
	{"held_selfcheck", "送信者確認", "self-check", "#4292c6"},
	{"held_approval", "上長承認", "supervisor approval", "#08519c"},
	{"quarantined", "隔離", "quarantine", "#de2d26"},
}

var latencyBuckets = []struct {
	Max   time.Duration
	Label string
}{
	{5 * time.Minute, "5分以内 / ≤5m"},
	{15 * time.Minute, "5–15分 / 5–15m"},
	{time.Hour, "15分–1時間 / 15m–1h"},
	{4 * time.Hour, "1–4時間 / 1–4h"},
	{24 * time.Hour, "4–24時間 / 4–24h"},
	{0, "24時間超 / >24h"},
}

// lookback is how far before the month the report reads, so that a
// message held or decided earlier and approved or delivered in the month
// is known (its hold time, its forced BCC).
const lookback = 31 * 24 * time.Hour

// tally accumulates a month's report from events in stream order.
type tally struct {
	start, end time.Time
	loc        *time.Location
	r          *Report
	rewrite    map[string]string    // message id → rewrite its decision applies ("bcc", "split")
	rewritten  map[string]bool      // message ids whose rewrite was counted
	heldAt     map[string]time.Time // message id → when it was held
	people     map[string]*person
	weeks      map[string]map[string]int
}

type person struct {
	approved, rejected, released int
	waits                        []time.Duration
}

func newTally(start, end time.Time, loc *time.Location, r *Report) *tally {
	return &tally{start: start, end: end, loc: loc, r: r,
		rewrite: map[string]string{}, rewritten: map[string]bool{}, heldAt: map[string]time.Time{},
		people: map[string]*person{}, weeks: map[string]map[string]int{}}
}

// isNotice reports whether ev is about okuri's own mail: a notice to a
// sender or approver, or a delivery status notification. Such mail is
// not "delivered mail" of the office.
func isNotice(ev audit.Event) bool { return ev.Decision == "notice" || ev.Decision == "dsn" }

func (t *tally) add(ev audit.Event) {
	// What later events need, whatever month it is in.
	switch ev.Type {
	case audit.TypeMessageDecided, audit.TypeMessageRewritten:
		if ev.Rewrite != nil && ev.Rewrite.Kind != "" {
			t.rewrite[ev.MessageID] = ev.Rewrite.Kind
		}
	case audit.TypeMessageHeld:
		t.heldAt[ev.MessageID] = ev.Time
	}
	if ev.Time.Before(t.start) || !ev.Time.Before(t.end) {
		return
	}
	t.r.Events++
	for _, row := range reportRows {
		if row.count != nil && row.count(ev) {
			t.r.Counts[row.Key]++
		}
	}
	switch ev.Type {
	case audit.TypeMessageHeld:
		w := weekStart(ev.Time.In(t.loc)).Format("2006-01-02")
		if t.weeks[w] == nil {
			t.weeks[w] = map[string]int{}
		}
		kind := ev.State
		if kind == "" && ev.Decision == "quarantine" {
			kind = "quarantined"
		}
		t.weeks[w][kind]++
	case audit.TypeMessageDelivered:
		// A forced BCC or split is counted once per message when it is
		// delivered, whether it passed directly or was held first.
		if k := t.rewrite[ev.MessageID]; k != "" && !isNotice(ev) && !t.rewritten[ev.MessageID] {
			t.rewritten[ev.MessageID] = true
			if k == "split" {
				t.r.Counts["splits"]++
			} else {
				t.r.Counts["bcc_rewrites"]++
			}
		}
	case audit.TypeMessageApproved, audit.TypeMessageRejected, audit.TypeMessageReleased:
		t.addPerson(ev)
	}
}

// addPerson records an approver's decision or a security release.
func (t *tally) addPerson(ev audit.Event) {
	if ev.Actor.Kind != audit.ActorUser || ev.Actor.User == "" {
		return
	}
	if ev.Type == audit.TypeMessageReleased && ev.PrevState != "quarantined" {
		return // the sender's own "send now"
	}
	p := t.people[ev.Actor.User]
	if p == nil {
		p = &person{}
		t.people[ev.Actor.User] = p
	}
	switch ev.Type {
	case audit.TypeMessageApproved:
		p.approved++
	case audit.TypeMessageRejected:
		p.rejected++
	default:
		p.released++
		return
	}
	if held, ok := t.heldAt[ev.MessageID]; ok && !ev.Time.Before(held) {
		p.waits = append(p.waits, ev.Time.Sub(held))
	}
}

// finish fills the report's rows, breakdown and charts.
func (t *tally) finish() {
	for _, row := range reportRows {
		t.r.Rows = append(t.r.Rows, ReportLine{row.Key, row.JA, row.EN, row.Basis, t.r.Counts[row.Key]})
	}
	users := make([]string, 0, len(t.people))
	for u := range t.people {
		users = append(users, u)
	}
	slices.Sort(users)
	t.r.Latency = make([]LatencyBucket, len(latencyBuckets))
	for i, b := range latencyBuckets {
		t.r.Latency[i].Label = b.Label
	}
	for _, u := range users {
		p := t.people[u]
		t.r.Approvers = append(t.r.Approvers, ApproverLine{User: u, Approved: p.approved, Rejected: p.rejected,
			Released: p.released, Median: fmtWait(median(p.waits))})
		for _, w := range p.waits {
			t.r.Latency[bucketOf(w)].Count++
		}
	}
	for w := weekStart(t.start.In(t.loc)); w.Before(t.end); w = w.AddDate(0, 0, 7) {
		k := w.Format("2006-01-02")
		t.r.Weeks = append(t.r.Weeks, WeekHolds{Start: k, ByKind: t.weeks[k]})
	}
}

func bucketOf(d time.Duration) int {
	for i, b := range latencyBuckets {
		if b.Max == 0 || d <= b.Max {
			return i
		}
	}
	return len(latencyBuckets) - 1
}

// weekStart is the Monday 00:00 of t's week, in t's location.
func weekStart(t time.Time) time.Time {
	d := (int(t.Weekday()) + 6) % 7
	y, m, day := t.Date()
	return time.Date(y, m, day-d, 0, 0, 0, 0, t.Location())
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return -1
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// fmtWait prints a wait compactly: 20m, 2h00m, 3d04h ("" when unknown).
func fmtWait(d time.Duration) string {
	switch {
	case d < 0:
		return ""
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Round(time.Minute).Minutes()))
	case d < 24*time.Hour:
		m := int(d.Round(time.Minute).Minutes())
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	h := int(d.Round(time.Hour).Hours())
	return fmt.Sprintf("%dd%02dh", h/24, h%24)
}
