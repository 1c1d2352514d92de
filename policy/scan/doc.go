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
// Images are not text and are not inspected (there is no OCR); they are
// listed as parts with a reason but do not make a message unscannable.
package scan
