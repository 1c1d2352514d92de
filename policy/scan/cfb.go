package scan

import (
	"github.com/okuri/okuri/policy/extract/cfb"
)

// cfb scans an OLE2 compound file: legacy XLS and DOC, and encrypted
// OOXML (an EncryptedPackage stream), which is "encrypted".
func (r *run) cfb(f *file) error {
	return cfb.Extract(cfb.Doc{
		R:      f.ra,
		Size:   f.size,
		Sink:   r.sink,
		Loc:    f.loc,
		Budget: r.budget,
	})
}
