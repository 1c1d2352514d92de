package audit

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics are registered on the registry passed to Open. Labels carry
// event types only, never addresses or other values.
type metrics struct {
	depth         prometheus.Gauge
	oldestAge     prometheus.Gauge
	published     prometheus.Counter
	publishErrors prometheus.Counter
	lost          prometheus.Counter
	chainHead     prometheus.Gauge
	connected     prometheus.Gauge
	stalled       prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry() // unregistered: metrics still work, nobody scrapes them
	}
	f := promauto.With(reg)
	return &metrics{
		depth: f.NewGauge(prometheus.GaugeOpts{
			Name: "okuri_audit_outbox_events",
			Help: "Audit events in the local outbox not yet acknowledged by JetStream.",
		}),
		oldestAge: f.NewGauge(prometheus.GaugeOpts{
			Name: "okuri_audit_outbox_oldest_age_seconds",
			Help: "Age of the oldest audit event waiting in the outbox (0 when empty).",
		}),
		published: f.NewCounter(prometheus.CounterOpts{
			Name: "okuri_audit_published_events_total",
			Help: "Audit events acknowledged by JetStream.",
		}),
		publishErrors: f.NewCounter(prometheus.CounterOpts{
			Name: "okuri_audit_publish_errors_total",
			Help: "Failed attempts to publish audit events (each retried with backoff).",
		}),
		lost: f.NewCounter(prometheus.CounterOpts{
			Name: "okuri_audit_lost_events_total",
			Help: "Audit events not recorded because the outbox was full (reported as audit.events_lost).",
		}),
		chainHead: f.NewGauge(prometheus.GaugeOpts{
			Name: "okuri_audit_chain_seq",
			Help: "Sequence number of this instance's last chained audit event.",
		}),
		connected: f.NewGauge(prometheus.GaugeOpts{
			Name: "okuri_audit_nats_connected",
			Help: "1 when the audit publisher has a JetStream connection with the stream in place and its last publish was taken.",
		}),
		stalled: f.NewGauge(prometheus.GaugeOpts{
			Name: "okuri_audit_publish_stalled",
			Help: "1 while events wait in the outbox because the last attempt to publish them failed (see okuri_audit_outbox_events).",
		}),
	}
}
