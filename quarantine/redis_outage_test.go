package quarantine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// privateRedis runs a redis-server of the test's own, with appendfsync
// always, in dir on port; the caller kills it.
func privateRedis(t *testing.T, dir string, port int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("redis-server", "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--dir", dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return cmd
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("redis-server did not start")
	return nil
}

// TestRedisOutage: a Redis killed with SIGKILL keeps what the store
// acknowledged (appendfsync always); while it is down Put fails with
// ErrUnavailable (the gateway answers 451); when it is back the store
// works again without being reopened.
func TestRedisOutage(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: 1, DialTimeout: 300 * time.Millisecond})
	defer rdb.Close()
	ctx := context.Background()
	if _, err := OpenRedis(ctx, RedisOptions{Client: rdb, RequireDurable: true, Logger: quietLog()}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("open while redis is down: %v", err)
	}
	// The gateway starts anyway and answers 451 until Redis is there.
	s, err := OpenRedis(ctx, RedisOptions{Client: rdb, RequireDurable: true, StartWhenDown: true, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, newMsg(StateHeldApproval, "taro"), strings.NewReader("early")); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("put before redis started: %v", err)
	}
	srv := privateRedis(t, dir, port)
	defer func() { srv.Process.Kill(); srv.Wait() }()
	m := put(t, s, newMsg(StateHeldApproval, "taro"), "acknowledged")

	srv.Process.Kill()
	srv.Wait()
	err = s.Put(ctx, newMsg(StateHeldApproval, "taro"), strings.NewReader("lost?"))
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("put while redis is down: %v", err)
	}
	if _, err := s.Get(ctx, m.ID); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("get while redis is down: %v", err)
	}

	srv = privateRedis(t, dir, port)
	if got := readBody(t, s, m.ID); got != "acknowledged" {
		t.Fatalf("after restart: %q", got)
	}
	put(t, s, newMsg(StateHeldApproval, "taro"), "after")
	if n, _ := s.Counts(ctx); n[StateHeldApproval] != 2 {
		t.Fatalf("counts %v", n)
	}
}
