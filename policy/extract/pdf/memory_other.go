//go:build !unix

package pdf

// mapMemory: no anonymous mappings here; instances use the Go heap.
func mapMemory(uint64) ([]byte, error) { return nil, errNoMapping }

// unmapMemory is never called: mapMemory maps nothing.
func unmapMemory([]byte) {}
