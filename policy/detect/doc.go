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
// # Candidates and validation
//
// Numbers are read by one tokenizer (numtok.go) that folds full-width
// digits, the hyphen variants ‐ ‑ ‒ – — ― − ー － ｰ, full-width slashes,
// dots and parentheses, and 年/月/日, into digits plus a separator shape.
// analyze (cand.go) then says what a number could be, from digits and shape
// alone: a mobile (060/070/080/090) or geographic phone in a plausible
// grouping, or +81; a business number (0120, 0800, 0570, 0180, 0990 — never
// personal); a calendar date with a plausible birth year, Western or in an
// era (昭和/平成/令和/大正/明治, S55.3.4, 元年, ㍼); a postal code; 12 digits
// passing the My Number mod-11 check; 13 digits passing the corporate
// number check (a negative signal); 14–19 digits with a card brand's IIN
// (JCB 3528–3589 included) and Luhn; 10 digits (pension), 7 digits (bank),
// 6/8 digits with Luhn (health insurer), two letters and seven digits
// (passport).
//
// # Context
//
// In free text a candidate becomes a finding only with the evidence its
// kind needs: My Number, bank account, birth date, pension, passport,
// licence, insurer and policy numbers need a label nearby (the nearest
// label within about 40 characters before, or on the same line after); a
// card needs card grouping or a label; a phone needs a phone grouping or a
// label; a postal code needs 〒, a label or a prefecture after it. A line
// of column labels ("氏名 個人番号 住所", as PDF text extraction writes a
// table header) labels the lines below it. Allow-lists (own domains,
// phones, addresses) drop matches.
//
// # Records
//
// Tables: the header row is found among the first rows (a title may come
// first); each column takes the kind of its header, or, without one, the
// kind most of its values pass (90 % for check-digit-only numbers). A row
// is a record when it holds a name and one more personal attribute, a
// strong ID, or (without a name column) two attributes one of which
// identifies (birth date, policy number …). One such row is enough: one
// customer is personal data. Tables of companies (法人番号, 会社名) and of
// staff at work (所属, 内線, 勤務地, unless a home column is there) need
// a birth date. Where names are known only by their shape, an address
// without a house number (a prefecture, a town, a postal code: a postal
// code master such as KEN_ALL.CSV) does not make a record. A column of
// check-digit-valid 12-digit numbers is My Number only next to another
// personal column (price lists carry such codes). Key-value form tables
// (氏名 | 山田 花子, or 口座番号：1234567 in one cell) make one record per
// person. A header cell of several header words over cells of as many
// words ("証券番号 契約日", a PDF grid cut too coarsely) is split back
// into columns.
//
// Free text: matches are grouped per paragraph by line proximity; a group
// is a record when it has an anchor (a labelled name, a name before 様,
// a birth date, a policy number, a strong ID, a consumer e-mail outside a
// company paragraph) and another personal kind. A signature (name, company
// phone, address, company e-mail) has no anchor; "X 様" next to a company
// name is a business contact. A letter's salutation (a first paragraph
// "山田 太郎 様") anchors the addressee's details further down when a
// paragraph speaks of them with an honorific (ご住所, お電話) and no
// signature separator came before. An account holder (口座名義) is a
// name; a bank account under 振込 is the company's own unless its holder
// is a person. Names at the start of list lines count only when two or
// more such lines are in the paragraph. Lines with several tabs or
// commas (a pasted list) go through a Table whose short cells are read
// as free text too ("card 4111…").
//
// # Speed
//
// The scanners are byte loops (no regexp). The free-text loop skips eight
// bytes at a time until a digit, '@', a newline or a full-width form;
// keywords are searched lazily around candidates only. Tables decide
// column kinds once and validate each cell with one validator; a long
// cell of an unclassified column goes through free text only when it
// holds a byte that loop stops at. Nothing is allocated per row or cell.
// Numbers and commands are in docs/perf-detect.md.
//
// # Privacy
//
// A Finding carries kinds, counts and masked samples only (090-****-5678,
// ****@docomo.ne.jp, 山 **). Matched values never leave this package
// unmasked.
package detect
