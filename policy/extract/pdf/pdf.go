// Package pdf extracts text from PDF files with PDFium compiled to
// WebAssembly (github.com/klippa-app/go-pdfium, webassembly mode: no cgo,
// no subprocess). PDFium ships the predefined CJK CMaps, so Japanese PDFs
// whose fonts have no ToUnicode map come out right, which the pure-Go
// parsers tried for okuri did not manage.
//
// The WebAssembly runtime is compiled once per Pool (the expensive step,
// measured in docs/perf-scan.md) and instances are reused. The sandbox has
// no file system and its output is discarded. A document that needs a
// password is extract.ErrEncrypted; one with pages but no text at all
// (scanned images) is unscannable.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/okuri/okuri/policy/extract"
)

// Doc is one PDF to extract.
type Doc struct {
	R        io.ReaderAt
	Size     int64
	Sink     extract.Sink
	Loc      extract.Location
	MaxPages int
	Budget   *extract.Budget
	// MaxFiles bounds the embedded files taken out (0: no bound);
	// MaxFileBytes bounds each of them (0: no bound).
	MaxFiles     int
	MaxFileBytes int64
}

// ErrNoText marks a PDF whose pages carry no text: scanned images need OCR,
// which okuri does not do, so the content is unscannable.
var ErrNoText = errors.New("pdf has no text (image-only)")

// LimitMemory names the per-document memory limit (Config.MemoryLimit) in
// the extract.LimitError of a PDF that needs more.
const LimitMemory = "max_pdf_memory"

// Extract writes the text of every page (up to d.MaxPages) to one text
// stream and returns the files embedded in the document, for the caller
// to scan after the PDFium instance is free again. It honours ctx: when the time budget runs out mid-page the
// instance is killed. An instance that failed, hit its memory limit or
// grew large is discarded afterwards and replaced by a fresh one.
func (p *Pool) Extract(ctx context.Context, d Doc) ([]Embedded, error) {
	// Charged before a worker is taken: a scan past its budget gets its
	// answer without waiting for one.
	if err := d.Budget.Take(d.Size); err != nil {
		return nil, err
	}
	w, err := p.acquire(ctx)
	if err != nil {
		return nil, d.Budget.Err()
	}
	defer p.release(w)
	// Runs before release: the worker is idle and no other scan has it.
	defer w.mem.reap()
	inst, err := w.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, d.Budget.Err()
		}
		return nil, fmt.Errorf("pdfium instance: %w", err)
	}
	mem := w.mem.current()
	mem.refused.Store(false)
	stop := make(chan struct{})
	killed := make(chan bool, 1)
	go func() {
		select {
		case <-ctx.Done():
			inst.Kill()
			killed <- true
		case <-stop:
			killed <- false
		}
	}()
	files, err := p.extractSafe(inst, d)
	close(stop)
	discard := <-killed
	switch {
	case discard:
		files, err = nil, d.Budget.Err()
	case mem.refused.Load():
		inst.Kill()
		discard = true
		files, err = nil, &extract.LimitError{Limit: LimitMemory}
	case err != nil && !answered(err), mem.size.Load() > recycleAbove:
		// After a failed call PDFium's state is not to be trusted, and a
		// large memory would stay with the instance for good.
		inst.Kill()
		discard = true
	default:
		inst.Close()
	}
	if discard {
		// The instance is gone whether or not wazero has freed its
		// memory yet (a module closed mid-call frees it only when the
		// call notices): reap gives it back now.
		mem.Free()
	}
	return files, err
}

// answered reports whether err is PDFium's own answer about the document
// (encrypted, no text, or one of its error codes: not a PDF, damaged, a
// page it cannot load) rather than a fault. PDFium returned normally and
// freed what it had parsed, so the instance can read the next document;
// after a WebAssembly trap, a panic in go-pdfium or a host error it
// cannot. Replacing an instance costs ~10 ms of CPU (instantiating the
// module copies its data and runs its start-up): replacing one per
// refused document made a zip of 250 tiny broken PDFs take seconds
// (docs/perf-scan.md).
func answered(err error) bool {
	for _, e := range []error{
		extract.ErrEncrypted, ErrNoText,
		pdfiumerrors.ErrUnknown, pdfiumerrors.ErrFile, pdfiumerrors.ErrFormat, pdfiumerrors.ErrPage,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// extractSafe turns a panic in go-pdfium (met with hostile input) into a
// malformed-PDF error.
func (p *Pool) extractSafe(inst pdfium.Pdfium, d Doc) (files []Embedded, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = extract.Malformed("pdf", errors.New("pdfium panic"))
		}
	}()
	return p.extract(inst, d)
}

