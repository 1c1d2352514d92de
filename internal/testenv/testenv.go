// Package testenv gives tests access to the real services on this machine
// (Redis, NATS JetStream) under the project's rule: in CI (CI=true) a test
// whose service is unreachable fails; elsewhere it is skipped with a loud
// message. Each caller gets its own key prefix or stream name so tests can
// run in parallel and clean up after themselves.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// Default addresses of the services; override with OKURI_TEST_REDIS_ADDR
// and OKURI_TEST_NATS_URL.
const (
	defaultRedisAddr = "127.0.0.1:6379"
	defaultNATSURL   = "nats://127.0.0.1:4222"
)

// InCI reports whether the tests run under CI, where missing services are failures.
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1"
}

// RedisAddr returns host:port of the test Redis, failing or skipping t when it is unreachable.
func RedisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("OKURI_TEST_REDIS_ADDR")
	if addr == "" {
		addr = defaultRedisAddr
	}
	require(t, "Redis", addr)
	return addr
}

// NATSURL returns the URL of the test NATS server (JetStream enabled),
// failing or skipping t when it is unreachable.
func NATSURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("OKURI_TEST_NATS_URL")
	if url == "" {
		url = defaultNATSURL
	}
	require(t, "NATS", strings.TrimPrefix(url, "nats://"))
	return url
}

// UniqueName returns a name unique to this test run, for key prefixes and
// stream names: "okuritest_<base>_<random>".
func UniqueName(t testing.TB, base string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("testenv: random: %v", err)
	}
	return fmt.Sprintf("okuritest_%s_%s", base, hex.EncodeToString(b[:]))
}

func require(t testing.TB, what, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		conn.Close()
		return
	}
	if InCI() {
		t.Fatalf("testenv: %s at %s is unreachable and CI=true: %v", what, addr, err)
	}
	t.Skipf("testenv: SKIPPING: %s at %s is unreachable (%v); in CI this test would fail", what, addr, err)
}
