package pdf

import (
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
)

// linearMemory backs one PDFium instance's WebAssembly memory with a Go
// slice, as wazero does by default, but refuses to grow past limit and
// remembers that it did. PDFium answers a refused allocation either by
// failing the call or by quietly dropping the stream it was inflating
// (which would leave a page that looks harmless), so the refusal itself,
// not PDFium's answer, is what marks a document as over the limit.
type linearMemory struct {
	limit   uint64
	buf     []byte
	size    atomic.Uint64 // len(buf), readable while the guest runs
	refused atomic.Bool
}

// Reallocate implements experimental.LinearMemory.
func (m *linearMemory) Reallocate(size uint64) []byte {
	if size > m.limit {
		m.refused.Store(true)
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
	} else {
		// A quarter more at each step: doubling, as append would, leaves
		// up to half of a large memory reserved and unused (and counted
		// as heap); the limit caps the last step.
		c := min(max(size, uint64(cap(m.buf))*5/4), m.limit)
		nb := make([]byte, size, c)
		copy(nb, m.buf)
		m.buf = nb
	}
	m.size.Store(size)
	return m.buf
}

// Free implements experimental.LinearMemory. The slice is left to the
// garbage collector: a killed instance may still be unwinding on another
// goroutine, and a Go slice stays valid for it where unmapped memory
// would not.
func (m *linearMemory) Free() {
	m.buf = nil
	m.size.Store(0)
}

// memorySlot hands out the memory of one worker's instances: a worker runs
// one instance at a time, and a recycled instance gets a fresh memory.
type memorySlot struct {
	limit uint64
	cur   atomic.Pointer[linearMemory]
}

// Allocate implements experimental.MemoryAllocator.
func (s *memorySlot) Allocate(capacity, maxSize uint64) experimental.LinearMemory {
	m := &linearMemory{limit: min(s.limit, maxSize)}
	m.buf = make([]byte, 0, min(capacity, m.limit))
	s.cur.Store(m)
	return m
}

// current returns the memory of the worker's live instance, nil before
// the first one starts.
func (s *memorySlot) current() *linearMemory { return s.cur.Load() }
