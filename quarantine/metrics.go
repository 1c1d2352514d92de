package quarantine

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// workerMetrics are registered on WorkerOptions.Registerer. Labels carry
// outcomes only, never addresses.
type workerMetrics struct {
	attempts   *prometheus.CounterVec // by outcome of the attempt
	recipients *prometheus.CounterVec // by recipient result
	duration   prometheus.Histogram
	dsns       prometheus.Counter
}

func newWorkerMetrics(reg prometheus.Registerer) *workerMetrics {
	if reg == nil {
		reg = prometheus.NewRegistry() // unregistered: nobody scrapes them
	}
	f := promauto.With(reg)
	return &workerMetrics{
		attempts: f.NewCounterVec(prometheus.CounterOpts{
			Name: "okuri_quarantine_delivery_attempts_total",
			Help: "Delivery attempts of queued messages by outcome: delivered, partial, deferred, failed.",
		}, []string{"outcome"}),
		recipients: f.NewCounterVec(prometheus.CounterOpts{
			Name: "okuri_quarantine_delivery_recipients_total",
			Help: "Recipient results of delivery attempts: delivered, deferred, failed.",
		}, []string{"result"}),
		duration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "okuri_quarantine_delivery_duration_seconds",
			Help:    "Time the upstream took for one delivery attempt.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}),
		dsns: f.NewCounter(prometheus.CounterOpts{
			Name: "okuri_quarantine_dsn_total",
			Help: "Delivery status notifications queued by the worker.",
		}),
	}
}

func (wm *workerMetrics) observe(a Attempt, d time.Duration) {
	wm.duration.Observe(d.Seconds())
	wm.recipients.WithLabelValues("delivered").Add(float64(len(a.Delivered)))
	wm.recipients.WithLabelValues("deferred").Add(float64(len(a.Deferred)))
	wm.recipients.WithLabelValues("failed").Add(float64(len(a.Failed)))
	outcome := "deferred"
	switch {
	case len(a.Delivered) > 0 && len(a.Deferred)+len(a.Failed) == 0:
		outcome = "delivered"
	case len(a.Delivered) > 0:
		outcome = "partial"
	case len(a.Deferred) == 0:
		outcome = "failed"
	}
	wm.attempts.WithLabelValues(outcome).Inc()
	if a.DSN != "" {
		wm.dsns.Inc()
	}
}

// stateCollector exports the number of stored messages per state, read
// from the store at scrape time (O(1) per state on both backends).
type stateCollector struct {
	st   Store
	desc *prometheus.Desc
}

// NewStateCollector returns a collector of okuri_quarantine_messages{state};
// register it once per process.
func NewStateCollector(st Store) prometheus.Collector {
	return &stateCollector{st: st, desc: prometheus.NewDesc("okuri_quarantine_messages",
		"Messages stored per state (terminal ones until the record retention ends).", []string{"state"}, nil)}
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := c.st.Counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, s := range States {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n[s]), string(s))
	}
}
