package detect

import (
	"errors"
	"fmt"
	"strings"
)

// Config tunes the detectors and the decision. The zero value is not
// useful; start from DefaultConfig and change fields.
type Config struct {
	// MinRecords is the number of personal-data records (table rows or
	// free-text pseudo-records) from which a message is personal data.
	// 0 disables the record rule. Default 1.
	MinRecords int
	// StrongIsPersonal makes any strong ID (My Number, credit card, basic
	// pension number, passport, driver's licence) personal data on its
	// own, whatever MinRecords says. Default true.
	StrongIsPersonal bool
	// ColumnShare is the share of non-empty values a detector must accept
	// for a column without a recognised header to take that detector's
	// kind. Default 0.6.
	ColumnShare float64
	// CheckedShare is the share of values that must pass a check digit for
	// a headerless column of bare numbers to count as My Number or card
	// numbers (a random 12-digit number passes mod 11 one time in ten).
	// Default 0.9.
	CheckedShare float64
	// Window is how many characters before and after a candidate are
	// searched for context keywords (same line preferred). Default 40.
	Window int
	// Keywords adds context keywords per kind (keys are Finding kinds,
	// e.g. "my_number": {"マイナンバー"}) to the built-in ones. Matching
	// is case-insensitive for ASCII.
	Keywords map[string][]string
	// OwnDomains are the organisation's own e-mail domains; addresses in
	// them (and their subdomains) are not personal data.
	OwnDomains []string
	// OwnPhones are the organisation's own phone numbers in any notation;
	// they are compared after folding to digits.
	OwnPhones []string
	// OwnAddresses are fragments of the organisation's own postal
	// addresses (e.g. "千代田区丸の内1-1-1"); an address line containing
	// one is not personal data. Compared after folding full-width digits
	// and hyphens.
	OwnAddresses []string
	// PolicyPatterns are per-insurer policy-number shapes. A value of
	// that shape is a policy number even without a keyword nearby.
	PolicyPatterns []PolicyPattern
}

// PolicyPattern describes the shape of one insurer's policy numbers.
// In Pattern, 'A' is an ASCII letter, '9' a digit, 'X' a letter or digit,
// '-' any hyphen variant, and every other byte itself. Letters and digits
// are folded from full-width first. Example: "AB-9999999".
type PolicyPattern struct {
	Insurer string
	Pattern string
}

// DefaultConfig returns the defaults of issue 3: any strong ID or one
// record makes a message personal data.
func DefaultConfig() Config {
	return Config{
		MinRecords:       1,
		StrongIsPersonal: true,
		ColumnShare:      0.6,
		CheckedShare:     0.9,
		Window:           40,
	}
}

// validate returns every problem with cfg, joined.
func (c *Config) validate() error {
	var errs []error
	if c.MinRecords < 0 {
		errs = append(errs, fmt.Errorf("min_records: %d is negative", c.MinRecords))
	}
	if c.ColumnShare <= 0 || c.ColumnShare > 1 {
		errs = append(errs, fmt.Errorf("column_share: %v not in (0,1]", c.ColumnShare))
	}
	if c.CheckedShare <= 0 || c.CheckedShare > 1 {
		errs = append(errs, fmt.Errorf("checked_share: %v not in (0,1]", c.CheckedShare))
	}
	if c.Window < 0 || c.Window > 400 {
		errs = append(errs, fmt.Errorf("window: %d not in [0,400]", c.Window))
	}
	for k, kws := range c.Keywords {
		if _, ok := kindIndex(k); !ok {
			errs = append(errs, fmt.Errorf("keywords: unknown kind %q", k))
		}
		for i, kw := range kws {
			if strings.TrimSpace(kw) == "" {
				errs = append(errs, fmt.Errorf("keywords.%s[%d]: empty", k, i))
			}
		}
	}
	for i, p := range c.PolicyPatterns {
		if len(p.Pattern) < 4 || len(p.Pattern) > 32 {
			errs = append(errs, fmt.Errorf("policy_patterns[%d] (%s): pattern length %d not in [4,32]", i, p.Insurer, len(p.Pattern)))
		}
	}
	for i, d := range c.OwnDomains {
		if !strings.Contains(d, ".") {
			errs = append(errs, fmt.Errorf("own_domains[%d]: %q is not a domain", i, d))
		}
	}
	return errors.Join(errs...)
}
