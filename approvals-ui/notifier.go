package approvalsui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/oklog/ulid/v2"

	"github.com/okuri/okuri/approvals-ui/notice"
	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
)

// Held is the Notifier the gateway calls after it stored a held message
// (and the sweeper, for a message whose notices were not reported
// queued): it queues the notices — to the sender (why, deadline, link)
// and, for held_approval, to each approver (link) — from the record
// alone. Notice ids derive from the message, kind and recipient, so a
// second call queues nothing twice. The error says some notice could not
// be stored; the mail itself is never failed for it.
func (s *Server) Held(ctx context.Context, m *quarantine.Message) error {
	d := s.explain(m)
	sender := senderAddr(m)
	ja, en := reason(m, d)
	deadline := deadlineLine(m)
	url := s.conf().UI.URL() + "/holds/" + m.ID
	subj := subjectLine(m)
	var lines [][2]string
	link := url
	switch m.State {
	case quarantine.StateHeldSelfCheck:
		link = s.SelfCheckURL(m)
		lines = [][2]string{
			{"このメールは" + ja + "保留されました。宛先と添付ファイルを確認のうえ送信してください。", "This message was held because it " + en + ". Check the recipients and attachments, then send it."},
			deadline,
			{"下のリンクは1回だけ使えます。期限を過ぎると送信されません。", "The link below works once. After the deadline the message is not sent."},
		}
	case quarantine.StateHeldApproval:
		lines = [][2]string{
			{"このメールは" + ja + "保留され、上長承認を待っています。", "This message was held because it " + en + " and awaits supervisor approval."},
			deadline, signInLine,
		}
	case quarantine.StateHeldDelay:
		if !s.delayEach() {
			return nil // the digest or the 一時保留 page tells the sender
		}
		lines = [][2]string{
			{"このメールは一時保留（送信待ち）です。期限に自動で送信されます。今すぐ送信または送信の取り消しができます。", "This message is a delayed send: it goes out at the deadline. You can send it now or cancel it."},
			deadline, signInLine,
		}
	case quarantine.StateQuarantined:
		lines = [][2]string{
			{"このメールは" + ja + "隔離されました。セキュリティ担当が確認します。", "This message was quarantined because it " + en + ". The security team will review it."},
		}
		link = ""
	default:
		return nil
	}
	lines = append([][2]string{{"件名：" + subj, "Subject: " + subj}}, lines...)
	err := s.queueNotice(ctx, m.ID, "held", sender, notice.Notice{Subject: [2]string{"保留メールのお知らせ", "Your message was held"}, Lines: lines, Link: link})
	switch m.State {
	case quarantine.StateHeldApproval:
		err = errors.Join(err, s.askApprovers(ctx, m, d))
	case quarantine.StateQuarantined:
		err = errors.Join(err, s.tellSecurityTeam(ctx, m, d))
	}
	return err
}

// signInLine tells people which password the UI wants: the one their
// mail program uses to send (SMTP AUTH), not a second one.
var signInLine = [2]string{"画面には、メールソフトの送信設定と同じメールアドレスとパスワードでログインできます。",
	"Sign in with the same address and password your mail program uses to send."}

func deadlineLine(m *quarantine.Message) [2]string {
	return [2]string{"期限：" + fmtTime(m.HoldUntil) + "（日本時間）", "Deadline: " + m.HoldUntil.In(jst).Format("Jan 2 15:04 MST")}
}

// askApprovers sends each approver the request they can decide from: the
// headline, recipients, attachment names, and approve/reject links.
func (s *Server) askApprovers(ctx context.Context, m *quarantine.Message, d *quarantine.Explain) error {
	if d == nil {
		return nil // nobody to ask: the record names no approvers
	}
	var errs error
	sender := senderAddr(m)
	ja, en := reason(m, d)
	facts := noticeFacts(m)
	for _, a := range d.Approvers {
		if strings.EqualFold(a, sender) {
			continue
		}
		n := notice.Notice{
			Subject: [2]string{"承認待ちのメールがあります", "A message awaits your approval"},
			Lines: [][2]string{
				{headline("ja", m, d), headline("en", m, d)},
				{sender + " さんのメールが承認を待っています。保留理由：" + ja, "A message from " + sender + " awaits your approval. Reason: " + en + "."},
				{"件名：" + subjectLine(m), "Subject: " + subjectLine(m)},
				deadlineLine(m),
				{"下のリンクから画面にサインインして、内容を確認のうえ承認・却下してください。",
					"Sign in through the link below to review the message and approve or reject it."},
			},
			Facts: facts,
			Link:  s.conf().UI.URL() + "/holds/" + m.ID,
		}
		if s.conf().UI.DecisionLinksOn() {
			approve, reject := s.DecideURLs(m, a)
			n.Lines[4] = [2]string{"下のボタンから確認画面を開いて承認・却下できます（ボタンは1回だけ使えます）。詳しい内容は最後のリンクから画面で確認できます。",
				"The buttons open a page to confirm approval or rejection (they work once). The last link opens the full message."}
			n.Buttons = []notice.Button{{Label: [2]string{"承認する", "Approve"}, URL: approve},
				{Label: [2]string{"却下する", "Reject"}, URL: reject}}
		}
		errs = errors.Join(errs, s.queueNotice(ctx, m.ID, "approve", a, n))
	}
	return errs
}

