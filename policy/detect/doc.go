// Package detect finds personal data in text and tables extracted from mail.
//
// It owns the detectors of issue 3 (My Number, phones, addresses, e-mail
// addresses, credit cards, bank accounts, birth dates, names, driver's
// licences, passports, health insurance, pension and policy numbers), the
// context rules that raise or lower their confidence, and the decision
// "this is a personal-data list": per table by column classification, in
// free text by grouping nearby matches into pseudo-records.
//
// It does not read files, MIME or archives: package policy/scan extracts
// UTF-8 text and table rows and feeds them to a Report through Text and
// Table. Everything here is a pure function of those bytes and the Config.
//
// Speed: the scanners are byte loops (no regexp), folding full-width
// digits, hyphen variants, full-width @ and letters as they go; only small
// windows around a candidate are normalised. The common byte (kana, kanji,
// letters) is skipped through a 256-entry table.
//
// Privacy invariant: a Finding carries kinds, counts and masked samples
// only. Matched values never leave this package unmasked.
package detect
