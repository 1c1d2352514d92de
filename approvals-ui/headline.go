package approvalsui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/okuri/okuri/internal/addr"
	"github.com/okuri/okuri/quarantine"
)

// kindOrder is the order people read kinds in a customer list: who, when
// born, how to reach them, then the numbers. Kinds not listed follow in
// name order.
var kindOrder = []string{"name", "birth_date", "phone", "email", "postal_address", "postal_code",
	"policy_number", "my_number", "bank_account", "credit_card", "drivers_license", "passport",
	"health_insurance", "pension_number", "corporate_number"}

// people is how many people (records) the message carries: the scan's
// record count, else the largest per-finding record count. Matches are
// cells, and 20 rows × 7 columns are 20 customers, not 140.
func people(m *quarantine.Message, d *quarantine.Explain) int {
	n := 0
	if d != nil {
		n = d.Records
	}
	for _, f := range m.Decision.Findings {
		n = max(n, f.Records)
	}
	return n
}

// matches is the total number of matched values, for mail without
// records (a phone number in a body).
func matches(m *quarantine.Message, d *quarantine.Explain) int {
	total := 0
	for _, f := range m.Decision.Findings {
		total += f.Count
	}
	if total == 0 && d != nil {
		for _, n := range d.Kinds {
			total += n
		}
	}
	return total
}

// kindsFound lists the kinds of personal data found, in reading order.
func kindsFound(m *quarantine.Message, d *quarantine.Explain) []string {
	var ks []string
	add := func(k string) {
		if k != "" && !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	for _, f := range m.Decision.Findings {
		add(f.Kind)
	}
	if d != nil {
		for k := range d.Kinds {
			add(k)
		}
	}
	slices.SortFunc(ks, func(a, b string) int {
		ia, ib := slices.Index(kindOrder, a), slices.Index(kindOrder, b)
		if ia < 0 {
			ia = len(kindOrder)
		}
		if ib < 0 {
			ib = len(kindOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	return ks
}

// kindLabel is a kind in words, or the kind itself when it has none.
func kindLabel(lang, k string) string {
	if l := tr(lang, "kind."+k); l != "kind."+k {
		return l
	}
	return k
}

// piiBadge is the list badge: people when the scan counted records,
// else matches.
func piiBadge(lang string, m *quarantine.Message, d *quarantine.Explain) string {
	if n := people(m, d); n > 0 {
		return fmt.Sprintf(tr(lang, "badge.people"), n)
	}
	return fmt.Sprintf(tr(lang, "badge.matches"), matches(m, d))
}

// headline is the one line a supervisor decides from: what (how many
// customers, which kinds, or why it could not be read) → where (external
// domains, marked first-time or look-alike). It carries kinds and
// counts only, never values, so it may go into notice mails.
func headline(lang string, m *quarantine.Message, d *quarantine.Explain) string {
	w := what(lang, m, d)
	if strings.HasSuffix(w, "）") { // Japanese brackets carry their own space
		return w + "→ " + where(lang, m, d)
	}
	return w + " → " + where(lang, m, d)
}

func what(lang string, m *quarantine.Message, d *quarantine.Explain) string {
	verdict := m.Decision.Verdict
	ks := kindsFound(m, d)
	labels := make([]string, len(ks))
	for i, k := range ks {
		labels[i] = kindLabel(lang, k)
	}
	sep, open, cl := "・", "（", "）"
	if lang == "en" {
		sep, open, cl = ", ", " (", ")"
	}
	list := ""
	if len(labels) > 0 {
		list = open + strings.Join(labels, sep) + cl
	}
	switch {
	case people(m, d) > 0:
		return fmt.Sprintf(tr(lang, "head.people"), people(m, d)) + list
	case len(ks) > 0:
		return fmt.Sprintf(tr(lang, "head.matches"), matches(m, d)) + list
	case verdict == "encrypted":
		return tr(lang, "head.encrypted")
	case verdict == "unscannable":
		return tr(lang, "head.unscannable")
	}
	return tr(lang, "head.nopii")
}

// where names the external domains (first-time and look-alike marked),
// or says the mail stays inside the office.
func where(lang string, m *quarantine.Message, d *quarantine.Explain) string {
	var doms, first []string
	alike := map[string]bool{}
	if d != nil {
		doms, first = d.ExternalDomains, d.FirstTimeDomains
		for _, x := range d.Lookalikes {
			if a, _, ok := strings.Cut(x, "~"); ok {
				alike[lower(strings.TrimSpace(a))] = true
			}
		}
	}
	if len(doms) == 0 {
		for _, r := range m.To {
			if dom := addr.Domain(r); dom != "" && !slices.Contains(doms, dom) {
				doms = append(doms, dom)
			}
		}
		if d != nil && d.External == 0 && len(doms) > 0 {
			for i, dom := range doms {
				doms[i] = addr.Unicode(dom)
			}
			return strings.Join(doms, tr(lang, "list.sep")) + wrap(lang, tr(lang, "internal"))
		}
	}
	const shown = 3
	var out []string
	for i, dom := range doms {
		if i == shown {
			out = append(out, fmt.Sprintf(tr(lang, "head.more"), len(doms)-shown))
			break
		}
		var marks []string
		if slices.ContainsFunc(first, func(x string) bool { return strings.EqualFold(x, dom) }) {
			marks = append(marks, tr(lang, "firsttime"))
		}
		if alike[lower(dom)] {
			marks = append(marks, tr(lang, "lookalike"))
		}
		out = append(out, addr.Unicode(dom)+wrap(lang, strings.Join(marks, tr(lang, "sep"))))
	}
	return strings.Join(out, tr(lang, "list.sep"))
}

// wrap puts s in brackets the way each language writes them; nothing for
// an empty s (no "()" on the page).
func wrap(lang, s string) string {
	if s == "" {
		return ""
	}
	if lang == "en" {
		return " (" + s + ")"
	}
	return "（" + s + "）"
}
