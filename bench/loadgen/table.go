package loadgen

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// kindTitle is how a kind is shown in tables.
var kindTitle = map[Kind]string{
	KindText4K:        "4 KB text",
	KindCSV100K:       "100 KB + CSV",
	KindCustomers100K: "100 KB + customer CSV",
}

// MarkdownTable renders results, in their order, as a markdown table with
// msg/s, data-250 p50/p99 and transaction p99 per row. Each row whose
// Label is not base gets the ratio of its msg/s to the row labelled base
// with the same kind and connection count, e.g. okuri/postfix. The
// server CPU per message and the sink's connection count are shown where
// known.
func MarkdownTable(results []*Result, base string) string {
	type key struct {
		kind  Kind
		conns int
	}
	baseRate := map[key]float64{}
	for _, r := range results {
		if r.Label == base {
			baseRate[key{r.Kind, r.Conns}] = r.Rate
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| system | size | C | msg/s | p50 250 | p99 250 | p99 txn | failed | CPU/msg | sink conns | ×%s |\n", base)
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range results {
		ratio := "—"
		if br, ok := baseRate[key{r.Kind, r.Conns}]; ok && r.Label != base && br > 0 {
			ratio = fmt.Sprintf("%.2f", r.Rate/br)
		}
		title := kindTitle[r.Kind]
		if title == "" {
			title = string(r.Kind)
		}
		cpu := "—"
		if r.ServerCPUPerMsg > 0 {
			cpu = fmt.Sprintf("%.2fms", r.ServerCPUPerMsg)
		}
		conns := "—"
		if r.SinkConns != nil {
			conns = fmt.Sprint(*r.SinkConns)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f | %s | %s | %s | %d | %s | %s | %s |\n",
			r.Label, title, r.Conns, r.Rate, ms(r.Data250.P50), ms(r.Data250.P99), ms(r.Txn.P99), r.Failed, cpu, conns, ratio)
	}
	return b.String()
}

// Medians reduces repeated runs to one per system, kind and connection
// count: the run with the median msg/s (the lower middle one for an even
// count), latencies and all, in the order each group first appears. Runs
// counts the runs per kept result.
func Medians(results []*Result) (kept []*Result, runs map[*Result]int) {
	type key struct {
		label string
		kind  Kind
		conns int
	}
	groups := map[key][]*Result{}
	var order []key
	for _, r := range results {
		k := key{r.Label, r.Kind, r.Conns}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	runs = map[*Result]int{}
	for _, k := range order {
		g := slices.Clone(groups[k])
		slices.SortFunc(g, func(a, b *Result) int { return cmp.Compare(a.Rate, b.Rate) })
		m := g[(len(g)-1)/2]
		kept = append(kept, m)
		runs[m] = len(g)
	}
	return kept, runs
}
