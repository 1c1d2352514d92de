package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Explanation is why a Decision is what it is: the facts in counts and
// domains, and every rule in evaluation order, matched or not, with each
// condition. Structured for audit and the UI; Text renders it for people.
type Explanation struct {
	Action Action       `json:"action"`
	Rule   string       `json:"rule,omitempty"`
	Facts  FactsSummary `json:"facts"`
	Rules  []RuleResult `json:"rules"`
	Notes  []string     `json:"notes,omitempty"`
}

// RuleResult is one evaluated rule.
type RuleResult struct {
	Index       int         `json:"index"` // 1-based position in policy.rules
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Mode        string      `json:"mode"`
	Action      Action      `json:"action"`
	Matched     bool        `json:"matched"`
	Effect      string      `json:"effect"` // "applied", "monitor: would …", "not matched"
	Conditions  []Condition `json:"conditions"`
}

// FactsSummary is the part of the facts an explanation shows: counts,
// verdicts, kinds, domains — no addresses of people, no attachment names,
// no subject.
type FactsSummary struct {
	Sender             string         `json:"sender"`
	SenderGroups       []string       `json:"sender_groups,omitempty"`
	Recipients         int            `json:"recipients"`
	External           int            `json:"external"`
	VisibleExternal    int            `json:"visible_external"`
	VisibleIndividuals int            `json:"visible_individuals"`
	ExternalDomains    []string       `json:"external_domains,omitempty"`
	FirstTimeDomains   []string       `json:"first_time_domains,omitempty"`
	Lookalikes         []string       `json:"lookalikes,omitempty"` // "domain ~ known"
	OtherInsurers      []string       `json:"other_insurers,omitempty"`
	Verdict            string         `json:"verdict"`
	Verdicts           []string       `json:"verdicts,omitempty"`
	Kinds              map[string]int `json:"kinds,omitempty"`
	Records            int            `json:"records"`
	Strong             bool           `json:"strong"`
	Attachments        int            `json:"attachments"`
	AttachmentTypes    []string       `json:"attachment_types,omitempty"`
	Keywords           []string       `json:"keywords,omitempty"`
	Notes              []string       `json:"notes,omitempty"`
	Errors             []string       `json:"errors,omitempty"`
}

func summarizeFacts(f *Facts) FactsSummary {
	s := FactsSummary{
		Sender: f.Sender.Address, SenderGroups: f.Sender.Groups,
		External: f.External, VisibleExternal: f.VisibleExternal, VisibleIndividuals: f.VisibleIndividuals,
		ExternalDomains: f.ExternalDomains,
		Verdict:         f.Content.Verdict, Verdicts: verdicts(f.Content), Kinds: f.Content.Kinds,
		Records: f.Content.Records, Strong: f.Content.Strong, Attachments: len(f.Content.Attachments),
		Notes: f.Notes, Errors: f.Errors,
	}
	addOnce := func(l *[]string, v string) {
		if !slices.Contains(*l, v) {
			*l = append(*l, v)
		}
	}
	for _, r := range f.Recipients {
		if r.Envelope {
			s.Recipients++
		}
		if r.Internal {
			continue
		}
		if r.Envelope && r.FirstTimeDomain {
			addOnce(&s.FirstTimeDomains, r.Domain)
		}
		if r.Lookalike != "" {
			addOnce(&s.Lookalikes, r.Domain+" ~ "+r.Lookalike)
		}
		if r.Envelope && r.InsurerOther {
			addOnce(&s.OtherInsurers, r.Domain)
		}
	}
	for _, a := range f.Content.Attachments {
		if a.Type != "" {
			addOnce(&s.AttachmentTypes, a.Type)
		}
	}
	for _, k := range f.Keywords {
		addOnce(&s.Keywords, k.Word+" in "+k.Where)
	}
	return s
}

