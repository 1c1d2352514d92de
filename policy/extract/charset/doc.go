// Package charset names, detects and decodes the character sets okuri
// meets in Japanese office mail: UTF-8 (with or without BOM), UTF-16LE/BE,
// Shift_JIS/CP932, EUC-JP and ISO-2022-JP, plus the single-byte sets that
// golang.org/x/text knows by their WHATWG labels.
//
// Detection (for attachments that declare nothing) looks at a prefix only:
// BOM, ISO-2022-JP escape sequences, UTF-8 validity, UTF-16 zero-byte
// patterns, then scores Shift_JIS against EUC-JP by how many multi-byte
// sequences each accepts. It returns Unknown for binary data rather than
// guessing: the caller then treats the content as unscannable text.
//
// Decoding streams; invalid sequences become U+FFFD and are counted so the
// caller can reject content whose charset was plainly wrong.
package charset
