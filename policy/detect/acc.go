package detect

// docAcc collects counts and samples per kind for one document (or one
// table column) without touching the Report's map on the hot path; it
// is flushed into the Report on Close.
type docAcc struct {
	count   [numKinds]int
	recs    [numKinds]int
	samples [numKinds][]string
	tries   [numKinds]uint8 // masked samples tried: identical masks stop being retried
}

// wantSample reports whether another sample of k is still useful.
func (d *docAcc) wantSample(k kind) bool { return len(d.samples[k]) < 3 && d.tries[k] < 8 }

func (d *docAcc) addSample(k kind, s string) {
	if d.tries[k] < 255 {
		d.tries[k]++
	}
	if s == "" || len(d.samples[k]) >= 3 {
		return
	}
	for _, x := range d.samples[k] {
		if x == s {
			return
		}
	}
	d.samples[k] = append(d.samples[k], s)
}

// flush adds everything to r at loc.
func (d *docAcc) flush(r *Report, loc Location) {
	for k := kind(1); k < numKinds; k++ {
		if d.count[k] == 0 {
			continue
		}
		out := k
		if k == kPostal {
			out = kAddress
		}
		a := r.acc(out, loc)
		a.count += d.count[k]
		a.records += d.recs[k]
		for _, s := range d.samples[k] {
			if len(a.samples) < 3 {
				a.samples = append(a.samples, s)
			}
		}
		if out.strong() {
			r.strong = true
		}
	}
}
