package approvalsui

import (
	"context"
	"time"

	"github.com/okuri/okuri/approvals-ui/notice"
	"github.com/okuri/okuri/quarantine"
)

// reminderLoop sends one reminder per held message when its deadline is
// closer than ui.reminder_before: to the sender for a self-check, to the
// approvers for an approval. A key in the store marks it sent, so several
// instances send it once (at worst twice in a narrow race).
func (s *Server) reminderLoop(ctx context.Context) {
	before := s.conf().UI.Reminder()
	if before <= 0 {
		return
	}
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		s.remindOnce(ctx, before)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) remindOnce(ctx context.Context, before time.Duration) {
	now := s.now()
	for _, st := range []quarantine.State{quarantine.StateHeldSelfCheck, quarantine.StateHeldApproval} {
		page, err := s.st.List(ctx, quarantine.Query{Scope: quarantine.Scope{All: true}, State: st, Limit: 1000})
		if err != nil {
			s.log.Warn("ui: reminders", "err", err)
			return
		}
		for _, m := range page.Messages {
			if m.HoldUntil.IsZero() || m.HoldUntil.Sub(now) > before || !m.HoldUntil.After(now) {
				continue
			}
			key := "ui:rem:" + m.ID
			if _, err := s.st.SessionGet(ctx, key); err == nil {
				continue
			}
			s.st.SessionPut(ctx, key, []byte("1"), before+24*time.Hour)
			s.remind(ctx, m)
		}
	}
}

func (s *Server) remind(ctx context.Context, m *quarantine.Message) {
	subj := subjectLine(m)
	title := [2]string{"【リマインダー】保留メールの期限が近づいています", "Reminder: a held message's deadline is near"}
	lines := [][2]string{{"件名：" + subj, "Subject: " + subj}, deadlineLine(m),
		{"期限を過ぎると、このメールは送信されません。", "After the deadline the message is not sent."}}
	if m.State == quarantine.StateHeldSelfCheck {
		s.queueNotice(ctx, m.ID, "remind", senderAddr(m), notice.Notice{Subject: title, Lines: lines, Link: s.SelfCheckURL(m)})
		return
	}
	d := s.explain(m)
	if d == nil {
		return
	}
	lines = append([][2]string{{headline("ja", m, d), headline("en", m, d)}}, lines...)
	for _, a := range d.Approvers {
		s.queueNotice(ctx, m.ID, "remind", a, notice.Notice{Subject: title, Lines: lines, Link: s.conf().UI.URL() + "/holds/" + m.ID})
	}
}
