package test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestReliabilityLeaseConfigRuns: a queue.lease that check-config accepts
// must also let okuri run. config requires lease ≥ 2×relay.timeout, but
// okuri run gave the worker a send timeout of 5×relay.timeout and the
// worker refuses a lease not above that, so e.g. relay.timeout 5s with
// lease 10s passed check-config and then okuri did not start. Found
// while choosing short leases for the crash and scale-out tests; fixed in
// c4126a4 (the send timeout stays within half the lease).
func TestReliabilityLeaseConfigRuns(t *testing.T) {
	e := newEnv(t)
	e.Cfg.RelayTimeout = "5s"
	e.Cfg.Queue = "  lease: 10s"
	e.writeConfig()
	if out, err := runOkuri(nil, "check-config", "-config", e.cfgPath); err != nil {
		t.Logf("check-config refuses the lease (%v: %s): consistent with run", err, strings.TrimSpace(out))
		return
	}
	// okuri either starts (and is stopped by the timeout) or exits at once.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var logs syncBuffer
	cmd := exec.CommandContext(ctx, okuriBin, "run", "-config", e.cfgPath)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), `"msg":"okuri started"`) {
		if strings.Contains(logs.String(), `"msg":"start failed"`) || time.Now().After(deadline) {
			t.Fatalf("check-config accepted relay.timeout 5s with queue.lease 10s, but okuri run did not start:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
