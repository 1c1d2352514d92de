package audit

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"sort"
)

// Problem kinds reported by Verifier.
const (
	ProblemGap          = "gap"           // seq numbers missing from an instance's chain
	ProblemHashMismatch = "hash_mismatch" // hash field differs from the recomputed hash: content altered
	ProblemBrokenLink   = "broken_link"   // prev differs from the previous event's hash
	ProblemBadSignature = "bad_signature" // signature missing or invalid (only with a public key)
	ProblemConflict     = "conflict"      // two different events with the same instance and seq
	ProblemUndecodable  = "undecodable"   // not an event
	ProblemStreamGap    = "stream_gap"    // JetStream messages deleted from inside the stream
)

// Problem is one finding of Verify. Seq and EventID name the event.
type Problem struct {
	Kind      string `json:"kind"`
	Instance  string `json:"instance,omitempty"`
	Seq       uint64 `json:"seq,omitempty"`
	EventID   string `json:"event_id,omitempty"`
	StreamSeq uint64 `json:"stream_seq,omitempty"`
	Detail    string `json:"detail"`
}

func (p Problem) String() string {
	s := p.Kind
	if p.Instance != "" {
		s += fmt.Sprintf(" instance=%s seq=%d", p.Instance, p.Seq)
	}
	if p.EventID != "" {
		s += " id=" + p.EventID
	}
	if p.StreamSeq != 0 {
		s += fmt.Sprintf(" stream_seq=%d", p.StreamSeq)
	}
	return s + ": " + p.Detail
}

// InstanceReport summarises one instance's chain.
type InstanceReport struct {
	Instance   string `json:"instance"`
	First      uint64 `json:"first_seq"`
	Last       uint64 `json:"last_seq"`
	Events     int    `json:"events"`
	Duplicates int    `json:"duplicates"` // identical re-deliveries (harmless)
	Missing    uint64 `json:"missing"`    // seq numbers in gaps
}

// Report is the result of verifying a stream or an export.
type Report struct {
	Events    int              `json:"events"`
	Instances []InstanceReport `json:"instances"`
	Problems  []Problem        `json:"problems"`
}

// OK reports whether no problem was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Verifier checks events fed to it one by one (in stream order; events of
// one instance may arrive slightly out of seq order and are reordered).
// Memory is bounded by the reordering distance, not the stream length.
type Verifier struct {
	pub       ed25519.PublicKey
	chains    map[string]*chainState
	problems  []Problem
	events    int
	lastSSeq  uint64
	maxReplay int
}

type vEntry struct {
	id, hash, prev string
	sseq           uint64
}

type chainState struct {
	first, last uint64
	lastHash    string
	events      int
	dups        int
	missing     uint64
	pending     map[uint64]vEntry
	recent      map[uint64]string // seq → hash of recently linked events, for duplicate detection
	seq1Hash    string            // hash of the current chain's seq 1
	recentOrder []uint64
}

// NewVerifier returns a verifier. With a public key, every event must carry
// a valid signature.
func NewVerifier(pub ed25519.PublicKey) *Verifier {
	return &Verifier{pub: pub, chains: map[string]*chainState{}, maxReplay: 100_000}
}