// noticeFacts lists the recipients and attachment names for a notice:
// both are the sender's own choices, not detected values. The
// attachments are the scanner's parts, as the self-check lists them.
func noticeFacts(m *quarantine.Message) []notice.Fact {
	facts := []notice.Fact{{Label: [2]string{"宛先", "Recipients"}, Values: m.To}}
	var atts []string
	for _, a := range fromParts(m.Parts) {
		atts = append(atts, a.Name+" ("+a.SizeText()+")")
	}
	if len(atts) > 0 {
		facts = append(facts, notice.Fact{Label: [2]string{"添付ファイル", "Attachments"}, Values: atts})
	}
	return facts
}

// reason is why the message was held, as a clause ("…ため", "it …").
// Records without the recorded sentence say which rule applied.
func reason(m *quarantine.Message, d *quarantine.Explain) (ja, en string) {
	switch {
	case d != nil && d.ReasonJA != "":
		return d.ReasonJA, d.ReasonEN
	case m.Decision.Rule == "":
		return "送信条件に該当しませんでした", "no rule applied"
	}
	return "ルール「" + m.Decision.Rule + "」に該当したため", "rule " + m.Decision.Rule + " applied"
}

// Rejected is called by the gateway after a reject rule refused a
// message: the client got a 5xx already, and the sender also gets a
// notice saying why, in their language.
func (s *Server) Rejected(ctx context.Context, m *quarantine.Message) {
	ja, en := reason(m, s.explain(m))
	subj := subjectLine(m)
	id := m.ID
	if id == "" {
		id = ulid.Make().String()
	}
	s.queueNotice(ctx, id, "policy_rejected", senderAddr(m), notice.Notice{Subject: [2]string{"メールは送信されませんでした", "Your message was not sent"},
		Lines: [][2]string{{"件名：" + subj, "Subject: " + subj},
			{"このメールは" + ja + "送信できません。", "This message cannot be sent because it " + en + "."}}})
}

// OnExpired is the sweeper's notice hook (quarantine.SweeperOptions.OnExpired):
// it tells the sender their message expired and was not sent.
func (s *Server) OnExpired(ctx context.Context, m *quarantine.Message) { s.notifyOutcome(ctx, m) }

// notifyOutcome tells the sender what became of their held message when
// someone else decided (approval, rejection, release, deletion) or time
// ran out. Their own actions get no mail.
func (s *Server) notifyOutcome(ctx context.Context, m *quarantine.Message) {
	if len(m.History) == 0 {
		return
	}
	h := m.History[len(m.History)-1]
	sender := senderAddr(m)
	if sender == "" || (h.Actor.User != "" && strings.EqualFold(h.Actor.User, sender)) {
		return
	}
	subj := subjectLine(m)
	var title [2]string
	var line [2]string
	switch h.What {
	case audit.TypeMessageApproved:
		title, line = [2]string{"メールが承認されました", "Your message was approved"}, [2]string{"上長が承認したため、メールを送信します。", "Your supervisor approved it; it is being sent."}
	case audit.TypeMessageRejected:
		title, line = [2]string{"メールが却下されました", "Your message was rejected"}, [2]string{"承認者が却下したため、メールは送信されません。", "An approver rejected it; it will not be sent."}
	case audit.TypeMessageExpired:
		title, line = [2]string{"期限切れ（未送信）のお知らせ", "Your message expired (not sent)"}, [2]string{"期限までに確認されなかったため、メールは送信されませんでした。", "Nobody acted before the deadline; it was not sent."}
	case audit.TypeMessageReleased:
		title, line = [2]string{"隔離されたメールが解放されました", "Your quarantined message was released"}, [2]string{"セキュリティ担当が解放したため、メールを送信します。", "The security team released it; it is being sent."}
	case audit.TypeMessageDeleted:
		title, line = [2]string{"隔離されたメールが削除されました", "Your quarantined message was deleted"}, [2]string{"セキュリティ担当が削除したため、メールは送信されません。", "The security team deleted it; it will not be sent."}
	default:
		return
	}
	lines := [][2]string{{"件名：" + subj, "Subject: " + subj}, line}
	if h.Comment != "" && h.What != audit.TypeMessageExpired {
		lines = append(lines, [2]string{"コメント：" + h.Comment, "Comment: " + h.Comment})
	}
	s.queueNotice(ctx, m.ID, h.What, sender, notice.Notice{Subject: title, Lines: lines, Link: s.conf().UI.URL() + "/holds/" + m.ID})
}

