package detect

// kind is the internal index of a Finding kind; the string form is the
// stable public name.
type kind uint8

const (
	kNone kind = iota
	kMyNumber
	kPhone
	kEmail
	kAddress
	kBirthDate
	kName
	kCreditCard
	kBankAccount
	kPolicy
	kDriversLicense
	kPassport
	kHealthInsurance
	kPension
	kCorporate // negative signal: companies are not people
	kPostal    // internal only: merged into kAddress in findings
	numKinds
)

var kindNames = [numKinds]string{
	kNone:            "",
	kMyNumber:        "my_number",
	kPhone:           "phone",
	kEmail:           "email",
	kAddress:         "postal_address",
	kBirthDate:       "birth_date",
	kName:            "name",
	kCreditCard:      "credit_card",
	kBankAccount:     "bank_account",
	kPolicy:          "policy_number",
	kDriversLicense:  "drivers_license",
	kPassport:        "passport",
	kHealthInsurance: "health_insurance",
	kPension:         "pension_number",
	kCorporate:       "corporate_number",
	kPostal:          "postal_code",
}

func (k kind) String() string { return kindNames[k] }

// strong kinds identify one person on their own.
func (k kind) strong() bool {
	switch k {
	case kMyNumber, kCreditCard, kPension, kPassport, kDriversLicense:
		return true
	}
	return false
}

// anchor kinds tie a group of matches to one person in free text: a
// phone, address or e-mail alone is also what every company signature
// carries, so they need an anchor next to them to make a record.
func (k kind) anchor() bool {
	switch k {
	case kName, kBirthDate, kPolicy, kMyNumber, kCreditCard, kPension,
		kPassport, kDriversLicense, kHealthInsurance:
		return true
	}
	return false
}

// personal kinds count towards a record.
func (k kind) personal() bool { return k != kNone && k != kCorporate }

func kindIndex(s string) (kind, bool) {
	for i, n := range kindNames {
		if n == s && n != "" {
			return kind(i), true
		}
	}
	return kNone, false
}

// Kind masks for counting a record's kinds with popcounts.
var (
	personalMask = maskOf(func(k kind) bool { return k.personal() })
	anchorMask   = maskOf(func(k kind) bool { return k.anchor() && k.personal() })
	strongMask   = maskOf(func(k kind) bool { return k.strong() })
)

func maskOf(f func(kind) bool) uint32 {
	var m uint32
	for k := kind(1); k < numKinds; k++ {
		if f(k) {
			m |= 1 << k
		}
	}
	return m
}
