package extract

import (
	"archive/zip"
	"io"
	"strings"
)

// Zip is an opened, already validated ZIP archive. Open must be used to
// read entries: it applies the scan's limits (total bytes, per-entry ratio,
// encryption) that a bare zip.File.Open does not.
type Zip struct {
	Files []*zip.File
	Open  func(f *zip.File) (io.ReadCloser, error)
}

// Find returns the entry with the given name (case-insensitive, "/" paths),
// or nil.
func (z *Zip) Find(name string) *zip.File {
	for _, f := range z.Files {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}
