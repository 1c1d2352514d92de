package auditcli

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/okuri/okuri/audit"
)

// reportRow is one line of the evidence report: what is counted and which
// requirement it evidences. Rows without count are filled by the tally
// (they need more than one event).
type reportRow struct {
	Key, JA, EN, Basis string
	count              func(ev audit.Event) bool
}

var reportRows = []reportRow{
	{"holds", "保留", "held messages", "No.118 / 指針5-5", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageHeld }},
	{"quarantines", "隔離", "quarantined", "No.118", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageHeld && (ev.State == "quarantined" || ev.Decision == "quarantine")
	}},
	{"selfchecks", "送信者確認（セルフチェック）", "self-checks completed", "No.118", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageSelfChecked }},
	{"approvals", "上長承認", "supervisor approvals", "No.118", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageApproved }},
	{"rejections", "却下（承認者）", "rejected by approvers", "No.118", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageRejected && ev.Actor.Kind == audit.ActorUser
	}},
	{"policy_rejects", "送信拒否（ルール）", "refused by rule", "No.118", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageRejected && ev.Actor.Kind != audit.ActorUser
	}},
	{"cancellations", "送信取消", "cancelled by sender", "No.118", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageCancelled }},
	{"expiries", "期限切れ（未送信）", "expired (not sent)", "No.118", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageExpired }},
	{"releases", "解放（隔離から送信）", "released from quarantine", "No.118", func(ev audit.Event) bool {
		return releaseKind(ev) == "release"
	}},
	{"send_now", "今すぐ送信", "send now", "No.118", func(ev audit.Event) bool { return releaseKind(ev) == "send_now" }},
	{"delay_elapsed", "一時保留の期限で送信", "delayed send sent at its time", "No.118", func(ev audit.Event) bool {
		return releaseKind(ev) == "delay_elapsed"
	}},
	{"bcc_rewrites", "BCC変換", "forced BCC", "指針5-5", nil},
	{"splits", "宛先ごとに分割送信", "split delivery", "指針5-5", nil},
	{"deliveries", "送信完了", "delivered", "指針5-5", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageDelivered && !isNotice(ev)
	}},
	{"failures", "送信失敗", "delivery failed", "指針5-5", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageFailed && !isNotice(ev)
	}},
	{"notices", "okuriからの通知メール", "notices sent by okuri", "—", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageDelivered && isNotice(ev)
	}},
	{"events_lost", "監査ログ欠落", "audit events lost", "FSA log guidance", func(ev audit.Event) bool { return ev.Type == audit.TypeAuditEventsLost }},
}

// releaseKind tells the three ways a held message is let go apart:
// "release" (security team, from quarantine), "send_now" (the sender, on
// a delayed send) and "delay_elapsed" (the delay ran out); "" for other
// events. A release event without prev_state (older gateways) is a release.
func releaseKind(ev audit.Event) string {
	if ev.Type != audit.TypeMessageReleased {
		return ""
	}
	if ev.PrevState != "held_delay" {
		return "release"
	}
	if ev.Actor.Kind == audit.ActorUser {
		return "send_now"
	}
	return "delay_elapsed"
}

// BuildReport counts the events of month (2026-11) in loc. each must
// deliver events from lookback before the month on, so that holds and
// decisions made earlier are known.
func BuildReport(month string, loc *time.Location, each func(fn func(audit.Event)) error) (*Report, error) {
	start, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return nil, fmt.Errorf("-month %q: want YYYY-MM", month)
	}
	end := start.AddDate(0, 1, 0)
	r := &Report{Month: month, Zone: zoneLabel(loc, start), Counts: map[string]int{}}
	t := newTally(start, end, loc, r)
	err = each(t.add)
	t.finish()
	return r, err
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("okuri audit report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src source
	src.flags(fs, true)
	month := fs.String("month", time.Now().Format("2006-01"), "month to report, YYYY-MM")
	format := fs.String("format", "csv", "csv or html")
	zone := fs.String("tz", defaultZone(), "time zone of the month boundaries and times ($OKURI_TZ)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "csv" && *format != "html" {
		return fmt.Errorf("unknown -format %q (csv or html)", *format)
	}
	loc, err := loadZone(*zone)
	if err != nil {
		return err
	}
	rep, err := BuildReport(*month, loc, func(fn func(audit.Event)) error {
		return src.each(ctx, start0(*month, loc), false, func(_ uint64, data []byte) error {
			if ev, err := audit.Unmarshal(data); err == nil {
				fn(ev)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if *format == "html" {
		return writeReportHTML(stdout, rep)
	}
	bw := bufio.NewWriter(stdout)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	cw.Write([]string{"対象月 / month", "項目", "item", "件数 / count", "根拠 / basis"})
	for _, l := range rep.Rows {
		cw.Write([]string{rep.Month, l.JA, l.EN, strconv.Itoa(l.Count), l.Basis})
	}
	cw.Write(nil)
	cw.Write([]string{"対象月 / month", "承認者 / approver", "承認 / approved", "却下 / rejected",
		"隔離から解放 / released", "保留から判断まで（中央値） / median wait"})
	for _, a := range rep.Approvers {
		cw.Write([]string{rep.Month, "承認者 / approver", a.User, strconv.Itoa(a.Approved), strconv.Itoa(a.Rejected),
			strconv.Itoa(a.Released), a.Median})
	}
	cw.Write(nil)
	cw.Write([]string{rep.Month, "時間帯 / time zone", rep.Zone})
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// start0 is where reading the stream starts for a month: lookback
// earlier, for holds and decisions of messages handled in the month;
// BuildReport filters exactly.
func start0(month string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return time.Time{}
	}
	return t.Add(-lookback)
}