// Text renders the explanation for people: English with the Japanese
// words of the glossary.
func (d *Decision) Text() string {
	var b strings.Builder
	ex := &d.Explanation
	ja, en := d.Action.Label()
	fmt.Fprintf(&b, "判定 Decision: %s / %s", ja, en)
	if d.Rule != "" {
		fmt.Fprintf(&b, " — rule %s", d.Rule)
	}
	b.WriteByte('\n')
	if d.Action != Pass {
		rj, re := d.Reason()
		fmt.Fprintf(&b, "  保留理由 reason: %s / %s\n", rj, re)
	}
	if d.Hold > 0 {
		fmt.Fprintf(&b, "  期限 deadline: %s after receipt\n", d.Hold)
	}
	if len(d.Approvers) > 0 {
		g := d.ApproverGroup
		if g == "" {
			g = "fallback approvers"
		}
		fmt.Fprintf(&b, "  承認者 approvers (%s): %s\n", g, strings.Join(d.Approvers, ", "))
	}
	if d.Rewrite.Split {
		b.WriteString("  宛先ごとに分割送信 split delivery: each external recipient sees only itself\n")
	} else if d.Rewrite.ForceBCC {
		b.WriteString("  BCC変換 forced BCC: external addresses removed from To/Cc\n")
	}
	for _, a := range d.Rewrite.Add {
		fmt.Fprintf(&b, "  ヘッダー追加 header added: %s: %s\n", a.Name, a.Value)
	}
	if len(d.Notify) > 0 {
		fmt.Fprintf(&b, "  通知 notify: %s\n", strings.Join(d.Notify, ", "))
	}
	for _, m := range d.Monitored {
		fmt.Fprintf(&b, "  監視モード monitor: rule %s would %s\n", m.Rule, m.Action)
	}
	for _, n := range ex.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	fs := ex.Facts
	b.WriteString("\n事実 Facts:\n")
	fmt.Fprintf(&b, "  送信者 sender: %s", fs.Sender)
	if len(fs.SenderGroups) > 0 {
		fmt.Fprintf(&b, " (groups %s)", strings.Join(fs.SenderGroups, ", "))
	}
	b.WriteByte('\n')
	fmt.Fprintf(&b, "  宛先 recipients: %d, 社外 external %d; visible external in To/Cc %d (individuals %d)\n",
		fs.Recipients, fs.External, fs.VisibleExternal, fs.VisibleIndividuals)
	line := func(label string, l []string) {
		if len(l) > 0 {
			fmt.Fprintf(&b, "  %s: %s\n", label, strings.Join(l, ", "))
		}
	}
	line("社外ドメイン external domains", fs.ExternalDomains)
	line("初めての送信先 first-time domains", fs.FirstTimeDomains)
	line("類似ドメイン look-alike domains", fs.Lookalikes)
	line("担当外の保険会社 other insurers", fs.OtherInsurers)
	fmt.Fprintf(&b, "  検査結果 content: %s", fs.Verdict)
	if len(fs.Verdicts) > 1 {
		fmt.Fprintf(&b, " (parts: %s)", strings.Join(fs.Verdicts, ", "))
	}
	fmt.Fprintf(&b, "; records %d; strong IDs %s; attachments %d", fs.Records, fmtBool(fs.Strong), fs.Attachments)
	if len(fs.AttachmentTypes) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(fs.AttachmentTypes, ", "))
	}
	b.WriteByte('\n')
	if len(fs.Kinds) > 0 {
		var ks []string
		for _, k := range kindsOf(Content{Kinds: fs.Kinds}) {
			ks = append(ks, k+" "+strconv.Itoa(fs.Kinds[k]))
		}
		line("個人情報 personal data kinds", ks)
	}
	line("キーワード keywords", fs.Keywords)
	for _, n := range fs.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	for _, e := range fs.Errors {
		fmt.Fprintf(&b, "  エラー error: %s\n", e)
	}
	b.WriteString("\nルール Rules (in order):\n")
	if len(ex.Rules) == 0 {
		b.WriteString("  (no rules configured)\n")
	}
	for _, r := range ex.Rules {
		ja, en := r.Action.Label()
		mark := "—"
		if r.Matched {
			mark = "MATCHED"
		}
		fmt.Fprintf(&b, "  %d. %s [%s] %s / %s: %s", r.Index, r.Name, r.Mode, ja, en, mark)
		if r.Matched && r.Effect != "applied" {
			fmt.Fprintf(&b, " (%s)", r.Effect)
		}
		b.WriteByte('\n')
		if r.Description != "" {
			fmt.Fprintf(&b, "       %s\n", r.Description)
		}
		if len(r.Conditions) == 0 {
			b.WriteString("       ✓ no conditions: matches every message\n")
		}
		for _, c := range r.Conditions {
			ok := "✗"
			if c.OK {
				ok = "✓"
			}
			fmt.Fprintf(&b, "       %s %s %s: want %s, got %s\n", ok, conditionLabel(c.Key), c.Key, c.Want, c.Got)
		}
	}
	return b.String()
}

