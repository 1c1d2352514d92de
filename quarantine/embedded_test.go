package quarantine

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// TestEmbeddedRecovery leaves what a crash can leave at each step of a
// write or purge and checks that reopening repairs it.
func TestEmbeddedRecovery(t *testing.T) {
	dir := t.TempDir()
	e, s := openEmbeddedT(t, nil, dir, false)
	ctx := context.Background()
	live := put(t, s, newMsg(StateHeldApproval, "taro"), "live body")
	gone := put(t, s, newMsg(StateQuarantined, "taro"), "purged body")
	if _, err := s.Transition(ctx, gone.ID, Change{From: StateQuarantined, To: StateDeleted, Actor: Actor{Kind: ActorSecurity, User: "sec"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeBodies(ctx, e.clock().Add(1e9), 10); n != 1 || err != nil {
		t.Fatalf("purge: %d %v", n, err)
	}
	// Crash after the purge committed, before the file was removed.
	os.WriteFile(e.bodyPath(gone.ID), []byte("purged body"), 0o600)
	// Crash after a body was linked, before its record committed.
	orphan := NewID(e.clock())
	os.WriteFile(e.bodyPath(orphan), []byte("orphan"), 0o600)
	// Crash while writing a temp file.
	os.WriteFile(filepath.Join(e.tmpDir, "body-123"), []byte("partial"), 0o600)
	e.Close()
	e.db.Close()

	_, s2 := openEmbeddedT(t, nil, dir, false)
	for _, name := range []string{orphan, gone.ID} {
		if _, err := os.Stat(filepath.Join(dir, "spool", "msg", name)); !os.IsNotExist(err) {
			t.Fatalf("%s survived recovery: %v", name, err)
		}
	}
	if l, _ := os.ReadDir(filepath.Join(dir, "spool", "tmp")); len(l) != 0 {
		t.Fatalf("temp files survived: %v", l)
	}
	if readBody(t, s2, live.ID) != "live body" {
		t.Fatalf("live body lost")
	}
	if g, err := s2.Get(ctx, gone.ID); err != nil || !g.Purged {
		t.Fatalf("tombstone: %+v %v", g, err)
	}
}

// fullFile fails with ENOSPC once more than limit bytes were written.
// (No embedding: *os.File's ReadFrom would bypass Write.)
type fullFile struct {
	f     *os.File
	limit int
}

func (f *fullFile) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n, _ := f.f.Write(p[:f.limit])
		f.limit = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.limit -= len(p)
	return f.f.Write(p)
}

func (f *fullFile) Sync() error  { return f.f.Sync() }
func (f *fullFile) Close() error { return f.f.Close() }
func (f *fullFile) Name() string { return f.f.Name() }

func TestEmbeddedDiskFullInjected(t *testing.T) {
	e, s := openEmbeddedT(t, nil, "", true)
	ctx := context.Background()
	e.inline = -1 // bodies in files, where the injected ENOSPC happens
	e.newTemp = func(dir string) (spoolFile, error) {
		f, err := os.CreateTemp(dir, "body-*")
		return &fullFile{f, 1000}, err
	}
	m := newMsg(StateHeldApproval, "taro")
	err := s.Put(ctx, m, strings.NewReader(strings.Repeat("x", 5000)))
	if !errors.Is(err, ErrStorageFull) {
		t.Fatalf("put on a full disk: %v", err)
	}
	checkNothingStored(t, e, s)
	e.newTemp = func(dir string) (spoolFile, error) { return os.CreateTemp(dir, "body-*") }
	put(t, s, newMsg(StateHeldApproval, "taro"), "fits")
}

// TestEmbeddedDiskFullTmpfs fills a real small tmpfs (needs root; skipped
// otherwise).
func TestEmbeddedDiskFullTmpfs(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=2m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); the injected test covers ENOSPC", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) }) // after the store is closed
	e, s := openEmbeddedT(t, nil, dir, false)
	ctx := context.Background()
	big := strings.Repeat("y", 3<<20)
	err := s.Put(ctx, newMsg(StateHeldApproval, "taro"), strings.NewReader(big))
	if !errors.Is(err, ErrStorageFull) {
		t.Fatalf("put larger than the disk: %v", err)
	}
	checkNothingStored(t, e, s)
	// Fill up with small messages until the store says full; every message
	// acknowledged before that stays readable.
	var ok []string
	for i := 0; ; i++ {
		m := newMsg(StateHeldApproval, "taro")
		err := s.Put(ctx, m, strings.NewReader(strings.Repeat("z", 64<<10)))
		if errors.Is(err, ErrStorageFull) {
			break
		} else if err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
		ok = append(ok, m.ID)
		if i > 100 {
			t.Fatal("tmpfs never filled")
		}
	}
	for _, id := range ok {
		if len(readBody(t, s, id)) != 64<<10 {
			t.Fatalf("%s damaged", id)
		}
	}
	if n, _ := s.Counts(ctx); n[StateHeldApproval] != len(ok) {
		t.Fatalf("counts %v, want %d", n, len(ok))
	}
}

func checkNothingStored(t *testing.T, e *Embedded, s Store) {
	t.Helper()
	if p, _ := s.List(context.Background(), Query{Scope: everyone}); len(p.Messages) != 0 {
		t.Fatalf("a record was stored")
	}
	for _, d := range []string{e.msgDir, e.tmpDir} {
		if l, _ := os.ReadDir(d); len(l) != 0 {
			t.Fatalf("files left in %s: %d", d, len(l))
		}
	}
}

// TestEmbeddedGroupCommit: concurrent Puts share commits; a duplicate id
// in a group fails alone.
func TestEmbeddedGroupCommit(t *testing.T) {
	_, s := openEmbeddedT(t, nil, "", false)
	ctx := context.Background()
	first := put(t, s, newMsg(StateQueued, "taro"), "first")
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := newMsg(StateHeldDelay, "taro")
			if i == 17 {
				m.ID = first.ID
			}
			errs[i] = s.Put(ctx, m, strings.NewReader("body"))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i == 17) != errors.Is(err, ErrExists) || (i != 17 && err != nil) {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	if n, _ := s.Counts(ctx); n[StateHeldDelay] != 39 {
		t.Fatalf("counts %v", n)
	}
	if readBody(t, s, first.ID) != "first" {
		t.Fatalf("duplicate overwrote the body")
	}
}

// TestEmbeddedInlineBodies: a body up to InlineMax is kept in the
// database and a larger one in spool/msg, whether or not the reader
// tells its size (the gateway's spool does; io.MultiReader does not).
func TestEmbeddedInlineBodies(t *testing.T) {
	e, s := openEmbeddedT(t, nil, "", true)
	small, large := strings.Repeat("s", 1000), strings.Repeat("L", DefaultInlineMax+1)
	for _, tc := range []struct {
		name string
		body func(string) io.Reader
	}{
		{"sized", func(b string) io.Reader { return strings.NewReader(b) }},
		{"unsized", func(b string) io.Reader { return io.MultiReader(strings.NewReader(b)) }},
	} {
		for _, b := range []string{small, large, ""} {
			m := newMsg(StateHeldApproval, "taro")
			if err := s.Put(context.Background(), m, tc.body(b)); err != nil {
				t.Fatalf("%s %d bytes: %v", tc.name, len(b), err)
			}
			if got := readBody(t, s, m.ID); got != b || m.Size != int64(len(b)) {
				t.Errorf("%s: read %d bytes (size %d), want %d", tc.name, len(got), m.Size, len(b))
			}
		}
	}
	files, _ := os.ReadDir(e.msgDir)
	inline, err := e.InlineBodies()
	if err != nil || len(files) != 2 || inline != 4 {
		t.Errorf("%d body files and %d inline bodies (%v), want 2 and 4", len(files), inline, err)
	}
}
