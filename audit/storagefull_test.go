package audit

import (
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/redis/go-redis/v9"
)

func TestIsStorageFull(t *testing.T) {
	for _, tc := range []struct {
		err  error
		full bool
	}{
		{fmt.Errorf("commit: %w", syscall.ENOSPC), true},
		{fmt.Errorf("flush: %w", redis.Error(proto("OOM command not allowed when used memory > 'maxmemory'."))), true},
		{fmt.Errorf("flush: %w", redis.Error(proto("ERR wrong number of arguments"))), false},
		{errors.New("connection refused"), false},
		{nil, false},
	} {
		if got := IsStorageFull(tc.err); got != tc.full {
			t.Errorf("IsStorageFull(%v) = %v, want %v", tc.err, got, tc.full)
		}
	}
}

// proto is a server error as go-redis reports it.
type proto string

func (p proto) Error() string { return string(p) }
func (p proto) RedisError()   {}
