package testenv

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/redis/go-redis/v9"
)

// RedisClient returns a client of the test Redis that, when the test
// ends, deletes every key under prefix and closes. Register it before
// anything that uses the keys, so their own cleanups run first.
func RedisClient(t testing.TB, prefix string) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: RedisAddr(t)})
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		rdb.Close()
	})
	return rdb
}

// MountTmpfs mounts a tmpfs of size ("1m", "16m") on a new temporary
// directory, for tests of a full disk; see MountTmpfsAt.
func MountTmpfs(t testing.TB, size string) string {
	t.Helper()
	dir := t.TempDir()
	MountTmpfsAt(t, dir, size)
	return dir
}

// MountTmpfsAt mounts a tmpfs of size on the existing directory dir. It
// needs root: in CI (which runs as root on this machine kind) failing to
// mount fails the test, elsewhere it skips. The unmount is registered
// now, so it runs after the cleanups registered later (a process the test
// starts on the mount is stopped first) and before dir's own removal when
// dir came from t.TempDir.
func MountTmpfsAt(t testing.TB, dir, size string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		if InCI() {
			t.Fatalf("cannot mount a tmpfs (CI=true runs as root): %v", err)
		}
		t.Skipf("SKIPPING: cannot mount a tmpfs here (%v): run as root (CI does)", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}

// ResizeTmpfs changes the size of a tmpfs from MountTmpfs in place, as
// an operator making room on a full disk.
func ResizeTmpfs(t testing.TB, dir, size string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,size="+size, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s with size %s: %v\n%s", dir, size, err, out)
	}
}

// FillDisk writes path until its file system is full (ENOSPC), then
// gives back leave bytes: another program taking the disk.
func FillDisk(t testing.TB, path string, leave int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break // ENOSPC
		}
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(max(st.Size()-leave, 0)); err != nil {
		t.Fatal(err)
	}
}
