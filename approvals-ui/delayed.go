package approvalsui

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/okuri/okuri/approvals-ui/notice"
	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
)

// The delayed-send page and digest. With a delay rule every external
// message waits a few minutes; one notice per message would bury the
// sender in mail. The page lists the sender's own delayed messages with
// 今すぐ送信 and 送信を取り消す; with ui.delay_notice: digest the sender
// gets at most one list per ui.delay_digest_every instead of a notice
// per message.

type delayedPage struct {
	Base
	Rows []*holdView
}

// delayedList is the signed-in sender's delayed sends, soonest first.
func (s *Server) delayedList(w http.ResponseWriter, r *http.Request, p *principal) {
	q := p.scopes()["mine"]
	q.State, q.Limit = quarantine.StateHeldDelay, 200
	page := &delayedPage{Base: s.base(r, p, "delayed")}
	rows, _, err := s.list(r.Context(), page.Lang, "mine", q, p)
	if err != nil {
		s.log.Error("ui: delayed list", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	slices.SortStableFunc(rows, func(a, b *holdView) int { return strings.Compare(a.Deadline, b.Deadline) })
	page.Rows = rows
	s.emit(r.Context(), r, audit.TypeUIViewed, p.Addr, audit.Event{Attrs: map[string]string{"page": "delayed", "count": itoa(len(rows))}})
	s.render(w, r, "delayed", page)
}

// digestLoop sends the delayed-send digests when ui.delay_notice is
// "digest".
func (s *Server) digestLoop(ctx context.Context) {
	if s.conf().UI.DelayNotice != "digest" {
		return
	}
	t := time.NewTicker(s.conf().UI.DelayDigest())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.digestOnce(ctx)
	}
}

// digestOnce mails each sender with delayed messages not yet announced
// one list of all their delayed messages. A key per message in the store
// marks it announced, so instances sharing a store send it once.
func (s *Server) digestOnce(ctx context.Context) {
	page, err := s.st.List(ctx, quarantine.Query{Scope: quarantine.Scope{All: true}, State: quarantine.StateHeldDelay, Limit: 1000})
	if err != nil {
		s.log.Warn("ui: delay digest", "err", err)
		return
	}
	bySender := map[string][]*quarantine.Message{}
	var order []string
	for _, m := range page.Messages {
		snd := lower(senderAddr(m))
		if _, ok := bySender[snd]; !ok {
			order = append(order, snd)
		}
		bySender[snd] = append(bySender[snd], m)
	}
	for _, snd := range order {
		s.digestFor(ctx, snd, bySender[snd])
	}
}

func (s *Server) digestFor(ctx context.Context, sender string, ms []*quarantine.Message) {
	var fresh *quarantine.Message
	for _, m := range ms {
		if _, err := s.st.SessionGet(ctx, "ui:dig:"+m.ID); err != nil && fresh == nil {
			fresh = m
		}
	}
	if fresh == nil {
		return // nothing new since the last digest
	}
	var lines []string
	for _, m := range ms {
		lines = append(lines, fmtTime(m.HoldUntil)+"  "+subjectLine(m)+"  → "+strings.Join(m.To, ", "))
		s.st.SessionPut(ctx, "ui:dig:"+m.ID, []byte("1"), m.HoldUntil.Sub(s.now())+24*time.Hour)
	}
	s.queueNotice(ctx, fresh.ID, "delay_digest", sender, notice.Notice{
		Subject: [2]string{"一時保留（送信待ち）のメール一覧", "Your delayed sends"},
		Lines: [][2]string{
			{"次のメールは一時保留（送信待ち）です。期限（日本時間）に自動で送信されます。今すぐ送信や送信の取り消しは下のリンクの画面からできます。",
				"These messages are delayed sends: each goes out at its deadline (Japan time). To send one now or cancel it, open the page below."},
			signInLine,
		},
		Facts: []notice.Fact{{Label: [2]string{"期限・件名・宛先", "Deadline, subject, recipients"}, Values: lines}},
		Link:  s.conf().UI.URL() + "/delayed",
	})
}
