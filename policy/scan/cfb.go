package scan

import (
	"bytes"
	"errors"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/cfb"
)

// cfb scans an OLE2 compound file: legacy XLS, DOC and PPT, Outlook MSG
// (whose attachments become nested parts), and encrypted OOXML (an
// EncryptedPackage stream), which is "encrypted".
func (r *run) cfb(f *file) error {
	err := cfb.Extract(cfb.Doc{
		R:      f.ra,
		Size:   f.size,
		Sink:   r.sink,
		Loc:    f.loc,
		Budget: r.budget,
		Nested: func(name string, data []byte) error {
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
	if errors.Is(err, cfb.ErrUnsupported) {
		return unscannable("unsupported OLE2 document (not XLS/DOC/PPT/MSG of Office 97 or later)")
	}
	return err
}
