package policy

import (
	"testing"

	"github.com/okuri/okuri/config"
)

// TestVocabularyHasMeaning: every action config accepts is one policy
// parses and can show to people, and nothing else parses; every content
// verdict config accepts is one policy can find in a message.
func TestVocabularyHasMeaning(t *testing.T) {
	for _, s := range config.Actions() {
		a, ok := parseAction(s)
		if !ok {
			t.Errorf("config accepts action %q, policy does not", s)
			continue
		}
		if ja, en := a.Label(); ja == s && en == s {
			t.Errorf("action %q has no label", s)
		}
	}
	for _, s := range []string{"hold", "HOLD_APPROVAL", "bcc", ""} {
		if _, ok := parseAction(s); ok {
			t.Errorf("parseAction(%q) accepted a word config refuses", s)
		}
	}
	produced := map[string]bool{}
	for _, c := range []Content{{PersonalData: true, Unscannable: true, Encrypted: true}, {Verdict: config.VerdictClean}} {
		for _, v := range verdicts(c) {
			produced[v] = true
		}
	}
	for _, v := range config.Verdicts() {
		if !produced[v] {
			t.Errorf("config accepts verdict %q, policy never finds it", v)
		}
	}
}
