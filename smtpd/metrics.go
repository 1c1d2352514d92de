package smtpd

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type metrics struct {
	connections   *prometheus.CounterVec
	activeConns   prometheus.Gauge
	authFailures  prometheus.Counter
	rejections    *prometheus.CounterVec
	receivedBytes prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (m *metrics, err error) {
	defer func() {
		// promauto panics on duplicate registration; report it as an error.
		if r := recover(); r != nil {
			err = fmt.Errorf("smtpd: metrics: %v", r)
		}
	}()
	f := promauto.With(reg)
	return &metrics{
		connections: f.NewCounterVec(prometheus.CounterOpts{Name: "okuri_smtp_connections_total",
			Help: "SMTP connections by result (accepted, refused_limit)."}, []string{"result"}),
		activeConns: f.NewGauge(prometheus.GaugeOpts{Name: "okuri_smtp_connections_active",
			Help: "Open SMTP connections."}),
		authFailures: f.NewCounter(prometheus.CounterOpts{Name: "okuri_smtp_auth_failures_total",
			Help: "Failed SMTP AUTH attempts."}),
		rejections: f.NewCounterVec(prometheus.CounterOpts{Name: "okuri_smtp_rejections_total",
			Help: "Commands or messages refused by smtpd before the gateway saw them, by reason."}, []string{"reason"}),
		receivedBytes: f.NewCounter(prometheus.CounterOpts{Name: "okuri_smtp_received_bytes_total",
			Help: "Message bytes received (including the added Received header)."}),
	}, nil
}
