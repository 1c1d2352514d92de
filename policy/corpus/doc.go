// Package corpus holds the detection corpus and the test that measures
// precision and recall on it, per file format.
//
// testdata/ is written by gen (go run ./policy/corpus/gen): synthetic
// customer lists in many layouts and sizes, letters and forms with
// pasted records, and hard negatives (price lists with 12/13-digit
// codes, invoices, branch-office lists, source code, logs, minutes, a
// single e-mail signature), as CSV (UTF-8, Shift_JIS), TXT, and through
// LibreOffice as XLSX, XLS, ODS, DOCX, DOC, ODT and PDF. A file's label
// is its name prefix: pos_ must be found personal data, neg_ must not.
//
// The test scans every file with policy/scan exactly as the gateway
// does; OKURI_CORPUS_DIR points it at another corpus laid out the same
// way (the hidden evaluation corpus).
package corpus
