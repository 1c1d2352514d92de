package policy

// Action is what a rule does, and what a Decision tells the gateway to do.
type Action string

// Actions. A Decision's Action is one of Pass, Delay, HoldSelfCheck,
// HoldApproval, Quarantine or Reject; ForceBCC, Split, AddHeader and
// Notify contribute rewrites and side effects to it.
const (
	Pass          Action = "pass"
	ForceBCC      Action = "force_bcc"
	Split         Action = "split"
	Delay         Action = "delay"
	HoldSelfCheck Action = "hold_selfcheck"
	HoldApproval  Action = "hold_approval"
	Quarantine    Action = "quarantine"
	Reject        Action = "reject"
	AddHeader     Action = "add_header"
	Notify        Action = "notify"
)

var allActions = []Action{Pass, ForceBCC, Split, Delay, HoldSelfCheck, HoldApproval, Quarantine, Reject, AddHeader, Notify}

func parseAction(s string) (Action, bool) {
	for _, a := range allActions {
		if string(a) == s {
			return a, true
		}
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
