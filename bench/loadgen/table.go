package loadgen

import (
	"fmt"
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
// server CPU per message is shown where known.
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
	fmt.Fprintf(&b, "| system | size | C | msg/s | p50 250 | p99 250 | p99 txn | failed | CPU/msg | ×%s |\n", base)
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
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
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f | %s | %s | %s | %d | %s | %s |\n",
			r.Label, title, r.Conns, r.Rate, ms(r.Data250.P50), ms(r.Data250.P99), ms(r.Txn.P99), r.Failed, cpu, ratio)
	}
	return b.String()
}
