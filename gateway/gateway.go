// Package gateway wires one accepted message through okuri: smtpd hands it
// over, and the gateway relays it (and, as scanning, policy and quarantine
// land, scans, decides and holds it) and returns the SMTP reply.
//
// The invariant this package owns: the client gets 250 only when the
// upstream accepted the message for at least one recipient (or, later,
// when it is durably stored). Upstream and internal error texts never
// reach the client: replies are generic with the queue id as reference,
// and the details go to the log.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/okuri/okuri/relay"
	"github.com/okuri/okuri/smtpd"
)

// Options configures a Gateway.
type Options struct {
	Relay      relay.Sender
	Logger     *slog.Logger
	Registerer prometheus.Registerer
}

// Gateway implements smtpd.Handler.
type Gateway struct {
	relay    relay.Sender
	log      *slog.Logger
	messages *prometheus.CounterVec
	refused  prometheus.Counter
	latency  prometheus.Histogram
}

// New returns a Gateway.
func New(opts Options) (g *Gateway, err error) {
	if opts.Relay == nil {
		return nil, errors.New("gateway: a relay is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Registerer == nil {
		opts.Registerer = prometheus.NewRegistry()
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gateway: metrics: %v", r)
		}
	}()
	f := promauto.With(opts.Registerer)
	return &Gateway{
		relay: opts.Relay,
		log:   opts.Logger,
		messages: f.NewCounterVec(prometheus.CounterOpts{Name: "okuri_messages_total",
			Help: "Messages handled, by outcome (delivered, partial, tempfail, rejected)."}, []string{"outcome"}),
		refused: f.NewCounter(prometheus.CounterOpts{Name: "okuri_relay_refused_recipients_total",
			Help: "Recipients the upstream refused for messages delivered to others."}),
		latency: f.NewHistogram(prometheus.HistogramOpts{Name: "okuri_relay_send_duration_seconds",
			Help:    "Time from handing a message to the upstream until its final reply.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
	}, nil
}

// Handle implements smtpd.Handler: the pass path, synchronous.
func (g *Gateway) Handle(ctx context.Context, m *smtpd.Message) smtpd.Reply {
	start := time.Now()
	res, err := g.relay.Send(ctx, relay.Envelope{From: m.From, To: m.To}, m.Body.Reader())
	g.latency.Observe(time.Since(start).Seconds())
	log := g.log.With("queue_id", m.QueueID, "user", m.User, "client_ip", m.ClientIP.String(),
		"rcpts", len(m.To), "size", m.Body.Size())
	if err != nil {
		rep, outcome := replyFor(ctx, err, m.QueueID)
		g.messages.WithLabelValues(outcome).Inc()
		log.Warn("message not delivered", "outcome", outcome, "reply", rep.Code, "err", err,
			"refused", describeRefused(errRefused(err)), "upstream_ms", time.Since(start).Milliseconds())
		return rep
	}
	outcome := "delivered"
	if len(res.Refused) > 0 {
		outcome = "partial"
		g.refused.Add(float64(len(res.Refused)))
	}
	g.messages.WithLabelValues(outcome).Inc()
	log.Info("message delivered", "outcome", outcome, "accepted", len(res.Accepted),
		"refused", describeRefused(res.Refused), "upstream_ms", time.Since(start).Milliseconds())
	return smtpd.Reply{Code: 250, Enhanced: [3]int{2, 0, 0}, Text: "Ok: delivered as " + m.QueueID}
}

// replyFor maps a relay failure to a safe client reply: 451 unless the
// upstream said no for good.
func replyFor(ctx context.Context, err error, qid string) (smtpd.Reply, string) {
	ref := " (ref " + qid + ")"
	if ctx.Err() != nil {
		return smtpd.Reply{Code: 451, Enhanced: [3]int{4, 3, 2}, Text: "Gateway shutting down, try again later" + ref}, "tempfail"
	}
	var re *relay.Error
	if !errors.As(err, &re) || re.Temporary {
		return smtpd.Reply{Code: 451, Enhanced: [3]int{4, 4, 1}, Text: "Upstream temporarily unavailable, try again later" + ref}, "tempfail"
	}
	if re.Op == "rcpt" {
		return smtpd.Reply{Code: 550, Enhanced: [3]int{5, 1, 0}, Text: "Upstream refused every recipient" + ref}, "rejected"
	}
	return smtpd.Reply{Code: 554, Enhanced: [3]int{5, 0, 0}, Text: "Upstream refused the message" + ref}, "rejected"
}

func errRefused(err error) []*relay.RecipientError {
	var re *relay.Error
	if errors.As(err, &re) {
		return re.Refused
	}
	return nil
}

// describeRefused names refused recipients by domain and code only: local
// parts of customer addresses are personal data and stay out of logs.
func describeRefused(rs []*relay.RecipientError) string {
	if len(rs) == 0 {
		return ""
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		domain := r.Rcpt
		if at := strings.LastIndexByte(domain, '@'); at >= 0 {
			domain = domain[at+1:]
		}
		parts[i] = fmt.Sprintf("*@%s:%d", domain, r.Code)
	}
	return strings.Join(parts, ",")
}
