package approvalsui

import (
	"fmt"
	"strings"
	"unicode"
)

// visible neutralises Unicode bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE
// and the other embeddings, overrides, isolates and marks) in text taken
// from a message — subject, display names, file names — by showing each
// as a visible code ("[U+202E]"). Left in, "invoice\u202Efdp.exe" reads as
// "invoiceexe.pdf" to the person deciding whether to send it; shown
// this way the trick is seen, and the text around it reads in order.
func visible(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isBidiControl(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isBidiControl(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }

// neutralise applies visible to every field of v that shows text chosen by
// the message's author.
func (v *holdView) neutralise() {
	for _, p := range []*string{&v.Subject, &v.HFrom, &v.HTo, &v.HCc} {
		*p = visible(*p)
	}
	for i := range v.Attachments {
		v.Attachments[i].Name = visible(v.Attachments[i].Name)
		for j := range v.Attachments[i].Files {
			v.Attachments[i].Files[j] = visible(v.Attachments[i].Files[j])
		}
	}
}
