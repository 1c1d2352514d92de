package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ReadOptions select what ReadStream delivers.
type ReadOptions struct {
	Since  time.Time // zero: from the first message
	Follow bool      // keep waiting for new messages until ctx ends
}

// ReadStream calls fn with every message of the audit stream (stream
// sequence and payload), in stream order, up to the last message present
// when it started (or forever with Follow).
func ReadStream(ctx context.Context, js jetstream.JetStream, stream string, ro ReadOptions, fn func(streamSeq uint64, data []byte) error) error {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("audit: stream %s: %w", stream, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return fmt.Errorf("audit: stream %s info: %w", stream, err)
	}
	if info.State.Msgs == 0 && !ro.Follow {
		return nil
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if !ro.Since.IsZero() {
		t := ro.Since
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &t
	}
	cons, err := s.OrderedConsumer(ctx, cfg)
	if err != nil {
		return fmt.Errorf("audit: stream %s consumer: %w", stream, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("audit: stream %s consumer: %w", stream, err)
	}
	defer it.Stop()
	last := info.State.LastSeq
	for {
		wait := 5 * time.Second
		if ro.Follow {
			wait = time.Minute
		}
		nctx, cancel := context.WithTimeout(ctx, wait)
		msg, err := it.Next(jetstream.NextContext(nctx))
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				if ro.Follow {
					return nil
				}
				return ctx.Err()
			}
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return nil
			}
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, jetstream.ErrNoMessages) ||
				errors.Is(err, nats.ErrTimeout) || isTimeout(err) {
				if ro.Follow {
					continue
				}
				return nil // nothing more within the wait: the tail was deleted or expired
			}
			return fmt.Errorf("audit: read stream %s: %w", stream, err)
		}
		md, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("audit: read stream %s: %w", stream, err)
		}
		if err := fn(md.Sequence.Stream, msg.Data()); err != nil {
			return err
		}
		if !ro.Follow && (md.Sequence.Stream >= last || md.NumPending == 0) {
			return nil
		}
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
