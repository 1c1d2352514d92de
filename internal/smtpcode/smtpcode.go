// Package smtpcode owns okuri's one type for RFC 3463 enhanced status
// codes ("5.1.1"): in its own replies (smtpd), in the upstream's answers
// (relay), in stored delivery results (quarantine) and in audit events.
// Records and events carry it as the usual dotted text.
package smtpcode

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/emersion/go-smtp"
)

// Enhanced is an enhanced status code, e.g. {5, 7, 1}. The zero value
// means none (an upstream may answer without one).
type Enhanced [3]int

// FromSMTP converts go-smtp's code, mapping its "none" and "not set"
// markers to the zero value.
func FromSMTP(c smtp.EnhancedCode) Enhanced {
	if c == smtp.NoEnhancedCode || c == smtp.EnhancedCodeNotSet {
		return Enhanced{}
	}
	return Enhanced(c)
}

// IsZero reports the absence of a code (for omitzero in JSON).
func (c Enhanced) IsZero() bool { return c == Enhanced{} }

// String formats the code as "5.7.1", or "" for none.
func (c Enhanced) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.Itoa(c[0]) + "." + strconv.Itoa(c[1]) + "." + strconv.Itoa(c[2])
}

// MarshalText writes the dotted form ("" for none).
func (c Enhanced) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads the dotted form. It accepts any class, as stored
// upstream answers may carry one Parse would refuse.
func (c *Enhanced) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = Enhanced{}
		return nil
	}
	v, err := parse(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Parse parses "class.subject.detail" (RFC 3463 section 2) as written in
// okuri's configuration: class 2, 4 or 5, subject and detail up to 3
// digits each.
func Parse(s string) (Enhanced, error) {
	c, err := parse(s)
	if err != nil {
		return c, err
	}
	if c[0] != 2 && c[0] != 4 && c[0] != 5 {
		return Enhanced{}, fmt.Errorf("smtpcode: enhanced code %q: class must be 2, 4 or 5", s)
	}
	return c, nil
}

func parse(s string) (Enhanced, error) {
	var c Enhanced
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return c, fmt.Errorf("smtpcode: enhanced code %q: want class.subject.detail", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || len(p) > 3 || p[0] == '+' {
			return Enhanced{}, fmt.Errorf("smtpcode: enhanced code %q: part %d is not a number of up to 3 digits", s, i+1)
		}
		c[i] = n
	}
	return c, nil
}
