package loadgen

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// Result is the measurement of one run.
type Result struct {
	Label        string         `json:"label,omitempty"` // free text, e.g. "postfix"
	Addr         string         `json:"addr"`
	Kind         Kind           `json:"kind"`
	MessageBytes int            `json:"message_bytes"`
	Conns        int            `json:"conns"`
	Warmup       int            `json:"warmup"`        // warm-up messages sent before measuring
	WarmupFailed int            `json:"warmup_failed"` // of which failed
	Messages     int            `json:"messages"`
	Accepted     int            `json:"accepted"`
	Failed       int            `json:"failed"`
	Failures     map[string]int `json:"failures"` // by "stage:code"
	Elapsed      time.Duration  `json:"-"`
	ElapsedSec   float64        `json:"elapsed_seconds"`
	Rate         float64        `json:"accepted_per_second"`
	Data250      Percentiles    `json:"data_250_ms"` // end of DATA to 250
	Txn          Percentiles    `json:"transaction_ms"`
	// ServerCPUPerMsg is the CPU time the system under test used per
	// delivered message (warm-up included), in milliseconds, when the
	// caller measured it (bench/compare.sh does); 0 when unknown.
	ServerCPUPerMsg float64 `json:"server_cpu_ms_per_msg,omitempty"`
	// SinkConns is how many connections the sink behind the system got
	// during the run, warm-up included, when the caller counted them: how
	// well the relay reuses its upstream connections. nil when unknown.
	SinkConns *int `json:"sink_connections,omitempty"`
}

// Percentiles summarizes a latency distribution (nearest-rank method).
type Percentiles struct {
	P50, P90, P99, Max time.Duration
}

// MarshalJSON writes the percentiles in milliseconds.
func (p Percentiles) MarshalJSON() ([]byte, error) {
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
	return json.Marshal(map[string]float64{
		"p50": ms(p.P50), "p90": ms(p.P90), "p99": ms(p.P99), "max": ms(p.Max),
	})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *Percentiles) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("percentiles: %w", err)
	}
	d := func(ms float64) time.Duration { return time.Duration(math.Round(ms * 1e6)) }
	*p = Percentiles{P50: d(m["p50"]), P90: d(m["p90"]), P99: d(m["p99"]), Max: d(m["max"])}
	return nil
}

// Delivered is how many messages the run handed over successfully,
// warm-up included: what a sink behind the system should receive.
func (r *Result) Delivered() int { return r.Warmup - r.WarmupFailed + r.Accepted }

// summarize turns the outcomes of the measured batch into a Result.
func summarize(cfg Config, size int, elapsed time.Duration, outs []outcome) *Result {
	r := &Result{
		Addr: cfg.Addr, Kind: cfg.Kind, MessageBytes: size, Conns: cfg.Conns,
		Messages: len(outs), Failures: map[string]int{},
		Elapsed: elapsed, ElapsedSec: elapsed.Seconds(),
	}
	var data, txn []time.Duration
	for _, o := range outs {
		if o.failure != "" {
			r.Failed++
			r.Failures[o.failure]++
			continue
		}
		r.Accepted++
		data = append(data, o.data250)
		txn = append(txn, o.txn)
	}
	if elapsed > 0 {
		r.Rate = float64(r.Accepted) / elapsed.Seconds()
	}
	r.Data250 = percentiles(data)
	r.Txn = percentiles(txn)
	return r
}

// percentiles sorts ds in place and returns its percentiles; zero for none.
func percentiles(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	slices.Sort(ds)
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(ds)))) - 1
		return ds[max(i, 0)]
	}
	return Percentiles{P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: ds[len(ds)-1]}
}

// Summary is the result on one line, for logs and terminals.
func (r *Result) Summary() string {
	var b strings.Builder
	if r.Label != "" {
		fmt.Fprintf(&b, "%s ", r.Label)
	}
	fmt.Fprintf(&b, "addr=%s kind=%s bytes=%d c=%d n=%d ok=%d fail=%d elapsed=%.2fs rate=%.1f/s",
		r.Addr, r.Kind, r.MessageBytes, r.Conns, r.Messages, r.Accepted, r.Failed, r.ElapsedSec, r.Rate)
	fmt.Fprintf(&b, " data250[p50=%s p90=%s p99=%s max=%s]", ms(r.Data250.P50), ms(r.Data250.P90), ms(r.Data250.P99), ms(r.Data250.Max))
	fmt.Fprintf(&b, " txn[p50=%s p90=%s p99=%s max=%s]", ms(r.Txn.P50), ms(r.Txn.P90), ms(r.Txn.P99), ms(r.Txn.Max))
	if len(r.Failures) > 0 {
		keys := slices.Sorted(maps.Keys(r.Failures))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s=%d", k, r.Failures[k])
		}
		fmt.Fprintf(&b, " failures[%s]", strings.Join(parts, " "))
	}
	return b.String()
}

// ms formats d in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}
