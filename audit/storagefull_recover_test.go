package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/okuri/okuri/internal/testenv"
)

// TestEmbeddedStorageFullRecovers fills the embedded JetStream's disk,
// then makes room without restarting anything. nats-server stops taking
// messages in two ways that do not heal by themselves: it fixes its
// storage limit at start from the free space then ("limit": the disk was
// nearly full when okuri started), and it disables JetStream after a
// write failed with ENOSPC ("enospc": something else filled the disk
// later). While events wait, /readyz (Log.Ready) is not ready and
// okuri_audit_publish_stalled is 1; once there is room again every event
// is published, in one unbroken chain, without a restart.
func TestEmbeddedStorageFullRecovers(t *testing.T) {
	for _, tc := range []struct {
		name string
		size string
		fill func(t *testing.T, dir string) // after Open
		room func(t *testing.T, dir string)
	}{
		{"limit", "1m", func(*testing.T, string) {}, func(t *testing.T, dir string) {
			testenv.ResizeTmpfs(t, dir, "16m")
		}},
		{"enospc", "16m", func(t *testing.T, dir string) {
			// Another program takes the disk after okuri started; a
			// little is left, so the stream's blocks are what hits the end.
			testenv.FillDisk(t, filepath.Join(dir, "filler"), 256<<10)
		}, func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testenv.MountTmpfs(t, tc.size)
			ob := newBoltOutbox(t, openBolt(t), OutboxOptions{})
			reg := prometheus.NewRegistry()
			o := fastOptions(Options{DataDir: dir, StallAfter: 300 * time.Millisecond})
			o.BackoffMax = 100 * time.Millisecond
			l, err := Open(context.Background(), o, ob, reg, testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				l.Close(cctx)
			}()
			ctx := context.Background()
			if err := l.Emit(ctx, mailEvents(10, "warm")...); err != nil {
				t.Fatal(err)
			}
			waitDrained(t, ob, 30*time.Second)
			tc.fill(t, dir)

			// Emit until events stop leaving the outbox.
			emitted := 10
			stalled := false
			deadline := time.Now().Add(60 * time.Second)
			for !stalled && time.Now().Before(deadline) {
				if err := l.Emit(ctx, mailEvents(200, "fill")...); err != nil {
					t.Fatal(err)
				}
				emitted += 200
				stalled = waitFor(2*time.Second, func() bool { return l.Ready(ctx) != nil })
			}
			if !stalled {
				t.Fatalf("Ready stayed nil after %d events on a %s tmpfs", emitted, tc.size)
			}
			err = l.Ready(ctx)
			if !strings.Contains(err.Error(), "waiting") {
				t.Errorf("Ready while stalled = %q, want it to say events are waiting", err)
			}
			if v := metricValue(t, reg, "okuri_audit_publish_stalled"); v != 1 {
				t.Errorf("okuri_audit_publish_stalled = %v while stalled, want 1", v)
			}
			if v := metricValue(t, reg, "okuri_audit_nats_connected"); v != 0 {
				t.Errorf("okuri_audit_nats_connected = %v while JetStream refuses events, want 0", v)
			}
			waiting, _ := l.Pending(ctx)
			t.Logf("stalled after %d events, %d waiting: %v", emitted, waiting, err)

			tc.room(t, dir)
			waitDrained(t, ob, 60*time.Second)
			if !waitFor(10*time.Second, func() bool { return l.Ready(ctx) == nil }) {
				t.Errorf("Ready after recovery = %v", l.Ready(ctx))
			}
			if v := metricValue(t, reg, "okuri_audit_publish_stalled"); v != 0 {
				t.Errorf("okuri_audit_publish_stalled = %v after recovery, want 0", v)
			}
			if v := metricValue(t, reg, "okuri_audit_nats_connected"); v != 1 {
				t.Errorf("okuri_audit_nats_connected = %v after recovery, want 1", v)
			}
			checkStream(t, readAll(t, embeddedJS(t, l), "OKURI_AUDIT"), "test-1", emitted)
		})
	}
}

// waitFor polls cond every 10ms until it holds or within has passed.
func waitFor(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}
