// Package corpus measures detection on mail written the way offices
// write it, not the way the detector reads it.
//
// Generate builds labelled RFC 5322 messages in memory, deterministically
// from a seed: customer lists (CRM exports, renewal lists, mailing
// labels, bank-transfer lists, seminar rosters, My Number lists, …) as
// CSV (UTF-8, UTF-8 with BOM, Shift_JIS from Excel), Excel's UTF-16LE
// "Unicode text", XLSX (shared or inline strings, dates as serial
// numbers, merged title rows, several sheets), DOCX tables, PDF tables
// laid out on a page with x/y positions, ZIP (plain, nested, Shift_JIS
// names, ZipCrypto-encrypted), HTML and plain-text bodies; one-customer
// letters and forms; and hard negatives (postal-code masters, staff
// rosters, price lists with check-digit-valid codes, invoices,
// statistics, catalogues, newsletters, minutes about personal-data
// policy). Bodies go out in ISO-2022-JP (with the CP50220 characters
// Outlook emits), Shift_JIS, EUC-JP and UTF-8 under every transfer
// encoding mail clients use. Names, places and numbers are invented.
//
// Every list of variants (column headings, date, phone and address
// styles, layouts, letters, body encodings, PDF writing orders) is split
// by index: even entries make the Tuning part, odd entries the HeldOut
// part, and each part has its own seed, so HeldOut measures
// generalisation to layouts and phrasings the detector was not tuned on.
// Nothing here is derived from policy/detect's keyword tables.
//
// TestGeneratedCorpus scans both parts as the gateway does and reports
// precision and recall per format and per body encoding, with floors;
// test/corpus_e2e_test.go sends a held-out sample through the okuri
// binary over SMTP. docs/DETECTION.md has the figures and what fails.
//
// testdata/ is the older LibreOffice-converted file corpus written by
// gen (go run ./policy/corpus/gen), scored by TestCorpusScan and
// TestCorpusDetect; OKURI_CORPUS_DIR points those at another corpus laid
// out the same way. gen -messages DIR writes the generated message
// corpus to disk as .eml files.
package corpus
