package scan

import (
	"github.com/okuri/okuri/policy/detect"
	"github.com/okuri/okuri/policy/extract"
)

// reportSink adapts a detect.Report to the extractors' sink interface.
type reportSink struct {
	rep *detect.Report
}

func toDetect(l extract.Location) detect.Location {
	return detect.Location{Part: l.Part, Path: l.Path, Sheet: l.Sheet}
}

func (s reportSink) Text(loc extract.Location) extract.TextWriter {
	return textWriter{s.rep.Text(toDetect(loc))}
}

func (s reportSink) Table(loc extract.Location) extract.TableWriter {
	return tableWriter{s.rep.Table(toDetect(loc))}
}

type textWriter struct{ t *detect.Text }

func (w textWriter) Write(p []byte) (int, error) { return w.t.Write(p) }
func (w textWriter) Close() error                { w.t.Close(); return nil }

type tableWriter struct{ t *detect.Table }

func (w tableWriter) Row(cells [][]byte) error { w.t.Row(cells); return nil }
func (w tableWriter) Close() error             { w.t.Close(); return nil }

// teeSink sends extracted content to two sinks (tests observe extraction
// through it).
type teeSink struct{ a, b extract.Sink }

func (t teeSink) Text(loc extract.Location) extract.TextWriter {
	return teeText{t.a.Text(loc), t.b.Text(loc)}
}

func (t teeSink) Table(loc extract.Location) extract.TableWriter {
	return teeTable{t.a.Table(loc), t.b.Table(loc)}
}

type teeText struct{ a, b extract.TextWriter }

func (t teeText) Write(p []byte) (int, error) {
	t.a.Write(p)
	return t.b.Write(p)
}

func (t teeText) Close() error { t.a.Close(); return t.b.Close() }

type teeTable struct{ a, b extract.TableWriter }

func (t teeTable) Row(c [][]byte) error { t.a.Row(c); return t.b.Row(c) }
func (t teeTable) Close() error         { t.a.Close(); return t.b.Close() }
