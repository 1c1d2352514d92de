package approvalsui

import (
	"strings"

	"github.com/okuri/okuri/quarantine"
)

// ruleView is one evaluated rule as the page explains it.
type ruleView struct {
	Index      int
	Name       string
	Action     string
	Matched    bool
	Effect     string
	Conditions []condView
}

// condView is one condition of a rule: what the rule asks, what the
// message has (kinds, counts, domains; never values).
type condView struct {
	OK               bool
	Label, Want, Got string
}

// explainRules turns the recorded explanation into the page's language,
// so a supervisor reads 「検査結果：個人情報」 rather than
// "content: personal_data". Nil without an explanation.
func explainRules(lang string, d *quarantine.Explain) []ruleView {
	if d == nil {
		return nil
	}
	var out []ruleView
	for _, r := range d.Rules {
		rv := ruleView{Index: r.Index, Name: r.Name, Action: actionLabel(lang, r), Matched: r.Matched, Effect: r.Effect}
		for _, c := range r.Conds {
			rv.Conditions = append(rv.Conditions, condView{OK: c.OK, Label: condLabel(lang, c.Key),
				Want: condValue(lang, c.Want), Got: condValue(lang, c.Got)})
		}
		out = append(out, rv)
	}
	return out
}

// actionLabel names a rule's action as recorded; records written before
// the names were kept show the action itself.
func actionLabel(lang string, r quarantine.RuleResult) string {
	l := r.ActionJA
	if lang == "en" {
		l = r.ActionEN
	}
	if l == "" {
		return r.Action
	}
	return l
}

// condLabel names a condition key; an unknown key shows as itself.
func condLabel(lang, key string) string {
	if l := tr(lang, "cond."+key); l != "cond."+key {
		return l
	}
	return key
}

// condValue translates the words a condition value is made of (verdicts,
// kinds, yes/no), leaving numbers, operators and domains as they are.
func condValue(lang, v string) string {
	f := func(r rune) bool { return r == ',' || r == ' ' || r == '|' }
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := v[start:end]
		switch {
		case tr(lang, "val."+w) != "val."+w:
			w = tr(lang, "val."+w)
		case tr(lang, "kind."+w) != "kind."+w:
			w = tr(lang, "kind."+w)
		}
		b.WriteString(w)
		start = -1
	}
	for i, r := range v {
		if f(r) {
			flush(i)
			b.WriteRune(r)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(v))
	return b.String()
}
