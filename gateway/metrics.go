package gateway

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type metrics struct {
	messages     *prometheus.CounterVec
	scanSeconds  prometheus.Histogram
	relaySeconds prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (m *metrics, err error) {
	defer func() {
		if r := recover(); r != nil { // promauto panics on duplicate registration
			err = fmt.Errorf("gateway: metrics: %v", r)
		}
	}()
	f := promauto.With(reg)
	return &metrics{
		messages: f.NewCounterVec(prometheus.CounterOpts{Name: "okuri_messages_total",
			Help: "Messages handled, by outcome (delivered, partial, queued, held, rejected, tempfail, duplicate_risk)."}, []string{"outcome"}),
		scanSeconds: f.NewHistogram(prometheus.HistogramOpts{Name: "okuri_scan_decide_duration_seconds",
			Help:    "Time to scan a message and decide on it.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 18)}),
		relaySeconds: f.NewHistogram(prometheus.HistogramOpts{Name: "okuri_relay_send_duration_seconds",
			Help:    "Time from handing a message to the upstream until its final reply (all deliveries).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
	}, nil
}

func (m *metrics) outcome(o string) { m.messages.WithLabelValues(o).Inc() }
