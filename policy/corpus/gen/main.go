// Command gen writes the detector corpus: synthetic customer lists and
// hard negatives as CSV (UTF-8 and Shift_JIS), TXT and HTML, then
// converts them with LibreOffice (headless) into XLSX, XLS, ODS, DOCX,
// DOC, ODT and PDF. File names start with pos_ (personal data) or neg_
// (must pass as not personal): that prefix is the label the corpus test
// scores against.
//
// Run from the repository root, with LibreOffice installed:
//
//	go run ./policy/corpus/gen -out policy/corpus/testdata
//
// -convert=false skips LibreOffice. Output is deterministic for a seed.
//
// -messages DIR writes instead the message corpus that package corpus
// generates in memory for its tests (tuning/ and held-out/ .eml files).
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"html"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/japanese"
)

func main() {
	out := flag.String("out", "policy/corpus/testdata", "output directory")
	seed := flag.Uint64("seed", 20241123, "random seed")
	convert := flag.Bool("convert", true, "convert with LibreOffice (soffice)")
	messages := flag.String("messages", "", "write the generated message corpus (package corpus) as .eml files into this directory instead")
	flag.Parse()
	if *messages != "" {
		if err := writeMessages(*messages); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := run(*out, *seed, *convert); err != nil {
		log.Fatal(err)
	}
}

// targets lists which generated sources are converted to which formats.
type targets map[string][]string // format -> source files

func (t targets) add(format, src string) { t[format] = append(t[format], src) }

func run(out string, seed uint64, convert bool) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("mkdir %s: %w", out, err)
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	calc, writer := targets{}, targets{}
	for _, l := range positiveLayouts {
		for _, n := range []int{1, 3, 25, 200} {
			if err := writeTable(out, r, "pos", l, n, calc); err != nil {
				return err
			}
		}
	}
	if err := writeTable(out, r, "pos", positiveLayouts[0], 2000, calc); err != nil {
		return err
	}
	for _, l := range negativeLayouts {
		for _, n := range []int{3, 40, 300} {
			if err := writeTable(out, r, "neg", l, n, calc); err != nil {
				return err
			}
		}
	}
	for _, d := range positiveDocs(r) {
		if err := writeDoc(out, "pos", d, writer); err != nil {
			return err
		}
	}
	for _, d := range negativeDocs(r) {
		if err := writeDoc(out, "neg", d, writer); err != nil {
			return err
		}
	}
	if !convert {
		return nil
	}
	for format, srcs := range calc {
		if err := soffice(out, format, "CSV:44,34,76,1", srcs); err != nil {
			return err
		}
	}
	for format, srcs := range writer {
		if err := soffice(out, format, "", srcs); err != nil {
			return err
		}
	}
	// the HTML sources are inputs for Writer only; TXT and CSV stay
	return removeAll(out, "*.html")
}

func writeTable(out string, r *rand.Rand, label string, l layout, n int, calc targets) error {
	rows := table(r, l, n, n == 200)
	base := fmt.Sprintf("%s_%s_%d", label, l.name, n)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true // as Excel writes it
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("csv %s: %w", base, err)
	}
	src := filepath.Join(out, base+".csv")
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		return err
	}
	mid := (label == "pos" && n == 25) || (label == "neg" && n == 40)
	if mid {
		sj, err := japanese.ShiftJIS.NewEncoder().Bytes(buf.Bytes())
		if err != nil {
			return fmt.Errorf("shift_jis %s: %w", base, err)
		}
		if err := os.WriteFile(filepath.Join(out, base+"_sjis.csv"), sj, 0o644); err != nil {
			return err
		}
		calc.add("xls", src)
		calc.add("pdf", src)
	}
	if n == 3 || n == 200 || n == 300 || n == 2000 || (label == "neg" && n == 40) {
		calc.add("xlsx", src)
	}
	if n == 3 {
		calc.add("ods", src)
	}
	return nil
}

func writeDoc(out, label string, d doc, writer targets) error {
	base := fmt.Sprintf("%s_%s", label, d.name)
	var txt strings.Builder
	for _, l := range d.lines {
		txt.WriteString(l + "\n")
	}
	for _, t := range d.tables {
		txt.WriteString("\n")
		for _, row := range t {
			txt.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(out, base+".txt"), []byte(txt.String()), 0o644); err != nil {
		return err
	}
	var h strings.Builder
	h.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(d.name) + "</title></head><body>\n")
	for _, l := range d.lines {
		h.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
	}
	for _, t := range d.tables {
		h.WriteString("<table border=\"1\">\n")
		for _, row := range t {
			h.WriteString("<tr>")
			for _, c := range row {
				h.WriteString("<td>" + html.EscapeString(c) + "</td>")
			}
			h.WriteString("</tr>\n")
		}
		h.WriteString("</table>\n")
	}
	h.WriteString("</body></html>\n")
	src := filepath.Join(out, base+".html")
	if err := os.WriteFile(src, []byte(h.String()), 0o644); err != nil {
		return err
	}
	for _, f := range []string{"docx", "doc", "odt", "pdf"} {
		writer.add(f, src)
	}
	return nil
}

// soffice converts srcs to format in one LibreOffice run, with a private
// profile so that it does not collide with other users of soffice.
func soffice(out, format, infilter string, srcs []string) error {
	filter := format
	switch format {
	case "docx":
		filter = "docx:MS Word 2007 XML"
	case "doc":
		filter = "doc:MS Word 97"
	case "odt":
		filter = "odt:writer8"
	case "pdf":
		if infilter == "" {
			filter = "pdf:writer_web_pdf_Export"
		}
	}
	args := []string{"-env:UserInstallation=file:///tmp/okuri-corpus-lo", "--headless", "--norestore"}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	} else {
		args = append(args, "--infilter=HTML (StarWriter)")
	}
	args = append(args, "--convert-to", filter, "--outdir", out)
	args = append(args, srcs...)
	cmd := exec.Command("soffice", args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("soffice to %s: %w", format, err)
	}
	return nil
}

func removeAll(dir, pattern string) error {
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return err
	}
	for _, f := range m {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	return nil
}
