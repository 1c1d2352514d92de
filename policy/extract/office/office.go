// Package office extracts text and tables from zipped office documents:
// OOXML (XLSX, DOCX, PPTX and their macro/template variants) and
// OpenDocument (ODS, ODT, ODP).
//
// Every XML part of the package is read: sheets and shared strings as
// tables, document and slide bodies as paragraphs and tables, and every
// other XML part (comments, headers, footers, notes, drawings, document
// properties, chart caches) as plain text, so that nothing with text in it
// is skipped. Hidden sheets are read like visible ones. Excel phonetic
// guides (rPh furigana) are dropped because they repeat the cell text in
// kana. A Word paragraph's runs are joined before they reach the detector.
// Non-XML entries (embedded workbooks, OLE objects) are handed back to the
// caller through Package.Nested for a recursive scan; images are not text
// and are ignored.
package office

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/xmltok"
)

// Package is one office document to extract.
type Package struct {
	Zip  *extract.Zip
	Sink extract.Sink
	// Loc is the location of the document itself; entry names are appended
	// to Loc.Path.
	Loc extract.Location
	// Nested scans an embedded non-XML entry (may be nil: then such
	// entries are an error, since they would go unscanned).
	Nested func(f *zip.File) error
	// MaxToken bounds one XML token (see xmltok).
	MaxToken int
}

// Kinds of office packages.
const (
	XLSX = "xlsx"
	DOCX = "docx"
	PPTX = "pptx"
	ODS  = "ods"
	ODT  = "odt"
	ODP  = "odp"
)

// Kind recognises an office package from its entry names, or returns "".
func Kind(z *extract.Zip) string {
	switch {
	case z.Find("xl/workbook.xml") != nil:
		return XLSX
	case z.Find("word/document.xml") != nil:
		return DOCX
	case z.Find("ppt/presentation.xml") != nil:
		return PPTX
	}
	if z.Find("content.xml") != nil {
		if mt := z.Find("mimetype"); mt != nil && mt.UncompressedSize64 < 128 {
			if rc, err := z.Open(mt); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 128))
				rc.Close()
				s := string(b)
				switch {
				case strings.HasSuffix(s, "spreadsheet"):
					return ODS
				case strings.HasSuffix(s, "presentation"):
					return ODP
				}
			}
		}
		return ODT
	}
	return ""
}

// Extract reads every part of the package.
func Extract(p Package) error {
	kind := Kind(p.Zip)
	if kind == "" {
		return extract.Malformed("office package", nil)
	}
	if kind == ODS || kind == ODT || kind == ODP {
		if enc, err := odfEncrypted(p); err != nil || enc {
			if err == nil {
				err = extract.ErrEncrypted
			}
			return err
		}
	}
	var x *xlsx
	if kind == XLSX {
		var err error
		if x, err = loadWorkbook(p); err != nil {
			return err
		}
	}
	for _, f := range p.Zip.Files {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		var err error
		switch role := partRole(kind, f.Name); role {
		case roleSkip:
		case roleSheet:
			err = x.sheet(p, f)
		case roleSharedStrings:
			// Already loaded by loadWorkbook; its text reaches the
			// detector through the cells that reference it.
		case roleFlow:
			err = p.flow(f, kind)
		case roleText:
			err = p.plainText(f)
		case roleNested:
			if p.Nested == nil {
				err = fmt.Errorf("embedded %s: no nested scanner", path.Ext(f.Name))
			} else {
				err = p.Nested(f)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

type role int

const (
	roleSkip role = iota
	roleSheet
	roleSharedStrings
	roleFlow
	roleText
	roleNested
)

// partRole decides how an entry is read. XML parts without text content
// worth scanning (relationships, styles, themes, settings) are skipped;
// every other XML part is read.
func partRole(kind, name string) role {
	lower := strings.ToLower(name)
	base := path.Base(lower)
	ext := path.Ext(lower)
	switch {
	case ext == ".rels", base == "[content_types].xml", base == "mimetype",
		base == "manifest.xml", base == "manifest.rdf",
		base == "styles.xml" && kind != ODT, base == "theme1.xml", strings.Contains(lower, "/theme/"),
		base == "settings.xml", base == "fonttable.xml", base == "websettings.xml",
		base == "calcchain.xml", base == "presprops.xml", base == "viewprops.xml",
		base == "tablestyles.xml", strings.Contains(lower, "/printersettings/"),
		strings.HasPrefix(lower, "configurations2/"), strings.HasPrefix(lower, "thumbnails/"), base == "layout-cache",
		strings.Contains(lower, "/slidelayouts/"), strings.Contains(lower, "/slidemasters/"),
		strings.Contains(lower, "/notesmasters/"), strings.Contains(lower, "/handoutmasters/"):
		return roleSkip
	case ext == ".xml" || ext == ".vml":
		switch {
		case kind == XLSX && strings.HasPrefix(lower, "xl/worksheets/") && !strings.Contains(lower[len("xl/worksheets/"):], "/"):
			return roleSheet
		case kind == XLSX && base == "sharedstrings.xml":
			return roleSharedStrings
		case kind == DOCX && strings.HasPrefix(lower, "word/"),
			kind == PPTX && strings.HasPrefix(lower, "ppt/"),
			(kind == ODS || kind == ODT || kind == ODP) && (base == "content.xml" || base == "styles.xml"):
			return roleFlow
		}
		return roleText
	case base == "vbaproject.bin", base == "vbaprojectsignature.bin", base == "vbadata.xml":
		// Macro code of .xlsm/.docm, not document content: scanning it
		// would make every macro workbook unscannable.
		return roleSkip
	case isMedia(ext), strings.HasPrefix(lower, "objectreplacements/"), strings.HasPrefix(lower, "pictures/"):
		// Images, fonts, audio and video carry no text to scan (the
		// same rule as image attachments); ODF object replacements are
		// preview images of embedded objects, whose content.xml is read.
		return roleSkip
	}
	return roleNested
}

func isMedia(ext string) bool {
	switch ext {
	case ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".ico", ".jfif", ".webp", ".svm", ".emz", ".wdp",
		".odttf", ".ttf", ".otf", ".fntdata",
		".mp3", ".mp4", ".m4a", ".wav", ".wma", ".wmv", ".avi", ".mov", ".mpg", ".mpeg":
		return true
	}
	return false
}

func (p Package) loc(name string) extract.Location {
	l := p.Loc
	if l.Path != "" {
		l.Path += "/" + name
	} else {
		l.Path = name
	}
	return l
}

func (p Package) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := p.Zip.Open(f)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	return rc, nil
}

// odfEncrypted reports whether an OpenDocument package is password
// protected: its manifest then carries encryption data for the streams.
func odfEncrypted(p Package) (bool, error) {
	f := p.Zip.Find("META-INF/manifest.xml")
	if f == nil {
		return false, nil
	}
	enc := false
	err := eachStart(p, f, func(s *xmltok.Scanner) {
		if string(s.Name()) == "encryption-data" {
			enc = true
		}
	})
	return enc, err
}
