//go:build !unix

package pdf

import "errors"

// mapMemory: no anonymous mappings here; instances use the Go heap.
func mapMemory(uint64) ([]byte, error) {
	return nil, errors.New("pdf: no memory mappings on this platform")
}

// unmapMemory is never called: mapMemory maps nothing.
func unmapMemory([]byte) {}
