//go:build unix

package pdf

import (
	"fmt"
	"math"
	"syscall"
)

// mapMemory reserves n bytes of zeroed, private anonymous memory outside
// the Go heap. The kernel backs a page only when it is first written, so
// the reservation costs address space, not resident memory.
func mapMemory(n uint64) ([]byte, error) {
	if n == 0 || n > math.MaxInt {
		return nil, fmt.Errorf("pdf: cannot map %d bytes", n)
	}
	b, err := syscall.Mmap(-1, 0, int(n), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("pdf: mapping %d bytes: %w", n, err)
	}
	return b, nil
}

// unmapMemory returns a mapping from mapMemory to the system.
func unmapMemory(b []byte) {
	// Munmap fails only for a range that is not a mapping, which would
	// be a bug here; there is nothing to do about it at run time.
	_ = syscall.Munmap(b)
}