// senderAddr is where notices to the sender go: the envelope sender (the
// address the sender's client used), else the login.
func senderAddr(m *quarantine.Message) string {
	if m.From != "" {
		return m.From
	}
	return m.AuthUser
}

func subjectLine(m *quarantine.Message) string {
	s := visible(strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, m.Headers.Subject))
	if s == "" {
		return "(件名なし / no subject)"
	}
	return s
}

// queueNotice stores a notice as a queued message with the null reverse
// path, like a DSN: the worker delivers it with retries, it is never
// scanned or held (it does not pass the gateway), and a bounce of it goes
// nowhere. Its id derives from (message, kind, recipient), so a repeated
// call queues it once. The error is the store's: trying again may work.
func (s *Server) queueNotice(ctx context.Context, refID, kind, to string, n notice.Notice) error {
	if to == "" || !strings.Contains(to, "@") {
		return nil // nowhere to send it, now or later
	}
	from := s.conf().UI.NoticeFrom
	if from == "" {
		from = "okuri@" + s.conf().SMTP.Hostname
	}
	now := s.now()
	n.From, n.FromName, n.To, n.Date, n.Hostname = from, s.conf().UI.FromName(), to, now, s.conf().SMTP.Hostname
	subject := n.Subject
	body, err := notice.Compose(n)
	if err != nil {
		s.log.Error("ui: notice", "id", refID, "kind", kind, "err", err)
		return nil // composing fails the same way every time
	}
	nm := &quarantine.Message{
		ID: noticeID(refID, kind, to), Received: now, From: "", To: []string{to},
		Headers:  quarantine.Headers{From: s.conf().UI.FromName(), To: to, Subject: subject[0] + " / " + subject[1]},
		Decision: quarantine.Decision{Action: "notice", Explanation: kind + " notice for " + refID},
		State:    quarantine.StateQueued,
	}
	err = s.st.Put(ctx, nm, bytes.NewReader(body))
	if errors.Is(err, quarantine.ErrExists) {
		return nil // queued before (a second call for the same message)
	}
	if err != nil {
		s.log.Error("ui: queue notice", "id", refID, "kind", kind, "err", err)
		return fmt.Errorf("ui: queue %s notice for %s: %w", kind, refID, err)
	}
	s.log.Info("ui: notice queued", "id", refID, "kind", kind, "notice", nm.ID)
	if s.o.Kick != nil {
		s.o.Kick()
	}
	return nil
}

// noticeID derives a ULID from the message id (its time part) and a hash
// of kind and recipient.
func noticeID(refID, kind, to string) string {
	orig, err := ulid.ParseStrict(refID)
	if err != nil {
		return ""
	}
	h := sha256.Sum256(fmt.Appendf(nil, "notice:%s:%s:%s", refID, kind, lower(to)))
	var u ulid.ULID
	u.SetTime(orig.Time())
	copy(u[6:], h[:10])
	return u.String()
}

// tellSecurityTeam sends policy.security_team the quarantine notice: the
// headline, the sender, recipients and attachment names, and the page.
func (s *Server) tellSecurityTeam(ctx context.Context, m *quarantine.Message, d *quarantine.Explain) error {
	var errs error
	ja, en := reason(m, d)
	facts := append([]notice.Fact{{Label: [2]string{"送信者", "Sender"}, Values: []string{senderAddr(m)}}}, noticeFacts(m)...)
	for _, a := range s.conf().Policy.SecurityTeam {
		errs = errors.Join(errs, s.queueNotice(ctx, m.ID, "quarantined", a, notice.Notice{
			Subject: [2]string{"隔離されたメールがあります", "A message was quarantined"},
			Lines: [][2]string{
				{headline("ja", m, d), headline("en", m, d)},
				{"保留理由：" + ja, "Reason: " + en + "."},
				{"件名：" + subjectLine(m), "Subject: " + subjectLine(m)},
				{"画面で内容を確認し、解放（送信）または削除してください。", "Review it in the UI, then release (send) or delete it."},
			},
			Facts: facts,
			Link:  s.conf().UI.URL() + "/holds/" + m.ID,
		}))
	}
	return errs
}

// delayEach reports whether delayed sends get one notice each.
func (s *Server) delayEach() bool {
	v := s.conf().UI.DelayNotice
	return v == "" || v == "each"
}
