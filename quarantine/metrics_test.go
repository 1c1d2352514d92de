package quarantine

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// gather returns metric values by name and first label value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	v := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			key := mf.GetName()
			if len(m.Label) > 0 {
				key += "/" + m.Label[0].GetValue()
			}
			switch {
			case m.Counter != nil:
				v[key] = m.Counter.GetValue()
			case m.Gauge != nil:
				v[key] = m.Gauge.GetValue()
			case m.Histogram != nil:
				v[key] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return v
}

func TestMetrics(t *testing.T) {
	c := newClock()
	_, s := openEmbeddedT(t, c, "", true)
	sink, snd := newSink(t)
	sink.Refuse("b@two.example", 550)
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewStateCollector(s))
	w, err := NewWorker(WorkerOptions{Store: s, Sender: snd, Now: c.Now, Logger: quietLog(), Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, newMsg(StateQueued, "taro", "a@one.example", "b@two.example"), testBody)
	put(t, s, newMsg(StateHeldApproval, "taro"), testBody)
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	v := gather(t, reg)
	want := map[string]float64{
		"okuri_quarantine_delivery_attempts_total/partial":     1, // the message
		"okuri_quarantine_delivery_attempts_total/delivered":   1, // its DSN
		"okuri_quarantine_delivery_recipients_total/failed":    1,
		"okuri_quarantine_delivery_recipients_total/delivered": 2,
		"okuri_quarantine_dsn_total":                           1,
		"okuri_quarantine_delivery_duration_seconds":           2,
		"okuri_quarantine_messages/held_approval":              1,
		"okuri_quarantine_messages/delivered":                  2,
	}
	sw, err := NewSweeper(SweeperOptions{Store: s, Now: c.Now, Logger: quietLog(), Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	h := newMsg(StateHeldDelay, "taro")
	h.HoldUntil = c.Now()
	put(t, s, h, testBody)
	if _, err := sw.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	v = gather(t, reg)
	want["okuri_quarantine_sweeper_actions_total/released"] = 1
	want["okuri_quarantine_messages/queued"] = 1
	for k, x := range want {
		if v[k] != x {
			t.Errorf("%s = %v, want %v", k, v[k], x)
		}
	}
}
