// Package scan is okuri's extraction half of detection: it reads a whole
// RFC 5322 message (or one bare file), walks its MIME tree, decodes
// transfer encodings and charsets, opens containers (ZIP, gzip, OOXML,
// OpenDocument, OLE2 XLS/DOC, PDF) and feeds every piece of text and every
// table to the detectors of package policy/detect. It returns one verdict
// for the message, a verdict per MIME part and per file inside containers,
// the findings, and the reasons.
//
// # Invariants
//
//   - Anything not fully scanned is never clean. Every content problem
//     (unknown charset, corrupt file, unsupported binary, a limit exceeded,
//     the time budget used up) makes its part "unscannable" with a reason
//     naming the problem or the limit; encrypted content is "encrypted".
//     Scan returns an error only for I/O errors on the message itself or
//     a cancelled context; everything else is a verdict.
//   - Reasons name formats, limits and paths, never content: detected
//     values appear only masked, in findings.
//   - Memory is bounded independent of message size: attachments larger
//     than Options.MemThreshold are spooled to a temporary file, archives
//     are read through io.ReaderAt, and XML is streamed.
//
// # Verdict precedence
//
// The message verdict is the strongest verdict of its parts, in the order
// personal_data > unscannable > encrypted > clean. Personal data found
// anywhere wins, so that a policy lenient on encrypted archives can never
// pass a message whose body lists customers; unscannable beats encrypted
// for the same reason (a corrupt part must not ride along with an accepted
// password-protected ZIP). Result.Reasons and the per-part verdicts keep
// every reason, so policy rules can act on all of them (Result.Has).
//
// # Formats
//
// MIME: nested multiparts (walked by this package, not go-message's
// Walk, so bodies arrive undecoded whatever message.CharsetReader is),
// their preamble and epilogue as text, every Content-Type of a part that
// declares several, base64/quoted-printable/7bit/8bit/binary, RFC 2047
// and RFC 2231 file names in any charset (ISO-2022-JP, Shift_JIS),
// message/rfc822 opened recursively, text/html tag-stripped with tables
// as tables, the Subject header, uuencoded files (begin ... end) in text
// bodies as attachments. Charsets: UTF-8 (BOM), UTF-16LE/BE,
// Shift_JIS/CP932, EUC-JP, ISO-2022-JP (CP50220/50221) and the WHATWG
// single-byte sets; undeclared or mislabelled text is detected.
// Files: TXT, CSV/TSV (byte-level splitter), JSON ("key: value" lines),
// XML (text nodes), vCard (one row per card), HTML, RTF, XLSX/DOCX/PPTX and ODS/ODT/ODP,
// XLS/DOC/PPT and Outlook MSG (OLE2), PDF (PDFium), TNEF winmail.dat,
// ZIP (nested, Shift_JIS names), 7z (github.com/bodgit/sevenzip, ZIP's
// limits), gzip and tar. Encrypted: ZIP entries with the encryption flag,
// 7z with AES content or headers, OLE2 EncryptedPackage (password OOXML),
// XLS FILEPASS, DOC fEncrypted, PPT CryptSession, password PDF, and RAR
// (no decoder, so treated as encrypted). Anything else is unscannable.
//
// Result.BodyText keeps the decoded text of the message's inline text
// parts as the detectors read it, so that policy's keyword rule matches
// on the scanner's one MIME walk and one charset decoding.
//
// Images are not text and are not inspected (there is no OCR); they are
// listed as parts with a reason but do not make a message unscannable. A
// PDF without any text layer, however, is unscannable: it is a document,
// and a scanned customer list is exactly what must not pass unread.
package scan
