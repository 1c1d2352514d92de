package test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/internal/testenv"
)

// TestReliabilityAuditDiskFull fills the disk of the embedded JetStream
// (data_dir/nats on a 16 MB tmpfs) while okuri runs, as another program
// on the same disk would (issue 12 item 15). Mail keeps flowing (every
// message gets its 250: events wait in the outbox), the stall shows on
// /metrics at once and on /readyz once it lasts, and after room comes
// back the same okuri process publishes everything: the outbox drains,
// /readyz is ready, and `okuri audit verify` finds no gap.
func TestReliabilityAuditDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the readiness grace (1 minute)")
	}
	start := time.Now()
	e := newEnv(t)
	natsDir := filepath.Join(e.Cfg.DataDir, "nats")
	if err := os.MkdirAll(natsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	testenv.MountTmpfsAt(t, natsDir, "16m") // unmounted after okuri was killed
	e.Cfg.Tail = relPolicy
	p := e.start()
	tc := relClientTLS(t, e.Cfg.DataDir)
	c, err := relDial(p.SMTP, tc)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	filler := filepath.Join(natsDir, "filler")
	testenv.FillDisk(t, filler, 32<<10)

	// Send in rounds and give the publisher time to notice: a write that
	// fails inside JetStream shows as an ack timeout (10 s by default).
	sent := 0
	for round := 0; relWaitMetric(p, "okuri_audit_publish_stalled", 1, 20*time.Second) != nil; round++ {
		if round == 20 {
			t.Fatalf("publishing never stalled after %d messages on a full disk", sent)
		}
		for range 20 {
			sent++
			if r, _ := relSend(c, sent, relHeld); r.Code != 250 {
				t.Fatalf("seq %d: %d %q while the audit disk is full: mail flow must not depend on it", sent, r.Code, r.Text)
			}
		}
	}
	waiting := relMetric(t, p, "okuri_audit_outbox_events")
	if waiting == 0 {
		t.Fatal("publishing stalled with an empty outbox")
	}
	body := relWaitReadyz(t, p, false, 3*time.Minute)
	if !strings.Contains(body, "audit:") || !strings.Contains(body, "waiting in the outbox") {
		t.Errorf("/readyz while stalled: %q, want it to name the audit stall", body)
	}

	// Room comes back; nothing is restarted by hand.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	relWaitReadyz(t, p, true, 2*time.Minute)
	// Ready once publishing moves again; the backlog drains batch by batch.
	if err := relWaitMetric(p, "okuri_audit_outbox_events", 0, time.Minute); err != nil {
		t.Errorf("outbox after recovery: %v", err)
	}
	if v := relMetric(t, p, "okuri_audit_publish_stalled"); v != 0 {
		t.Errorf("okuri_audit_publish_stalled = %v after recovery", v)
	}
	if r, _ := relSend(c, 1000, relHeld); r.Code != 250 {
		t.Fatalf("after recovery: %d %q", r.Code, r.Text)
	}
	c.Quit()
	p.relStop()
	out, err := exec.Command(okuriBin, "audit", "verify", "-data", e.Cfg.DataDir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "OK") {
		t.Errorf("audit verify after recovery: %v\n%s", err, out)
	}
	t.Logf("%d messages until publishing stalled (%v events waiting); recovered without a restart; %v",
		sent, waiting, time.Since(start).Round(100*time.Millisecond))
}

// relMetric reads an unlabelled metric from okuri's /metrics.
func relMetric(t *testing.T, p *proc, name string) float64 {
	t.Helper()
	v, err := relMetricValue(p, name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func relMetricValue(p *proc, name string) (float64, error) {
	resp, err := http.Get("http://" + p.Metrics + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("metric %s not exported", name)
}

// relWaitMetric polls an unlabelled metric until it has value want.
func relWaitMetric(p *proc, name string, want float64, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		got, err := relMetricValue(p, name)
		if err == nil && got == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s = %v (%v), want %v", name, got, err, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// relWaitReadyz polls /readyz until it is (not) ready and returns its body.
func relWaitReadyz(t *testing.T, p *proc, ready bool, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get("http://" + p.Metrics + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if (resp.StatusCode == http.StatusOK) == ready {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not ready=%v within %s: %d %q", ready, within, resp.StatusCode, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
