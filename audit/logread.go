package audit

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Read calls fn with every event of this log's stream (see ReadStream),
// over a connection of its own to the embedded server or NATS URL the
// log publishes to. It is for readers inside the running process, such
// as the approvals UI's audit-trail page; the CLI reads the same stream
// from outside.
func (l *Log) Read(ctx context.Context, ro ReadOptions, fn func(Event) error) error {
	dial := urlDialer(l.opts.NATSURL, l.opts.NATSOptions)
	if l.emb != nil {
		dial = l.emb.dial
	}
	nc, err := dial(ctx)
	if err != nil {
		return fmt.Errorf("audit: read: %w", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("audit: read: %w", err)
	}
	return ReadStream(ctx, js, l.opts.Stream, ro, func(seq uint64, data []byte) error {
		ev, err := Unmarshal(data)
		if err != nil {
			return fmt.Errorf("audit: read: stream sequence %d: %w", seq, err)
		}
		return fn(ev)
	})
}
