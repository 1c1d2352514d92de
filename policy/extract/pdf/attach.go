package pdf

import (
	"errors"
	"fmt"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/okuri/okuri/policy/extract"
)

// Embedded is a file carried inside a PDF: an entry of the document's
// /EmbeddedFiles name tree or of a page's file-attachment annotation.
// The caller scans Data as a file of its own; Err, when set, says why it
// could not be taken out (too large, unreadable), and such a file must
// not be treated as clean.
type Embedded struct {
	Name string
	Data []byte
	Err  error
}

// embedded takes out every embedded file of doc, up to d.MaxFiles of
// them and d.MaxFileBytes each. Beyond MaxFiles the last entry carries a
// LimitError, so the caller sees that something was left unread.
func embedded(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, pages int, d Doc) ([]Embedded, error) {
	var out []Embedded
	add := func(a references.FPDF_ATTACHMENT, fallback string) error {
		if d.MaxFiles > 0 && len(out) >= d.MaxFiles {
			out = append(out, Embedded{Name: fallback, Err: &extract.LimitError{Limit: extract.LimitEntries}})
			return errStop
		}
		e := attachment(inst, a, fallback, d)
		if e.Err == nil {
			if err := d.Budget.Take(int64(len(e.Data))); err != nil {
				return err
			}
		}
		out = append(out, e)
		return nil
	}
	err := eachAttachment(inst, doc, pages, add)
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// errStop ends the walk over attachments early.
var errStop = errors.New("stop")

// eachAttachment calls fn for the document's embedded files, then for
// the file-attachment annotations of every page.
func eachAttachment(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, pages int, fn func(references.FPDF_ATTACHMENT, string) error) error {
	n, err := inst.FPDFDoc_GetAttachmentCount(&requests.FPDFDoc_GetAttachmentCount{Document: doc})
	if err != nil {
		return extract.Malformed("pdf attachments", err)
	}
	for i := 0; i < n.AttachmentCount; i++ {
		a, err := inst.FPDFDoc_GetAttachment(&requests.FPDFDoc_GetAttachment{Document: doc, Index: i})
		if err != nil {
			return extract.Malformed("pdf attachment", err)
		}
		if err := fn(a.Attachment, fmt.Sprintf("attachment-%d", i+1)); err != nil {
			return err
		}
	}
	for p := 0; p < pages; p++ {
		if err := pageAttachments(inst, doc, p, fn); err != nil {
			return err
		}
	}
	return nil
}

func pageAttachments(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, p int, fn func(references.FPDF_ATTACHMENT, string) error) error {
	page := requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: p}}
	n, err := inst.FPDFPage_GetAnnotCount(&requests.FPDFPage_GetAnnotCount{Page: page})
	if err != nil {
		return extract.Malformed("pdf annotations", err)
	}
	for i := 0; i < n.Count; i++ {
		a, err := inst.FPDFPage_GetAnnot(&requests.FPDFPage_GetAnnot{Page: page, Index: i})
		if err != nil {
			return extract.Malformed("pdf annotation", err)
		}
		err = annotAttachment(inst, doc, a.Annotation, fmt.Sprintf("page%d-attachment-%d", p+1, i+1), fn)
		inst.FPDFPage_CloseAnnot(&requests.FPDFPage_CloseAnnot{Annotation: a.Annotation})
		if err != nil {
			return err
		}
	}
	return nil
}

func annotAttachment(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, annot references.FPDF_ANNOTATION, name string, fn func(references.FPDF_ATTACHMENT, string) error) error {
	st, err := inst.FPDFAnnot_GetSubtype(&requests.FPDFAnnot_GetSubtype{Annotation: annot})
	if err != nil || st.Subtype != enums.FPDF_ANNOT_SUBTYPE_FILEATTACHMENT {
		return nil
	}
	fa, err := inst.FPDFAnnot_GetFileAttachment(&requests.FPDFAnnot_GetFileAttachment{Document: doc, Annotation: annot})
	if err != nil {
		// A file-attachment annotation whose file cannot be found is
		// content okuri could not read.
		return fn("", name)
	}
	return fn(fa.Attachment, name)
}

// attachment reads one embedded file. A nil handle is an annotation that
// announces a file PDFium could not find.
func attachment(inst pdfium.Pdfium, a references.FPDF_ATTACHMENT, fallback string, d Doc) Embedded {
	e := Embedded{Name: fallback}
	if a == "" {
		e.Err = extract.Malformed("pdf attachment", errors.New("file not found"))
		return e
	}
	if n, err := inst.FPDFAttachment_GetName(&requests.FPDFAttachment_GetName{Attachment: a}); err == nil && n.Name != "" {
		e.Name = n.Name
	}
	f, err := inst.FPDFAttachment_GetFile(&requests.FPDFAttachment_GetFile{Attachment: a})
	switch {
	case err != nil:
		e.Err = extract.Malformed("pdf attachment", err)
	case f.Contents == nil:
		e.Err = extract.Malformed("pdf attachment", errors.New("no file stream"))
	case d.MaxFileBytes > 0 && int64(len(f.Contents)) > d.MaxFileBytes:
		e.Err = &extract.LimitError{Limit: extract.LimitFileSize}
	default:
		e.Data = f.Contents
	}
	return e
}