func (p *Pool) extract(inst pdfium.Pdfium, d Doc) ([]Embedded, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{
		FileReader:     io.NewSectionReader(d.R, 0, d.Size),
		FileReaderSize: d.Size,
	})
	if err != nil {
		if errors.Is(err, pdfiumerrors.ErrPassword) || errors.Is(err, pdfiumerrors.ErrSecurity) {
			return nil, extract.ErrEncrypted
		}
		return nil, extract.Malformed("pdf", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, extract.Malformed("pdf", err)
	}
	if pc.PageCount > d.MaxPages && d.MaxPages > 0 {
		return nil, &extract.LimitError{Limit: extract.LimitPDFPages}
	}
	chars, err := pagesText(inst, doc.Document, pc.PageCount, d)
	if err != nil {
		return nil, err
	}
	// Embedded files are taken out even from a PDF without text: a
	// scanned cover page may carry the customer list as an attachment.
	files, err := embedded(inst, doc.Document, pc.PageCount, d)
	if err != nil {
		return files, err
	}
	if pc.PageCount > 0 && chars == 0 {
		return files, ErrNoText
	}
	return files, nil
}

// pagesText writes the text of every page, rebuilt from glyph positions
// (layout.go): table rows to a table, the rest to one text stream. It
// returns how many non-space bytes it found.
func pagesText(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, pages int, d Doc) (int, error) {
	out := &writer{d: d, tw: d.Sink.Text(d.Loc)}
	defer out.close()
	for i := 0; i < pages; i++ {
		if err := d.Budget.Err(); err != nil {
			return out.chars, err
		}
		page := requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: i}}
		out.newPage = true
		if err := pageText(inst, page, out); err != nil {
			return out.chars, err
		}
	}
	return out.chars, nil
}

// pageText lays out one page, as displayed: a page with /Rotate has its
// glyph boxes in unrotated space, where its lines run vertically.
// Reading every glyph's position costs about ten times PDFium's plain
// text (docs/perf-scan.md), so a page whose plain text holds no e-mail
// address and few numbers (prose, terms and conditions) keeps it.
func pageText(inst pdfium.Pdfium, page requests.Page, out *writer) error {
	plain, err := inst.GetPageText(&requests.GetPageText{Page: page})
	if err != nil {
		return extract.Malformed("pdf page", err)
	}
	if !needsLayout(plain.Text) {
		return out.text([]string{plain.Text})
	}
	rot, err := inst.FPDFPage_GetRotation(&requests.FPDFPage_GetRotation{Page: page})
	if err != nil {
		return extract.Malformed("pdf page", err)
	}
	gs, err := pageGlyphs(inst, page)
	if err != nil {
		return err
	}
	rules, err := pageRules(inst, page)
	if err != nil {
		return err
	}
	rotate(gs, rules, int(rot.PageRotation))
	l := layoutPage(gs, rules)
	for _, t := range l.tables {
		if err := out.table(t); err != nil {
			return err
		}
	}
	return out.text(l.text)
}

// layoutNumbers is how many numbers of three or more digits make a page
// worth laying out: a list of people has dates, phones and account
// numbers on every line.
const layoutNumbers = 4

