package pdf

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
)

// linearMemory is one PDFium instance's WebAssembly memory. Where the
// platform allows (memory_unix.go) the whole per-document limit is
// reserved at once as an anonymous mapping outside the Go heap: the
// memory grows in place (no copies, no garbage), only the pages PDFium
// touches are resident, and unmapping it gives them back to the system.
// Elsewhere it is a Go slice grown by copying, as wazero does by default.
//
// Growth past limit is refused and remembered. PDFium answers a refused
// allocation either by failing the call or by quietly dropping the
// stream it was inflating (which would leave a page that looks
// harmless), so the refusal itself, not PDFium's answer, is what marks a
// document as over the limit.
type linearMemory struct {
	limit   uint64
	buf     []byte
	mapped  bool          // buf is a mapping to release with unmap
	size    atomic.Uint64 // len(buf), readable while the guest runs
	refused atomic.Bool
	dead    atomic.Bool // the instance is closed; the memory awaits release
}

// newLinearMemory reserves a memory of up to limit bytes; capacity is
// wazero's hint of the size it starts at.
func newLinearMemory(capacity, limit uint64) *linearMemory {
	m := &linearMemory{limit: limit}
	b, err := mapMemory(limit)
	if err == nil {
		m.buf, m.mapped = b[:0], true
		return m
	}
	// No mapping (another platform, or no address space or commit left
	// for the cap): the Go heap still works, only less frugally.
	if !errors.Is(err, errNoMapping) {
		slog.Warn("pdf: PDFium memory on the Go heap", "err", err)
	}
	m.buf = make([]byte, 0, min(capacity, limit))
	return m
}

// Reallocate implements experimental.LinearMemory.
func (m *linearMemory) Reallocate(size uint64) []byte {
	if size > m.limit {
		m.refused.Store(true)
		return nil
	}
	if size > uint64(cap(m.buf)) {
		// Only a heap memory gets here. A quarter more at each step:
		// doubling, as append would, leaves up to half of a large memory
		// reserved and unused (and counted as heap); the limit caps the
		// last step.
		c := min(max(size, uint64(cap(m.buf))*5/4), m.limit)
		nb := make([]byte, size, c)
		copy(nb, m.buf)
		m.buf = nb
	}
	m.buf = m.buf[:size]
	m.size.Store(size)
	return m.buf
}

// Free implements experimental.LinearMemory. It only marks the memory
// dead: wazero calls it when the module closes, and a killed instance
// may still be unwinding on another goroutine, reading and writing this
// memory until it notices. memorySlot.reap releases it once the worker
// is known to be idle.
func (m *linearMemory) Free() { m.dead.Store(true) }

// release gives the memory back: unmapped at once, or left to the
// garbage collector.
func (m *linearMemory) release() {
	if m.mapped {
		unmapMemory(m.buf[:m.limit])
		m.mapped = false
	}
	m.buf = nil
	m.size.Store(0)
}

// errNoMapping: the platform has no anonymous mappings.
var errNoMapping = errors.New("pdf: no memory mappings on this platform")

// memorySlot hands out the memory of one worker's instances: a worker runs
// one instance at a time, and a recycled instance gets a fresh memory.
type memorySlot struct {
	limit   uint64
	started atomic.Int64 // instances started, one memory each
	mu      sync.Mutex
	cur     *linearMemory   // memory of the latest instance
	old     []*linearMemory // memories of instances replaced since
}

// Allocate implements experimental.MemoryAllocator.
func (s *memorySlot) Allocate(capacity, maxSize uint64) experimental.LinearMemory {
	m := newLinearMemory(capacity, min(s.limit, maxSize))
	s.started.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		// A worker has one instance at a time, so the previous one was
		// destroyed before this one was created.
		s.old = append(s.old, s.cur)
	}
	s.cur = m
	return m
}

// current returns the memory of the worker's live instance, nil before
// the first one starts.
func (s *memorySlot) current() *linearMemory {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// reap releases the memories of the worker's closed instances. Call it
// only while no guest code of the worker runs and none can start: with
// the worker acquired and no call into PDFium in progress, or after the
// pool closed.
func (s *memorySlot) reap() {
	s.mu.Lock()
	old := s.old
	s.old = nil
	if s.cur != nil && s.cur.dead.Load() {
		old = append(old, s.cur)
		s.cur = nil
	}
	s.mu.Unlock()
	for _, m := range old {
		m.release()
	}
}