// Reason says in a few words why the message got its decision, for notice
// mails and the UI (Japanese first, then English): the deciding rule's
// conditions that held, in rule order.
func (d *Decision) Reason() (ja, en string) {
	switch d.Rule {
	case "":
		return "送信条件に該当しませんでした", "no rule applied"
	case RuleOnError:
		return "メールを最後まで検査できなかったため", "the message could not be fully checked"
	case RuleUnscannable:
		return "検査できないファイルを社外に送信しようとしたため", "a file that cannot be scanned is going outside"
	}
	var jas, ens []string
	external := false
	for _, r := range d.Explanation.Rules {
		if r.Name != d.Rule {
			continue
		}
		for _, c := range r.Conditions {
			if !c.OK || c.Want == "no" {
				continue
			}
			if c.Key == "external" || c.Key == "min_external" || c.Key == "split.external" {
				external = true
				continue
			}
			j, e := reasonPhrase(c)
			if j != "" && !slices.Contains(jas, j) {
				jas, ens = append(jas, j), append(ens, e)
			}
		}
	}
	if len(jas) == 0 {
		if external {
			return "社外宛てのメールのため", "mail to an external recipient"
		}
		return "ルール「" + d.Rule + "」に該当したため", "rule " + d.Rule + " applied"
	}
	return strings.Join(jas, "、") + "ため", strings.Join(ens, ", ")
}

func reasonPhrase(c Condition) (ja, en string) {
	switch c.Key {
	case "content":
		switch {
		case strings.Contains(c.Want, "personal_data") && strings.Contains(c.Got, "personal_data"):
			return "個人情報（個人データ）が含まれる", "contains personal data"
		case strings.Contains(c.Want, "unscannable") && strings.Contains(c.Got, "unscannable"):
			return "検査できないファイルが含まれる", "has a file that cannot be scanned"
		case strings.Contains(c.Want, "encrypted") && strings.Contains(c.Got, "encrypted"):
			return "暗号化ファイル（パスワード付き）が含まれる", "has an encrypted file"
		}
		return "", ""
	case "kinds", "min_records", "max_records":
		return "個人情報（個人データ）が含まれる", "contains personal data"
	case "strong_ids":
		return "マイナンバー（個人番号）等が含まれる", "contains a strong ID such as My Number"
	case "min_visible_external", "min_visible_individuals", "force_bcc.threshold":
		return "複数の社外の宛先が互いに見える", "several external recipients can see each other"
	case "min_external_domains":
		return "複数の社外ドメインに送信する", "goes to several external domains"
	case "first_time_domain", "first_time_address":
		return "初めての送信先が含まれる", "includes a first-time recipient"
	case "lookalike_domain":
		return "類似ドメインの宛先が含まれる", "includes a look-alike domain"
	case "individual":
		return "個人の宛先が含まれる", "includes an individual's address"
	case "insurer_mismatch":
		return "担当外の保険会社に個人情報を送信する", "sends personal data to another insurer"
	case "keyword":
		return "社外秘などのキーワードが含まれる", "contains a keyword such as 社外秘"
	case "min_attachments", "attachment_types":
		return "添付ファイルがある", "has attachments"
	}
	return "", ""
}
