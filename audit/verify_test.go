package audit

import (
	"testing"
)

// chainOf seals n events of one instance as the publisher would.
func chainOf(t *testing.T, instance string, n int) [][]byte {
	t.Helper()
	p := &publisher{instance: instance}
	var out [][]byte
	prev := ""
	for i := 1; i <= n; i++ {
		ev := Event{Type: TypeMessageDelivered}
		if err := prepare(&ev); err != nil {
			t.Fatal(err)
		}
		ev.Instance, ev.Seq, ev.Prev = instance, uint64(i), prev
		b, h, err := p.seal(ev)
		if err != nil {
			t.Fatal(err)
		}
		out, prev = append(out, b), h
	}
	return out
}

func TestVerifierChainRestartReportedOnce(t *testing.T) {
	a, b := chainOf(t, "gw", 5), chainOf(t, "gw", 3)
	v := NewVerifier(nil)
	for _, p := range append(a, b...) {
		v.Add(0, p)
	}
	rep := v.Report()
	if len(rep.Problems) != 1 || rep.Problems[0].Kind != ProblemConflict || rep.Problems[0].Seq != 1 {
		t.Fatalf("problems %v", rep.Problems)
	}
	if in := rep.Instances[0]; in.First != 1 || in.Last != 3 || in.Events != 8 {
		t.Errorf("instance report %+v", in)
	}
}

func TestVerifierDuplicatesAndReorder(t *testing.T) {
	a, other := chainOf(t, "gw", 6), chainOf(t, "gw2", 2)
	v := NewVerifier(nil)
	// Out of order, an identical re-delivery, interleaved instances.
	for _, p := range [][]byte{a[0], a[2], other[0], a[1], a[1], a[3], other[1], a[5], a[4]} {
		v.Add(0, p)
	}
	rep := v.Report()
	if !rep.OK() {
		t.Fatalf("problems %v", rep.Problems)
	}
	if rep.Instances[0].Duplicates != 1 || rep.Instances[0].Last != 6 || rep.Instances[1].Last != 2 {
		t.Errorf("instances %+v", rep.Instances)
	}
	// The newest event missing at the end is not detectable by the
	// chain; a missing middle one is.
	v = NewVerifier(nil)
	for _, p := range [][]byte{a[0], a[1], a[3], a[4]} {
		v.Add(0, p)
	}
	rep = v.Report()
	if len(rep.Problems) != 1 || rep.Problems[0].Kind != ProblemGap || rep.Problems[0].Seq != 3 {
		t.Errorf("problems %v", rep.Problems)
	}
}