// needsLayout reports whether a page's plain text may hold rows of
// personal data: an e-mail address, or several long numbers (full-width
// digits included). A date of short parts (S.48.9.12, 5/6/1960) counts
// as one: a birthday list has no other numbers.
func needsLayout(text string) bool {
	if strings.ContainsRune(text, '@') || strings.ContainsRune(text, '＠') {
		return true
	}
	// run: digits in the current run; parts: runs in the current token
	// of digits and separators; long: the token has a long run
	numbers, run, parts, long := 0, 0, 0, false
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9' || r >= '０' && r <= '９':
			if run == 0 {
				parts++
			}
			run++
			if run == 3 {
				numbers++
				long = true
			}
		case run > 0 && (r == '.' || r == '/' || r == '-' || r == '．' || r == '／'):
			run = 0
			continue
		default:
			if parts >= 3 && !long {
				numbers++
			}
			run, parts, long = 0, 0, false
		}
		if numbers >= layoutNumbers {
			return true
		}
	}
	return false
}

// writer sends a document's layout to the sink: text lines to one text
// stream, table rows to a table that continues over pages while the
// column count stays the same (a list printed over several pages has its
// header on the first only).
//
// Where a table continues on a new page, a word processor may repeat its
// heading row there, and splits a row that does not fit: its cells'
// first lines at the foot of one page, the rest at the top of the next.
// The writer holds each table's last row back until it knows whether
// the next page's first row finishes it, so a person is one row, not
// two, and drops the repeated heading.
type writer struct {
	d     Doc
	tw    extract.TextWriter
	tab   extract.TableWriter
	ncol  int
	chars int
	cells [][]byte
	// header is the current table's first row; held its last row, not
	// yet sent; newPage is set until the page's first table.
	header  []string
	held    []string
	newPage bool
}

func (w *writer) text(lines []string) error {
	for _, l := range lines {
		if err := w.d.Budget.Take(int64(len(l) + 1)); err != nil {
			return err
		}
		w.chars += len(strings.TrimSpace(l))
		if _, err := w.tw.Write([]byte(l)); err != nil {
			return err
		}
		w.tw.Write([]byte{'\n'})
	}
	return nil
}

func (w *writer) table(rows [][]string) error {
	first := w.newPage
	w.newPage = false
	if w.tab != nil && len(rows[0]) != w.ncol {
		if err := w.closeTable(); err != nil {
			return err
		}
	}
	if w.tab == nil {
		w.tab, w.ncol, w.header = w.d.Sink.Table(w.d.Loc), len(rows[0]), rows[0]
	} else if first {
		if slices.Equal(rows[0], w.header) {
			rows = rows[1:]
		}
		if len(rows) > 0 && w.held != nil && splitRow(w.held, rows[0]) {
			for c, t := range rows[0] {
				w.held[c] = joinWrapped(w.held[c], t)
			}
			rows = rows[1:]
		}
	}
	for _, r := range rows {
		if err := w.send(); err != nil {
			return err
		}
		w.held = slices.Clone(r)
	}
	return nil
}

// splitRow reports whether next, the first row of a page, is the rest
// of prev, the last row of the page before, split by the page break.
// next fills only columns prev fills, and either leaves the first empty
// and others too (the cells that fitted ended on the first page; a row
// of its own starts with its first cell), or prev has a value visibly
// cut (080-, 1999/).
func splitRow(prev, next []string) bool {
	short, cut := false, false
	for c := range next {
		switch {
		case next[c] != "" && prev[c] == "":
			return false
		case next[c] == "" && prev[c] != "":
			short = true
		}
		if strings.HasSuffix(prev[c], "-") || strings.HasSuffix(prev[c], "/") || strings.HasSuffix(prev[c], "－") {
			cut = true
		}
	}
	return short && next[0] == "" || cut
}

// send writes the held row.
func (w *writer) send() error {
	if w.held == nil {
		return nil
	}
	w.cells = w.cells[:0]
	n := 0
	for _, c := range w.held {
		w.cells = append(w.cells, []byte(c))
		n += len(c) + 1
		w.chars += len(c)
	}
	w.held = nil
	if err := w.d.Budget.Take(int64(n)); err != nil {
		return err
	}
	return w.tab.Row(w.cells)
}

func (w *writer) closeTable() error {
	if w.tab == nil {
		return nil
	}
	err := w.send()
	w.tab.Close()
	w.tab = nil
	return err
}

func (w *writer) close() {
	w.closeTable()
	w.tw.Close()
}
