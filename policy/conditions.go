package policy

import (
	"slices"
	"strconv"
	"strings"

	"github.com/okuri/okuri/config"
)

// Condition is one tested condition of a rule, for the explanation.
type Condition struct {
	Key  string `json:"key"`  // the when key, e.g. "min_records"; implicit ones "force_bcc.threshold", "split.external"
	Want string `json:"want"` // what the rule asks for
	Got  string `json:"got"`  // what the message has (counts, verdicts, kinds, domains; never values)
	OK   bool   `json:"ok"`
}

// conditions evaluates every condition of r against f, in a fixed order.
func (p *Policy) conditions(r rule, f *Facts) []Condition {
	w := r.When
	var cs []Condition
	add := func(key, want, got string, ok bool) {
		cs = append(cs, Condition{Key: key, Want: want, Got: got, OK: ok})
	}
	if w.External != nil {
		got := f.External > 0
		add("external", fmtBool(*w.External), fmtBool(got)+" ("+strconv.Itoa(f.External)+" external)", got == *w.External)
	}
	if len(w.Content) > 0 {
		have := verdicts(f.Content)
		add("content", "any of "+strings.Join(w.Content, ", "), orNone(strings.Join(have, ", ")), intersects(w.Content, have))
	}
	if len(w.Kinds) > 0 {
		have := kindsOf(f.Content)
		add("kinds", "any of "+strings.Join(w.Kinds, ", "), orNone(strings.Join(have, ", ")), intersects(w.Kinds, have))
	}
	atLeast := func(key string, want *int, got int) {
		if want != nil {
			add(key, "≥ "+strconv.Itoa(*want), strconv.Itoa(got), got >= *want)
		}
	}
	atLeast("min_records", w.MinRecords, f.Content.Records)
	if w.MaxRecords != nil {
		add("max_records", "≤ "+strconv.Itoa(*w.MaxRecords), strconv.Itoa(f.Content.Records), f.Content.Records <= *w.MaxRecords)
	}
	if w.StrongIDs != nil {
		add("strong_ids", fmtBool(*w.StrongIDs), fmtBool(f.Content.Strong), f.Content.Strong == *w.StrongIDs)
	}
	atLeast("min_external", w.MinExternal, f.External)
	atLeast("min_visible_external", w.MinVisibleExternal, f.VisibleExternal)
	atLeast("min_visible_individuals", w.MinVisibleIndividuals, f.VisibleIndividuals)
	atLeast("min_external_domains", w.MinExternalDomains, len(f.ExternalDomains))
	anyRcpt := func(key string, want *bool, match func(Recipient) bool, show func(Recipient) string) {
		if want == nil {
			return
		}
		var got []string
		for _, rc := range f.Recipients {
			if !rc.Internal && match(rc) {
				if s := show(rc); !slices.Contains(got, s) {
					got = append(got, s)
				}
			}
		}
		has := len(got) > 0
		desc := fmtBool(has)
		if has {
			desc += " (" + strings.Join(got, ", ") + ")"
		}
		add(key, fmtBool(*want), desc, has == *want)
	}
	domain := func(rc Recipient) string { return rc.Domain }
	anyRcpt("first_time_domain", w.FirstTimeDomain, func(rc Recipient) bool { return rc.Envelope && rc.FirstTimeDomain }, domain)
	anyRcpt("first_time_address", w.FirstTimeAddress, func(rc Recipient) bool { return rc.Envelope && rc.FirstTimeAddress }, func(rc Recipient) string { return "*@" + rc.Domain })
	anyRcpt("lookalike_domain", w.LookalikeDomain, func(rc Recipient) bool { return rc.Lookalike != "" }, func(rc Recipient) string { return rc.Domain + " ~ " + rc.Lookalike })
	anyRcpt("individual", w.Individual, func(rc Recipient) bool { return rc.Individual }, func(rc Recipient) string { return "*@" + rc.Domain })
	if w.InsurerMismatch != nil {
		var got []string
		for _, rc := range f.Recipients {
			if rc.Envelope && rc.InsurerOther && !slices.Contains(got, rc.Domain) {
				got = append(got, rc.Domain)
			}
		}
		has := f.Content.PersonalData && len(got) > 0
		desc := fmtBool(has)
		switch {
		case len(got) > 0 && !f.Content.PersonalData:
			desc += " (other insurer " + strings.Join(got, ", ") + ", but no personal data)"
		case has:
			desc += " (personal data to " + strings.Join(got, ", ") + ")"
		}
		add("insurer_mismatch", fmtBool(*w.InsurerMismatch), desc, has == *w.InsurerMismatch)
	}
	if w.Keyword != nil {
		var got []string
		for _, k := range f.Keywords {
			got = append(got, k.Word+" in "+k.Where)
		}
		has := len(got) > 0
		add("keyword", fmtBool(*w.Keyword), orNone(strings.Join(got, ", ")), has == *w.Keyword)
	}
	atLeast("min_attachments", w.MinAttachments, len(f.Content.Attachments))
	if len(w.AttachmentTypes) > 0 {
		var have []string
		for _, a := range f.Content.Attachments {
			if a.Type != "" && !slices.Contains(have, a.Type) {
				have = append(have, a.Type)
			}
		}
		want := lowerAll(w.AttachmentTypes)
		add("attachment_types", "any of "+strings.Join(want, ", "), orNone(strings.Join(have, ", ")), intersects(want, have))
	}
	if len(w.SenderGroups) > 0 {
		add("sender_groups", "any of "+strings.Join(w.SenderGroups, ", "), orNone(strings.Join(f.Sender.Groups, ", ")), intersects(w.SenderGroups, f.Sender.Groups))
	}
	switch r.action {
	case ForceBCC:
		n, what := f.VisibleIndividuals, "visible external individuals"
		if p.bccExternal {
			n, what = f.VisibleExternal, "visible external addresses"
		}
		add("force_bcc.threshold", "≥ "+strconv.Itoa(p.bccThreshold)+" "+what, strconv.Itoa(n), n >= p.bccThreshold)
	case Split:
		add("split.external", "≥ 1 external recipient", strconv.Itoa(f.External), f.External >= 1)
	}
	return cs
}

