package auditcli

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// writeReportHTML renders the report as one self-contained page: tables
// and inline SVG charts, no script, no external files (it is archived
// as evidence and opened offline).
func writeReportHTML(w io.Writer, rep *Report) error {
	return reportHTML.Execute(w, struct {
		*Report
		WeekChart, LatencyChart template.HTML
		Kinds                   any
	}{rep, weekChart(rep.Weeks), latencyChart(rep.Latency), holdKinds})
}

// Chart geometry (SVG user units).
const (
	chartW, chartH   = 640, 220
	chartL, chartB   = 40, 40 // left and bottom margins
	chartTop         = 16
	chartPlotH       = chartH - chartB - chartTop
	chartBarGapRatio = 0.3
)

// weekChart is a stacked bar per week, one colour per hold kind.
func weekChart(weeks []WeekHolds) template.HTML {
	peak := 1
	for _, w := range weeks {
		n := 0
		for _, k := range holdKinds {
			n += w.ByKind[k.State]
		}
		peak = max(peak, n)
	}
	var b strings.Builder
	svgOpen(&b, "保留件数（週別・保留理由別） / holds per week by reason")
	slot := float64(chartW-chartL) / float64(max(len(weeks), 1))
	barW := slot * (1 - chartBarGapRatio)
	for i, w := range weeks {
		x := float64(chartL) + float64(i)*slot + slot*chartBarGapRatio/2
		y := float64(chartTop + chartPlotH)
		total := 0
		for _, k := range holdKinds {
			n := w.ByKind[k.State]
			if n == 0 {
				continue
			}
			total += n
			h := float64(n) / float64(peak) * chartPlotH
			y -= h
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>週 / week of %s %s / %s: %d</title></rect>`,
				x, y, barW, h, k.Color, w.Start, k.JA, k.EN, n)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11">%d</text>`, x+barW/2, y-3, total)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="11">%s</text>`, x+barW/2, chartH-chartB+15, template.HTMLEscapeString(w.Start[5:]))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11">週の初め（月曜） / week starting Monday</text>`, chartL, chartH-8)
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// latencyChart is a bar per latency bucket.
func latencyChart(buckets []LatencyBucket) template.HTML {
	peak := 1
	for _, l := range buckets {
		peak = max(peak, l.Count)
	}
	var b strings.Builder
	svgOpen(&b, "承認までの時間 / approval latency (hold to approve or reject)")
	slot := float64(chartW-chartL) / float64(max(len(buckets), 1))
	barW := slot * (1 - chartBarGapRatio)
	for i, l := range buckets {
		x := float64(chartL) + float64(i)*slot + slot*chartBarGapRatio/2
		h := float64(l.Count) / float64(peak) * chartPlotH
		y := float64(chartTop+chartPlotH) - h
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#08519c"><title>%s: %d</title></rect>`,
			x, y, barW, h, template.HTMLEscapeString(l.Label), l.Count)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11">%d</text>`, x+barW/2, y-3, l.Count)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="10">%s</text>`, x+barW/2, chartH-chartB+15, template.HTMLEscapeString(l.Label))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

func svgOpen(b *strings.Builder, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		chartW, chartH, chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>`, chartL, chartTop+chartPlotH, chartW, chartTop+chartPlotH)
}

var reportHTML = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<title>証跡レポート / Evidence report {{.Month}}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #999;padding:.3em .8em}td.n{text-align:right}.legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:middle}</style>
</head><body>
<h1>証跡レポート / Evidence report — {{.Month}}</h1>
<p>対象期間 / period: {{.Month}} — 時間帯 / time zone: {{.Zone}} — 監査イベント数 / audit events: {{.Events}}</p>
<p>生命保険協会 代理店業務品質評価基準 No.118（個人データを含む添付ファイルの誤送信防止）、生保安全管理実務指針 5-5（送信段階）への対応状況。<br>
Counts of okuri's controls for agency quality standard No.118 and guideline 5-5. okuri's own notices are counted apart from delivered mail.</p>
<table><tr><th>項目</th><th>item</th><th>件数 / count</th><th>根拠 / basis</th></tr>
{{range .Rows}}<tr><td>{{.JA}}</td><td>{{.EN}}</td><td class="n">{{.Count}}</td><td>{{.Basis}}</td></tr>
{{end}}</table>
<h2>承認者別 / by approver</h2>
{{if .Approvers}}<table><tr><th>承認者 / approver</th><th>承認 / approved</th><th>却下 / rejected</th><th>隔離から解放 / released</th><th>保留から判断まで（中央値） / median wait</th></tr>
{{range .Approvers}}<tr><td>{{.User}}</td><td class="n">{{.Approved}}</td><td class="n">{{.Rejected}}</td><td class="n">{{.Released}}</td><td class="n">{{.Median}}</td></tr>
{{end}}</table>{{else}}<p>承認・却下・解放はありませんでした。 No approvals, rejections or releases.</p>{{end}}
<h2>保留件数（週別・保留理由別） / holds per week by reason</h2>
<p class="legend">{{range .Kinds}}<span style="background:{{.Color}}"></span>{{.JA}} / {{.EN}}{{end}}</p>
{{.WeekChart}}
<h2>承認までの時間 / approval latency</h2>
<p>保留されてから承認者が承認または却下するまでの時間。 Time from hold to an approver's decision.</p>
{{.LatencyChart}}
<p>改ざん検知 / integrity: <code>okuri audit verify</code> で監査ログのハッシュチェーンを検証してください。 Verify the hash chain with <code>okuri audit verify</code>.</p>
</body></html>
`))
