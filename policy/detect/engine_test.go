package detect

import (
	"sync"
	"testing"
)

// TestConcurrentReports uses one Engine from many goroutines (run with
// -race): the Engine is immutable after New.
func TestConcurrentReports(t *testing.T) {
	e := newEngine(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tc := range tableCases {
				if s := scanTable(e, tc.csv).Summary(); s.PersonalData != tc.personal {
					t.Errorf("%s: personal %v", tc.name, s.PersonalData)
				}
			}
			for _, tc := range textCases {
				scanText(e, tc.in, 5)
			}
		}()
	}
	wg.Wait()
}

func TestExtraKeywords(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Keywords = map[string][]string{"policy_number": {"お客様コード"}}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := scanText(e, "お客様コード：K12345678\n", 0)
	if r.Summary().Kinds["policy_number"] != 1 {
		t.Errorf("extra keyword ignored: %+v", r.Findings())
	}
	if r := scanText(newEngine(t), "お客様コード：K12345678\n", 0); r.Summary().Kinds["policy_number"] != 0 {
		t.Errorf("default engine found a policy number without a keyword: %+v", r.Findings())
	}
}

func TestThresholds(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MinRecords = 3
	cfg.StrongIsPersonal = false
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := scanTable(e, tableCases[0].csv).Summary() // two records
	if s.PersonalData || s.Records != 2 {
		t.Errorf("MinRecords 3: %+v", s)
	}
	s = scanText(e, textCases[1].in, 0).Summary() // a My Number
	if s.PersonalData || !s.Strong {
		t.Errorf("StrongIsPersonal false: %+v", s)
	}
}
