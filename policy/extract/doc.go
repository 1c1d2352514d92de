// Package extract holds what every okuri text extractor shares: the sink
// that extracted text and tables are written to, the error kinds that turn
// into verdicts, and the byte budget that enforces the scan limits.
//
// Extractors live in subpackages, one per format family. Each one reads a
// file and writes UTF-8 text (Sink.Text) or table rows (Sink.Table) to the
// sink; it never decides whether something is personal data.
//
// Invariant: an extractor that cannot read all of its input returns an
// error (ErrEncrypted, a *LimitError, or any other error meaning
// "unscannable"); it never silently drops content, because the caller turns
// a nil error into "fully scanned", and anything not fully scanned is never
// clean.
package extract
