package detect

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Location says where a finding was made. Its JSON form (okuri scan
// -json) uses snake_case keys and leaves out empty fields but part.
type Location struct {
	Part   string `json:"part"`             // MIME part path, e.g. "1.2"
	Path   string `json:"path,omitempty"`   // file path inside archives, e.g. "a.zip/b.xlsx"
	Sheet  string `json:"sheet,omitempty"`  // spreadsheet sheet name
	Column string `json:"column,omitempty"` // column header, or letter when there is none
}

// Finding is one kind of personal data found at one Location.
type Finding struct {
	Kind    string   `json:"kind"`    // stable snake_case name, e.g. "my_number", "phone"
	Count   int      `json:"count"`   // matches
	Records int      `json:"records"` // personal-data records this finding contributes to
	Strong  bool     `json:"strong"`  // a strong ID (my_number, credit_card, ...)
	Where   Location `json:"where"`   // where it was found
	Samples []string `json:"samples"` // masked samples only, at most 3
}

// Summary is the message-level result after applying Config thresholds.
type Summary struct {
	PersonalData bool           `json:"personal_data"` // thresholds met
	Records      int            `json:"records"`       // personal-data records over all documents
	Kinds        map[string]int `json:"kinds"`         // matches per kind
	Strong       bool           `json:"strong"`        // at least one strong ID
	Reasons      []string       `json:"reasons"`       // why, in English, deterministic order
}

// Engine holds the compiled configuration. It is immutable after New and
// safe for concurrent use by any number of Reports.
type Engine struct {
	cfg        Config
	kw         *keywordSet
	ownDomains []string
	ownPhones  map[string]struct{}
	ownAddrs   [][]byte
	policies   []compiledPattern
	// bornBy is the latest birth year an unlabelled date may have
	// (entry.go): minAge years before the engine was built.
	bornBy int
}

// New compiles cfg. It returns every configuration problem at once.
func New(cfg Config) (*Engine, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("detect config: %w", err)
	}
	e := &Engine{cfg: cfg, ownPhones: map[string]struct{}{}, bornBy: time.Now().Year() - minAge}
	e.kw = newKeywordSet(cfg.Keywords)
	for _, d := range cfg.OwnDomains {
		e.ownDomains = append(e.ownDomains, string(lowerASCII([]byte(foldString(d)))))
	}
	for _, p := range cfg.OwnPhones {
		d := digitsOf(p)
		if len(d) >= 9 {
			e.ownPhones[normPhone(d)] = struct{}{}
		}
	}
	for _, a := range cfg.OwnAddresses {
		e.ownAddrs = append(e.ownAddrs, []byte(foldString(a)))
	}
	for _, p := range cfg.PolicyPatterns {
		e.policies = append(e.policies, compilePattern(p))
	}
	return e, nil
}

type accKey struct {
	k   kind
	loc Location
}

type acc struct {
	count   int
	records int
	samples []string
}

// Report collects the findings of one message. It is not safe for
// concurrent use: feed it from one goroutine, or one Report per message.
type Report struct {
	e       *Engine
	accs    map[accKey]*acc
	records int
	strong  bool
}

// NewReport starts the findings of one message.
func (e *Engine) NewReport() *Report {
	return &Report{e: e, accs: map[accKey]*acc{}}
}

func (r *Report) acc(k kind, loc Location) *acc {
	key := accKey{k, loc}
	a := r.accs[key]
	if a == nil {
		a = &acc{}
		r.accs[key] = a
	}
	return a
}

// finding still wants samples, so masking costs nothing on big lists.
// Findings returns the findings ordered by location, then kind.
func (r *Report) Findings() []Finding {
	out := make([]Finding, 0, len(r.accs))
	keys := make([]accKey, 0, len(r.accs))
	for k := range r.accs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b accKey) int {
		return cmp.Or(
			cmp.Compare(a.loc.Part, b.loc.Part),
			cmp.Compare(a.loc.Path, b.loc.Path),
			cmp.Compare(a.loc.Sheet, b.loc.Sheet),
			cmp.Compare(a.loc.Column, b.loc.Column),
			cmp.Compare(a.k, b.k),
		)
	})
	for _, k := range keys {
		a := r.accs[k]
		if a.count == 0 {
			continue
		}
		out = append(out, Finding{
			Kind:    k.k.String(),
			Count:   a.count,
			Records: a.records,
			Strong:  k.k.strong(),
			Where:   k.loc,
			Samples: append([]string{}, a.samples...), // [] not null in JSON
		})
	}
	return out
}

// Summary applies the Config thresholds to everything reported so far.
func (r *Report) Summary() Summary {
	s := Summary{Kinds: map[string]int{}, Records: r.records, Strong: r.strong}
	var strongKinds []string
	for k, a := range r.accs {
		if k.k == kCorporate {
			continue
		}
		s.Kinds[k.k.String()] += a.count
		if k.k.strong() && a.count > 0 && !slices.Contains(strongKinds, k.k.String()) {
			strongKinds = append(strongKinds, k.k.String())
		}
	}
	slices.Sort(strongKinds)
	cfg := r.e.cfg
	if cfg.StrongIsPersonal && s.Strong {
		s.PersonalData = true
		s.Reasons = append(s.Reasons, "strong ID: "+joinComma(strongKinds))
	}
	if cfg.MinRecords > 0 && s.Records >= cfg.MinRecords {
		s.PersonalData = true
		s.Reasons = append(s.Reasons, fmt.Sprintf("%d personal-data records (threshold %d)", s.Records, cfg.MinRecords))
	}
	return s
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
