package approvalsui

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/okuri/okuri/quarantine"
)

// histLine is one history entry in the page's language: who (the person,
// or what kind of actor), what happened, and the comment — the self-check
// evidence, which the store keeps in a fixed English form, is retold.
func histLine(lang string, h quarantine.HistoryEntry) histView {
	actor := h.Actor.User
	kind := tr(lang, "actor."+h.Actor.Kind)
	switch {
	case actor == "" && kind != "actor."+h.Actor.Kind:
		actor = kind
	case actor == "":
		actor = h.Actor.Kind
	case kind != "actor."+h.Actor.Kind && h.Actor.Kind != quarantine.ActorSystem:
		actor += wrap(lang, kind)
	}
	what := tr(lang, "ev."+h.What)
	if what == "ev."+h.What {
		what = h.What
	}
	return histView{Time: fmtTime(h.Time), Actor: actor, What: what, Comment: histComment(lang, h.Comment)}
}

// reSelfCheck matches the evidence selfCheckEvidence writes.
var reSelfCheck = regexp.MustCompile(`^self-check: recipients checked \[(.*)\]; attachments checked \[(.*)\]; by .* via (\w+)$`)

func histComment(lang, c string) string {
	m := reSelfCheck.FindStringSubmatch(c)
	if m == nil {
		return c
	}
	via := tr(lang, "via."+m[3])
	if via == "via."+m[3] {
		via = m[3]
	}
	return fmt.Sprintf(tr(lang, "hist.selfcheck"), count(m[1], ", "), count(m[2], ","), via)
}

func count(list, sep string) int {
	if strings.TrimSpace(list) == "" {
		return 0
	}
	return strings.Count(list, sep) + 1
}
