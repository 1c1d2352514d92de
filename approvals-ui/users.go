package approvalsui

import (
	"context"
	"errors"

	"github.com/okuri/okuri/directory"
)

// lookupUser returns a user of the users file with their shared sign-in
// state; false when there is no such user or the store cannot be read.
func (s *Server) lookupUser(ctx context.Context, addr string) (*directory.User, bool) {
	u, err := s.accounts.Lookup(ctx, addr)
	if err != nil && !errors.Is(err, directory.ErrNoUser) {
		s.log.Error("ui: user lookup", "err", err)
	}
	return u, err == nil
}