// verdicts lists the content verdicts present, strongest first.
func verdicts(c Content) []string {
	var out []string
	if c.PersonalData {
		out = append(out, config.VerdictPersonalData)
	}
	if c.Unscannable {
		out = append(out, config.VerdictUnscannable)
	}
	if c.Encrypted {
		out = append(out, config.VerdictEncrypted)
	}
	if c.Verdict == config.VerdictClean {
		out = append(out, config.VerdictClean)
	}
	return out
}

func kindsOf(c Content) []string {
	var out []string
	for k, n := range c.Kinds {
		if n > 0 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func fmtBool(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// conditionLabel is the Japanese label of a condition key (GLOSSARY).
func conditionLabel(key string) string {
	switch key {
	case "external", "min_external":
		return "社外の宛先"
	case "content":
		return "検査結果"
	case "kinds":
		return "個人情報の種類"
	case "min_records", "max_records":
		return "個人情報の件数"
	case "strong_ids":
		return "マイナンバー（個人番号）等"
	case "min_visible_external", "force_bcc.threshold":
		return "表示される社外の宛先"
	case "min_visible_individuals":
		return "表示される個人の宛先"
	case "min_external_domains":
		return "社外の宛先ドメイン数"
	case "first_time_domain", "first_time_address":
		return "初めての送信先"
	case "lookalike_domain":
		return "類似ドメイン"
	case "individual":
		return "個人の宛先"
	case "insurer_mismatch":
		return "担当外の保険会社"
	case "keyword":
		return "キーワード"
	case "min_attachments", "attachment_types":
		return "添付ファイル"
	case "sender_groups":
		return "送信者のグループ"
	case "split.external":
		return "社外の宛先"
	}
	return key
}
