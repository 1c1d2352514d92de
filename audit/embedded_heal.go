package audit

import (
	"errors"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// jsInsufficientResources is JetStream's error code for "insufficient
// resources": the server's storage limit is reached (nats-server's
// JSInsufficientResourcesErr; nats.go has no constant for it).
const jsInsufficientResources jetstream.ErrorCode = 10023

// healEvery bounds how often heal restarts the embedded server, so that a
// disk that stays full does not turn into a restart loop.
const healEvery = 5 * time.Second

// heal restarts the embedded server when its JetStream stopped taking
// events for lack of room and a restart would help. nats-server heals
// neither case by itself once room comes back (issue 12 item 15):
//
//   - after a write fails with ENOSPC it shuts JetStream down until the
//     process restarts;
//   - a stream whose file store failed a write stops answering: its
//     publishes time out (an in-process server does not lose acks on a
//     network) until the stream is loaded again;
//   - without an explicit limit it fixes its storage limit at start to
//     75 % of the free space then, so a disk that was nearly full at start
//     keeps refusing ("insufficient resources") after it was cleaned up.
//
// The stream's files stay; the publisher's connection closes and it dials
// again. cause is the publisher's last error. heal reports whether it
// restarted the server.
func (e *embedded) heal(cause error) bool {
	ns := e.server()
	if ns == nil || time.Since(e.healed) < healEvery {
		return false
	}
	free, known := freeBytes(e.dir)
	switch {
	case !ns.JetStreamEnabled():
		if known && free < minFreeToHeal {
			return false // still full: a restart could not enable JetStream
		}
		e.logger.Warn("audit: embedded JetStream was disabled (out of disk space); restarting it", "free_bytes", free)
	case errors.Is(cause, jetstream.ErrAsyncPublishTimeout):
		if known && free < minFreeToHeal {
			return false
		}
		e.logger.Warn("audit: embedded JetStream does not acknowledge events; restarting it", "free_bytes", free)
	case isInsufficientResources(cause):
		cfg := ns.JetStreamConfig()
		if cfg == nil || !known {
			return false
		}
		var used int64
		if jsz, err := ns.Jsz(nil); err == nil {
			used = int64(jsz.Store)
		}
		// What the limit would be after a restart (nats-server: used plus
		// 75 % of free); restart only if that is clearly more room.
		if used+free/4*3 < cfg.MaxStore+minFreeToHeal {
			return false
		}
		e.logger.Warn("audit: embedded JetStream storage limit reached and the disk has room again; restarting it",
			"limit_bytes", cfg.MaxStore, "used_bytes", used, "free_bytes", free)
	default:
		return false
	}
	e.healed = time.Now()
	e.stop()
	if err := e.start(); err != nil {
		e.logger.Error("audit: embedded NATS did not restart; retrying", "err", err)
	}
	return true
}

// minFreeToHeal is the room (bytes) that makes a restart worth it.
const minFreeToHeal = 1 << 20

func isInsufficientResources(err error) bool {
	var jerr jetstream.JetStreamError
	if errors.As(err, &jerr) && jerr.APIError() != nil {
		return jerr.APIError().ErrorCode == jsInsufficientResources
	}
	var aerr *jetstream.APIError
	return errors.As(err, &aerr) && aerr.ErrorCode == jsInsufficientResources
}
