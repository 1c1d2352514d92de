package approvalsui

import (
	"strings"

	"github.com/okuri/okuri/quarantine"
)

// attachment is one attachment as the UI lists it; Index is its position
// (the self-check evidence names attachments by index, since a file name
// can itself be personal data).
type attachment struct {
	Index int
	Name  string
	Type  string
	Size  int64
	// Files are the names of the files the scanner found inside this
	// attachment (an archive's entries), shown under it.
	Files []string
}

// fromParts returns what a sender confirms in the self-check, from the
// parts the scanner recorded when the message was held: every MIME part
// that leaves as a file, each with one box. Files found inside a
// container (an archive, a PDF's embedded file) get no box of their own
// — nobody can judge "entry 37 of a ZIP" apart from the ZIP — but their
// names are listed under the container, so ticking the container is
// ticking what is in it. Parts of an attached message are MIME parts, so
// its attachments get boxes of their own.
func fromParts(parts []quarantine.Part) []attachment {
	var out []attachment
	at := map[string]int{} // MIME part path -> index in out
	for _, p := range parts {
		if p.Nested() {
			top, rel, _ := strings.Cut(p.Path, "/")
			if i, ok := at[top]; ok {
				_, inner, found := strings.Cut(rel, "/") // drop the container's own name
				if !found {
					inner = rel
				}
				out[i].Files = append(out[i].Files, inner)
			}
			continue
		}
		if !confirmable(p) {
			continue
		}
		name := p.Name
		if name == "" {
			// A part without a name (an inline image, a part whose header
			// could not be read) still leaves the office: name it by its
			// position so it can be ticked.
			name = "[" + p.Path + "]"
		}
		at[p.Path] = len(out)
		out = append(out, attachment{Index: len(out), Name: name, Type: p.Type, Size: p.Size})
	}
	return out
}

// confirmable reports whether a MIME part is one the sender must look
// at: a file, anything that is not message text or a container of other
// parts, and any part the scanner could not read.
func confirmable(p quarantine.Part) bool {
	if p.Attachment || p.Verdict == "unscannable" || p.Verdict == "encrypted" {
		return true
	}
	t := strings.ToLower(p.Type)
	return t != "" && !strings.HasPrefix(t, "text/") && !strings.HasPrefix(t, "multipart/") && t != "message/rfc822"
}
