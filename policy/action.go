package policy

import (
	"slices"

	"github.com/okuri/okuri/config"
)

// Action is what a rule does, and what a Decision tells the gateway to do.
type Action string

// Actions. A Decision's Action is one of Pass, Delay, HoldSelfCheck,
// HoldApproval, Quarantine or Reject; ForceBCC, Split, AddHeader and
// Notify contribute rewrites and side effects to it.
const (
	Pass          Action = config.ActionPass
	ForceBCC      Action = config.ActionForceBCC
	Split         Action = config.ActionSplit
	Delay         Action = config.ActionDelay
	HoldSelfCheck Action = config.ActionHoldSelfCheck
	HoldApproval  Action = config.ActionHoldApproval
	Quarantine    Action = config.ActionQuarantine
	Reject        Action = config.ActionReject
	AddHeader     Action = config.ActionAddHeader
	Notify        Action = config.ActionNotify
)

// parseAction accepts exactly the actions config validates.
func parseAction(s string) (Action, bool) {
	if slices.Contains(config.Actions(), s) {
		return Action(s), true
	}
	return "", false
}

// Rank orders the decision actions: reject > quarantine > hold_approval >
// hold_selfcheck > delay > pass. Rewrites and side effects rank 0.
func (a Action) Rank() int {
	switch a {
	case Reject:
		return 5
	case Quarantine:
		return 4
	case HoldApproval:
		return 3
	case HoldSelfCheck:
		return 2
	case Delay:
		return 1
	}
	return 0
}

// Held reports whether the action stores the message instead of
// delivering it now.
func (a Action) Held() bool {
	return a == Delay || a == HoldSelfCheck || a == HoldApproval || a == Quarantine
}

// Label returns the Japanese and English words people see (GLOSSARY).
func (a Action) Label() (ja, en string) {
	switch a {
	case Pass:
		return "送信", "send"
	case ForceBCC:
		return "BCC変換", "forced BCC"
	case Split:
		return "宛先ごとに分割送信", "split delivery"
	case Delay:
		return "一時保留（送信待ち）", "delayed send"
	case HoldSelfCheck:
		return "送信者確認（セルフチェック）", "self-check"
	case HoldApproval:
		return "上長承認", "supervisor approval"
	case Quarantine:
		return "隔離", "quarantine"
	case Reject:
		return "送信拒否", "rejected"
	case AddHeader:
		return "ヘッダー追加", "header added"
	case Notify:
		return "セキュリティ担当へ通知", "security team notified"
	}
	return string(a), string(a)
}
