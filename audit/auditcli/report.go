package auditcli

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"time"

	"github.com/okuri/okuri/audit"
)

// reportRow is one line of the evidence report: what is counted and which
// requirement it evidences.
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
	{"releases", "解放", "released from quarantine", "No.118", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageReleased }},
	{"bcc_rewrites", "BCC変換", "forced BCC", "指針5-5", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageRewritten && ev.Rewrite != nil && ev.Rewrite.Kind == "bcc"
	}},
	{"splits", "宛先ごとに分割送信", "split delivery", "指針5-5", func(ev audit.Event) bool {
		return ev.Type == audit.TypeMessageRewritten && ev.Rewrite != nil && ev.Rewrite.Kind == "split"
	}},
	{"deliveries", "送信完了", "delivered", "指針5-5", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageDelivered }},
	{"failures", "送信失敗", "delivery failed", "指針5-5", func(ev audit.Event) bool { return ev.Type == audit.TypeMessageFailed }},
	{"events_lost", "監査ログ欠落", "audit events lost", "FSA log guidance", func(ev audit.Event) bool { return ev.Type == audit.TypeAuditEventsLost }},
}

// Report is the evidence report of one month.
type Report struct {
	Month  string
	Zone   string
	Counts map[string]int
	Events int
	Rows   []ReportLine
}

// ReportLine is a row as printed.
type ReportLine struct {
	Key, JA, EN, Basis string
	Count              int
}

// BuildReport counts the events of month (2026-11) in loc.
func BuildReport(month string, loc *time.Location, each func(fn func(audit.Event)) error) (*Report, error) {
	start, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return nil, fmt.Errorf("-month %q: want YYYY-MM", month)
	}
	end := start.AddDate(0, 1, 0)
	r := &Report{Month: month, Zone: loc.String(), Counts: map[string]int{}}
	err = each(func(ev audit.Event) {
		if ev.Time.Before(start) || !ev.Time.Before(end) {
			return
		}
		r.Events++
		for _, row := range reportRows {
			if row.count(ev) {
				r.Counts[row.Key]++
			}
		}
	})
	for _, row := range reportRows {
		r.Rows = append(r.Rows, ReportLine{row.Key, row.JA, row.EN, row.Basis, r.Counts[row.Key]})
	}
	return r, err
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("okuri audit report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src source
	src.flags(fs, true)
	month := fs.String("month", time.Now().Format("2006-01"), "month to report, YYYY-MM")
	format := fs.String("format", "csv", "csv or html")
	zone := fs.String("tz", "Asia/Tokyo", "time zone of the month boundaries")
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
		return reportHTML.Execute(stdout, rep)
	}
	bw := bufio.NewWriter(stdout)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	cw.Write([]string{"対象月 / month", "項目", "item", "件数 / count", "根拠 / basis"})
	for _, l := range rep.Rows {
		cw.Write([]string{rep.Month, l.JA, l.EN, strconv.Itoa(l.Count), l.Basis})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// start0 is where reading the stream starts for a month (a day early, for
// clock skew between instances); BuildReport filters exactly.
func start0(month string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, -1)
}

var reportHTML = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<title>証跡レポート / Evidence report {{.Month}}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .8em}td.n{text-align:right}</style>
</head><body>
<h1>証跡レポート / Evidence report — {{.Month}}</h1>
<p>対象期間 / period: {{.Month}} ({{.Zone}}) — 監査イベント数 / audit events: {{.Events}}</p>
<p>生命保険協会 代理店業務品質評価基準 No.118（個人データを含む添付ファイルの誤送信防止）、生保安全管理実務指針 5-5（送信段階）への対応状況。<br>
Counts of okuri's controls for agency quality standard No.118 and guideline 5-5.</p>
<table><tr><th>項目</th><th>item</th><th>件数 / count</th><th>根拠 / basis</th></tr>
{{range .Rows}}<tr><td>{{.JA}}</td><td>{{.EN}}</td><td class="n">{{.Count}}</td><td>{{.Basis}}</td></tr>
{{end}}</table>
<p>改ざん検知 / integrity: <code>okuri audit verify</code> で監査ログのハッシュチェーンを検証してください。 Verify the hash chain with <code>okuri audit verify</code>.</p>
</body></html>
`))
