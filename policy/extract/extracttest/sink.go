// Package extracttest provides a recording extract.Sink for tests.
package extracttest

import (
	"strings"
	"sync"

	"github.com/okuri/okuri/policy/extract"
)

// Sink records everything written to it. Safe for concurrent use.
type Sink struct {
	mu     sync.Mutex
	Texts  map[extract.Location]*strings.Builder
	Tables map[extract.Location][][]string
}

// New returns an empty recording sink.
func New() *Sink {
	return &Sink{Texts: map[extract.Location]*strings.Builder{}, Tables: map[extract.Location][][]string{}}
}

// Text implements extract.Sink.
func (s *Sink) Text(loc extract.Location) extract.TextWriter {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.Texts[loc]
	if b == nil {
		b = &strings.Builder{}
		s.Texts[loc] = b
	}
	return &textW{s: s, b: b}
}

// Table implements extract.Sink.
func (s *Sink) Table(loc extract.Location) extract.TableWriter {
	return &tableW{s: s, loc: loc}
}

// AllText returns all text and all table cells, for substring checks.
func (s *Sink) AllText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, t := range s.Texts {
		b.WriteString(t.String())
		b.WriteByte('\n')
	}
	for _, rows := range s.Tables {
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|"))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Rows returns all table rows joined with "|", in table order per location.
func (s *Sink) Rows() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, rows := range s.Tables {
		for _, r := range rows {
			out = append(out, strings.Join(r, "|"))
		}
	}
	return out
}

type textW struct {
	s *Sink
	b *strings.Builder
}

func (w *textW) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.b.Write(p)
}
func (w *textW) Close() error { return nil }

type tableW struct {
	s   *Sink
	loc extract.Location
}

func (w *tableW) Row(cells [][]byte) error {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = string(c)
	}
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	w.s.Tables[w.loc] = append(w.s.Tables[w.loc], row)
	return nil
}
func (w *tableW) Close() error { return nil }
