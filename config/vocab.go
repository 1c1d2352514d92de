package config

// The rule vocabulary: the words a rule may use in the config file. They
// are defined here once because config validates them and must not import
// package policy; policy builds its types on these constants, so a word
// cannot be valid in the config and unknown to policy or the other way
// round.

// Rule actions (rules[].action).
const (
	ActionPass          = "pass"
	ActionForceBCC      = "force_bcc"
	ActionSplit         = "split"
	ActionDelay         = "delay"
	ActionHoldSelfCheck = "hold_selfcheck"
	ActionHoldApproval  = "hold_approval"
	ActionQuarantine    = "quarantine"
	ActionReject        = "reject"
	ActionAddHeader     = "add_header"
	ActionNotify        = "notify"
)

// Content verdicts (rules[].when.content).
const (
	VerdictPersonalData = "personal_data"
	VerdictEncrypted    = "encrypted"
	VerdictUnscannable  = "unscannable"
	VerdictClean        = "clean"
)

// Rule modes (rules[].mode); "" means ModeEnforce.
const (
	ModeEnforce = "enforce"
	ModeMonitor = "monitor"
)

// Actions returns every rule action, in the order the docs list them.
func Actions() []string {
	return []string{ActionPass, ActionForceBCC, ActionSplit, ActionDelay, ActionHoldSelfCheck,
		ActionHoldApproval, ActionQuarantine, ActionReject, ActionAddHeader, ActionNotify}
}

// Verdicts returns every content verdict a rule may match.
func Verdicts() []string {
	return []string{VerdictPersonalData, VerdictEncrypted, VerdictUnscannable, VerdictClean}
}
