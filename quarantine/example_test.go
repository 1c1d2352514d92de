package quarantine_test

import (
	"context"
	"errors"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
)

// Example shows the wiring the gateway does: one bbolt DB shared by the
// store and the audit outbox, a worker and a sweeper, a held message, an
// approval from the UI, and a list query.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "okuri")
	defer os.RemoveAll(dir)

	db, err := bbolt.Open(filepath.Join(dir, "okuri.db"), 0o600, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	outbox, err := audit.NewBoltOutbox(db, audit.OutboxOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer outbox.Close()
	st, err := quarantine.OpenEmbedded(quarantine.EmbeddedOptions{Dir: dir, DB: db, Outbox: outbox})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	upstream, _ := relay.NewDirSender(filepath.Join(dir, "out"))
	w, _ := quarantine.NewWorker(quarantine.WorkerOptions{
		Store: st, Sender: upstream, DSN: quarantine.DSNOptions{ReportingMTA: "okuri.example"},
	})
	sw, _ := quarantine.NewSweeper(quarantine.SweeperOptions{Store: st, OnQueued: w.Kick})
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go w.Run(runCtx)
	go sw.Run(runCtx)

	// The gateway: policy decided "approval"; store durably, then 250.
	m := &quarantine.Message{
		From: "taro@office.example", To: []string{"customer@example.com"},
		AuthUser: "taro", ClientIP: "192.0.2.1", Group: "sales",
		Headers:   quarantine.Headers{Subject: "顧客リスト"},
		Decision:  quarantine.Decision{Action: "approval", Rule: "pii-attachment"},
		State:     quarantine.StateHeldApproval,
		HoldUntil: time.Now().Add(72 * time.Hour),
	}
	err = st.Put(ctx, m, strings.NewReader("Subject: ...\r\n\r\nbody\r\n"))
	if errors.Is(err, quarantine.ErrStorageFull) {
		log.Print("452 4.3.1 Insufficient system storage")
		return
	} else if err != nil {
		log.Print("451 4.3.0 Try again later")
		return
	}
	log.Printf("250 2.0.0 Ok: held as %s (approval)", m.ID)

	// The UI: an approver of group "sales" approves (compare-and-set).
	_, err = st.Transition(ctx, m.ID, quarantine.Change{
		From: quarantine.StateHeldApproval, To: quarantine.StateQueued,
		Actor: quarantine.Actor{Kind: quarantine.ActorApprover, User: "boss", IP: "198.51.100.7"}, Comment: "ok",
	})
	if errors.Is(err, quarantine.ErrConflict) {
		log.Print("someone else acted first")
	}
	w.Kick()

	// The UI's list: held for approval in group sales, newest first.
	page, _ := st.List(ctx, quarantine.Query{Scope: quarantine.Scope{Groups: []string{"sales"}}, Group: "sales", State: quarantine.StateHeldApproval, Limit: 50})
	for _, m := range page.Messages {
		log.Print(m.ID, m.State)
	}
	// page.Next is the cursor for the next page (Query.Before).
}
