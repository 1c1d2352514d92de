// Package addr finds and normalises the domain of a mail address, so that
// policy, rewriting, the quarantine's known-recipient keys, sender binding
// and the approvals UI all agree on which domain a recipient belongs to.
//
// The one normal form is: lower case, no trailing root dot, and
// internationalised labels in their ASCII (punycode) form, so that
// "User@Example.JP.", "user@example.jp" and "user@ＥＸＡＭＰＬＥ.jp" name
// the same domain, and "担当@例え.jp" matches an internal domain configured
// as "xn--r8jz45g.jp".
package addr

import (
	"strings"

	"golang.org/x/net/idna"
)

// idnaProfile maps like a resolver would (case folding, width folding) but
// does not enforce STD3 host-name rules: mail domains with an underscore
// exist, and refusing them here would make them "no domain" instead of
// merely unusual.
var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// Domain returns the normalised domain of address, or "" when it has none:
// no "@", nothing after it, or a quoted local part that never closes (the
// "@" inside `"a@b"` is part of the local part, not a separator).
// Surrounding blanks and one pair of angle brackets are ignored.
func Domain(address string) string {
	s := strings.TrimSpace(address)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = s[1 : len(s)-1]
	}
	at := separator(s)
	if at < 0 {
		return ""
	}
	return NormalizeDomain(s[at+1:])
}

// separator returns the index of the "@" between local part and domain, or
// -1. A quoted local part may itself contain "@" and escaped quotes.
func separator(s string) int {
	if !strings.HasPrefix(s, `"`) {
		return strings.LastIndexByte(s, '@')
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			if i+1 < len(s) && s[i+1] == '@' {
				return i + 1
			}
			return -1
		}
	}
	return -1
}

// NormalizeDomain returns d in the one normal form (see the package
// comment), or "" when d is empty or not a domain at all. A domain whose
// Unicode labels cannot be converted is kept lower-cased rather than
// dropped, so it still never equals a configured internal domain.
func NormalizeDomain(d string) string {
	d = strings.TrimRight(strings.TrimSpace(d), ".")
	if d == "" || strings.ContainsAny(d, " \t\r\n@") {
		return ""
	}
	if ascii(d) {
		return strings.ToLower(d)
	}
	if strings.HasPrefix(d, "[") {
		return strings.ToLower(d) // address literal: no labels to convert
	}
	a, err := idnaProfile.ToASCII(d)
	a = strings.ToLower(strings.TrimRight(a, "."))
	// Without STD3 rules the mapping may produce blanks (U+02DB maps to
	// " \u0328"); such a result is no domain name to compare against.
	if err != nil || a == "" || !ascii(a) || strings.ContainsAny(a, " \t\r\n@") {
		return strings.ToLower(d)
	}
	return a
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Unicode returns a normalised domain with its punycode labels shown in
// Unicode, for people and for look-alike checks that must compare what a
// reader sees ("аgency.jp" with a Cyrillic а), not its ASCII encoding.
// It returns d unchanged when d has no valid punycode label.
func Unicode(d string) string {
	if !strings.Contains(d, "xn--") {
		return d
	}
	u, err := idnaProfile.ToUnicode(d)
	if err != nil {
		return d
	}
	return u
}

// Key returns address as a lookup key: the local part lower-cased (okuri
// treats mailboxes case-insensitively throughout) and the normalised
// domain. An address with no domain is only trimmed and lower-cased.
func Key(address string) string {
	s := strings.TrimSpace(address)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = s[1 : len(s)-1]
	}
	at := separator(s)
	if at < 0 {
		return strings.ToLower(s)
	}
	d := NormalizeDomain(s[at+1:])
	if d == "" {
		return strings.ToLower(s)
	}
	return strings.ToLower(s[:at]) + "@" + d
}

// IsInternal reports whether address a is in one of domains (or, with
// subdomains, below one). An address without a domain is not internal.
func IsInternal(a string, domains []string, subdomains bool) bool {
	d := Domain(a)
	if d == "" {
		return false
	}
	for _, id := range domains {
		id = NormalizeDomain(id)
		if id != "" && (d == id || subdomains && strings.HasSuffix(d, "."+id)) {
			return true
		}
	}
	return false
}
