package scan

import (
	"bytes"
	"io"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/markup"
	"github.com/okuri/okuri/policy/extract/tnef"
)

// tnef scans an Outlook winmail.dat: its text and RTF body as text, its
// attachments as nested parts.
func (r *run) tnef(f *file) error {
	data, err := io.ReadAll(r.reader(f))
	if err != nil {
		return err
	}
	tw := r.sink.Text(f.loc)
	defer tw.Close()
	return tnef.Parse(data, tnef.Handler{
		Text: func(s string) error {
			_, err := tw.Write([]byte(s + "\n"))
			return err
		},
		RTF: func(rtf []byte) error {
			return markup.RTF(bytes.NewReader(rtf), tw)
		},
		Attachment: func(name string, data []byte) error {
			child := &file{
				loc:   extract.Location{Part: f.loc.Part, Path: nestedName(f.loc.Path, safeName(name))},
				name:  name,
				ra:    bytes.NewReader(data),
				size:  int64(len(data)),
				depth: f.depth + 1,
				part:  f.part,
			}
			return r.scanPart(child, true, "")
		},
	})
}
