package extract

import (
	"errors"
	"fmt"
)

// ErrEncrypted means the content is password protected or encrypted and
// could not be read. The scan verdict for it is "encrypted".
var ErrEncrypted = errors.New("encrypted content")

// LimitError reports that a scan limit was exceeded. Limit is the name of
// the limit as configured (for example "max_total_bytes").
type LimitError struct {
	Limit string
}

func (e *LimitError) Error() string { return "limit exceeded: " + e.Limit }

// Limit names of the built-in limits, used in LimitError and in reasons.
const (
	LimitTotalBytes  = "max_total_bytes"
	LimitEntryRatio  = "max_entry_ratio"
	LimitDepth       = "max_depth"
	LimitEntries     = "max_entries"
	LimitParts       = "max_parts"
	LimitXMLEntities = "xml_entities"
	LimitTimeout     = "timeout"
	LimitTokenSize   = "max_token_bytes"
	LimitPDFPages    = "max_pdf_pages"
	LimitZipOverlap  = "zip_overlap"
	LimitFileSize    = "max_file_bytes"
)

// IsLimit reports whether err is or wraps a *LimitError, and its name.
func IsLimit(err error) (string, bool) {
	var le *LimitError
	if errors.As(err, &le) {
		return le.Limit, true
	}
	return "", false
}

// Malformed returns an error for content that does not parse. what names
// the format; it never contains content bytes.
func Malformed(what string, err error) error {
	if err == nil {
		return fmt.Errorf("malformed %s", what)
	}
	return fmt.Errorf("malformed %s: %w", what, err)
}
