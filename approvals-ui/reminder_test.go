package approvalsui

import (
	"context"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// TestReminderOnce: a held message whose deadline is within
// ui.reminder_before gets one reminder, not one per pass.
func TestReminderOnce(t *testing.T) {
	f := newFixture(t, "embedded")
	f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
	f.put(uBob, "support", quarantine.StateHeldSelfCheck)
	f.clock.Add(23*time.Hour + 30*time.Minute) // 30 minutes before both deadlines
	f.s.remindOnce(context.Background(), time.Hour)
	f.s.remindOnce(context.Background(), time.Hour)
	n := f.queuedNotices()
	if len(n[uAlice]) != 1 || len(n[uBob]) != 1 {
		t.Fatalf("reminders: alice %d, bob %d", len(n[uAlice]), len(n[uBob]))
	}
}