// Add checks one payload. streamSeq is its JetStream sequence (0 for an
// export line without one); gaps in streamSeq are reported as deletions.
func (v *Verifier) Add(streamSeq uint64, payload []byte) {
	v.events++
	if streamSeq != 0 {
		if v.lastSSeq != 0 && streamSeq > v.lastSSeq+1 {
			v.problems = append(v.problems, Problem{Kind: ProblemStreamGap, StreamSeq: v.lastSSeq + 1,
				Detail: fmt.Sprintf("stream messages %d..%d are missing (deleted)", v.lastSSeq+1, streamSeq-1)})
		}
		if streamSeq > v.lastSSeq {
			v.lastSSeq = streamSeq
		}
	}
	var ev struct {
		ID       string `json:"id"`
		Instance string `json:"instance"`
		Seq      uint64 `json:"seq"`
		Prev     string `json:"prev"`
		Hash     string `json:"hash"`
		Sig      string `json:"sig"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil || ev.Instance == "" || ev.Seq == 0 {
		v.problems = append(v.problems, Problem{Kind: ProblemUndecodable, StreamSeq: streamSeq,
			Detail: fmt.Sprintf("not a chained audit event (%v)", err)})
		return
	}
	h, err := HashPayload(payload)
	if err != nil || h != ev.Hash {
		v.problems = append(v.problems, Problem{Kind: ProblemHashMismatch, Instance: ev.Instance, Seq: ev.Seq,
			EventID: ev.ID, StreamSeq: streamSeq, Detail: "content does not match its hash (event altered)"})
	}
	if v.pub != nil && !VerifySig(v.pub, ev.Hash, ev.Sig) {
		v.problems = append(v.problems, Problem{Kind: ProblemBadSignature, Instance: ev.Instance, Seq: ev.Seq,
			EventID: ev.ID, StreamSeq: streamSeq, Detail: "signature missing or not made by the given key"})
	}
	c := v.chains[ev.Instance]
	if c == nil {
		c = &chainState{pending: map[uint64]vEntry{}, recent: map[uint64]string{}}
		v.chains[ev.Instance] = c
	}
	e := vEntry{id: ev.ID, hash: ev.Hash, prev: ev.Prev, sseq: streamSeq}
	switch {
	case c.events == 0 && c.last == 0:
		v.link(ev.Instance, c, ev.Seq, e, true)
	case ev.Seq == c.last+1:
		v.link(ev.Instance, c, ev.Seq, e, false)
	case ev.Seq == 1 && c.seq1Hash == e.hash:
		c.dups++
	case ev.Seq == 1:
		v.restart(ev.Instance, c, e)
	case ev.Seq <= c.last:
		v.duplicate(ev.Instance, c, ev.Seq, e)
	default:
		if old, ok := c.pending[ev.Seq]; ok {
			v.compareDup(ev.Instance, c, ev.Seq, old.hash, e)
			return
		}
		c.pending[ev.Seq] = e
		if len(c.pending) > v.maxReplay {
			v.skipToPending(ev.Instance, c)
		}
	}
}

// link appends e as the next event of the chain and drains pending ones.
func (v *Verifier) link(inst string, c *chainState, seq uint64, e vEntry, first bool) {
	if first {
		if c.events == 0 {
			c.first = seq
		}
	} else if e.prev != c.lastHash {
		v.problems = append(v.problems, Problem{Kind: ProblemBrokenLink, Instance: inst, Seq: seq, EventID: e.id,
			StreamSeq: e.sseq, Detail: fmt.Sprintf("prev does not match the hash of seq %d (an event before it was altered or replaced)", seq-1)})
	}
	c.last, c.lastHash = seq, e.hash
	if seq == 1 {
		c.seq1Hash = e.hash
	}
	c.events++
	c.remember(seq, e.hash)
	for {
		n, ok := c.pending[c.last+1]
		if !ok {
			return
		}
		delete(c.pending, c.last+1)
		v.link(inst, c, c.last+1, n, false)
	}
}

func (c *chainState) remember(seq uint64, hash string) {
	c.recent[seq] = hash
	c.recentOrder = append(c.recentOrder, seq)
	if len(c.recentOrder) > 65536 {
		delete(c.recent, c.recentOrder[0])
		c.recentOrder = c.recentOrder[1:]
	}
}

// restart handles a second, different seq 1 for an instance: its chain
// head was lost and a new chain began. That is reported once; the new
// chain is then verified on its own.
func (v *Verifier) restart(inst string, c *chainState, e vEntry) {
	v.problems = append(v.problems, Problem{Kind: ProblemConflict, Instance: inst, Seq: 1, EventID: e.id, StreamSeq: e.sseq,
		Detail: fmt.Sprintf("a new chain starts at seq 1 after seq %d (the instance's outbox or chain head was lost, or a forged chain)", c.last)})
	for len(c.pending) > 0 {
		v.skipToPending(inst, c)
	}
	c.recent, c.recentOrder = map[uint64]string{}, nil
	c.last, c.lastHash = 0, ""
	v.link(inst, c, 1, e, true)
}

func (v *Verifier) duplicate(inst string, c *chainState, seq uint64, e vEntry) {
	old, ok := c.recent[seq]
	if !ok {
		if seq < c.first {
			v.problems = append(v.problems, Problem{Kind: ProblemConflict, Instance: inst, Seq: seq, EventID: e.id, StreamSeq: e.sseq,
				Detail: fmt.Sprintf("seq %d appears after seq %d (chain restarted or events replayed)", seq, c.last)})
		}
		return
	}
	v.compareDup(inst, c, seq, old, e)
}

func (v *Verifier) compareDup(inst string, c *chainState, seq uint64, oldHash string, e vEntry) {
	if oldHash == e.hash {
		c.dups++
		return
	}
	v.problems = append(v.problems, Problem{Kind: ProblemConflict, Instance: inst, Seq: seq, EventID: e.id, StreamSeq: e.sseq,
		Detail: fmt.Sprintf("a different event with seq %d was seen before (chain restarted, or a forged event)", seq)})
}

// skipToPending declares the seqs before the lowest pending one missing.
func (v *Verifier) skipToPending(inst string, c *chainState) {
	low := uint64(0)
	for s := range c.pending {
		if low == 0 || s < low {
			low = s
		}
	}
	v.gap(inst, c, c.last+1, low-1)
	e := c.pending[low]
	delete(c.pending, low)
	c.lastHash = e.prev // the link across a gap cannot be checked
	c.last = low - 1
	v.link(inst, c, low, e, false)
}

func (v *Verifier) gap(inst string, c *chainState, from, to uint64) {
	c.missing += to - from + 1
	d := fmt.Sprintf("seq %d is missing (deleted or never published)", from)
	if to > from {
		d = fmt.Sprintf("seq %d..%d are missing (deleted or never published)", from, to)
	}
	v.problems = append(v.problems, Problem{Kind: ProblemGap, Instance: inst, Seq: from, Detail: d})
}

// Report finishes verification: events still waiting for a predecessor
// become gaps. The Verifier must not be used afterwards.
func (v *Verifier) Report() Report {
	names := make([]string, 0, len(v.chains))
	for n := range v.chains {
		names = append(names, n)
	}
	sort.Strings(names)
	r := Report{Events: v.events}
	for _, n := range names {
		c := v.chains[n]
		for len(c.pending) > 0 {
			v.skipToPending(n, c)
		}
		r.Instances = append(r.Instances, InstanceReport{Instance: n, First: c.first, Last: c.last,
			Events: c.events, Duplicates: c.dups, Missing: c.missing})
	}
	r.Problems = v.problems
	return r
}
