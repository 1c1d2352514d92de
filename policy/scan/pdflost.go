package scan

import (
	"fmt"
	"slices"

	"github.com/okuri/okuri/policy/detect"
	"github.com/okuri/okuri/policy/extract"
)

// When a PDF's table cannot be rebuilt from its layout (columns printed
// one after the other, a list as paragraphs), its identifiers reach the
// detector as loose text: each is found, but nothing ties them into
// records, and the file would pass as clean. lostRows is the fallback:
// many identifiers of two or more per-person kinds, one of which names a
// person's own account or document, with (almost) no records, are a list
// of people whatever their layout.

// lostRowsMin is how many matches each kind needs: a letter or an invoice
// has one or two of each.
const lostRowsMin = 10

// identifying kinds belong to one person (unlike a phone, an e-mail or an
// address, which a company directory also lists by the dozen).
var identifying = []string{
	"my_number", "birth_date", "bank_account", "policy_number", "credit_card",
	"pension_number", "passport", "drivers_license", "health_insurance",
}

// perPerson kinds count towards the co-occurrence.
var perPerson = append([]string{"email", "phone", "postal_address", "name"}, identifying...)

// lostRows reports whether the findings at loc look like a list of people
// whose rows were lost, and says why (kinds and counts only).
func lostRows(findings []detect.Finding, loc extract.Location) (string, bool) {
	counts := map[string]int{}
	records := 0
	for _, f := range findings {
		if f.Where.Part != loc.Part || f.Where.Path != loc.Path || !slices.Contains(perPerson, f.Kind) {
			continue
		}
		counts[f.Kind] += f.Count
		records = max(records, f.Records)
	}
	var many []string
	least, ident := 0, false
	for _, k := range perPerson {
		if n := counts[k]; n >= lostRowsMin {
			many = append(many, k)
			if least == 0 || n < least {
				least = n
			}
			ident = ident || slices.Contains(identifying, k)
		}
	}
	if len(many) < 2 || !ident || records*4 >= least {
		return "", false
	}
	slices.Sort(many)
	return fmt.Sprintf("%d or more each of %v with %d records: a list of people whose table layout could not be rebuilt", least, many, records), true
}

// pdfLostRows applies lostRows to the PDF f.
func (r *run) pdfLostRows(f *file) {
	if reason, ok := lostRows(r.report.Findings(), f.loc); ok {
		r.setPart(f.part, PersonalData, reason)
	}
}
