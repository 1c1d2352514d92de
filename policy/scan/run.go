package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/okuri/okuri/policy/detect"
	"github.com/okuri/okuri/policy/extract"
)

// run is the state of one Scan or ScanFile call.
type run struct {
	s       *Scanner
	lim     Limits
	ctx     context.Context
	budget  *extract.Budget
	report  *detect.Report
	sink    extract.Sink
	body    *bodyText // the message's body text, for Result.BodyText
	parts   []partState
	entries int
	mparts  int
	reasons []string // message-level reasons (limits hit outside a part)
	pv      *preview // start of the body text, for Result.Preview
	worst   Verdict  // strongest verdict from message-level problems
}

type partState struct {
	Part
	loc    extract.Location
	mime   bool // a MIME part: owns every location with its part number
	parent int  // index of the containing part, -1 for none
}

// addPart records a part inside part parent (-1: none) and returns its
// index. Parts are added after their parents, which finish relies on.
func (r *run) addPart(p Part, loc extract.Location, mime bool, parent int) int {
	r.parts = append(r.parts, partState{Part: p, loc: loc, mime: mime, parent: parent})
	return len(r.parts) - 1
}

// messageProblem records a problem that is not tied to one part.
func (r *run) messageProblem(v Verdict, reason string) {
	r.worst = stronger(r.worst, v)
	r.reasons = append(r.reasons, reason)
}

// fatal reports whether err must abort the scan: a cancelled context
// (not a deadline, which is the timeout limit).
func (r *run) fatal(err error) bool {
	return errors.Is(err, context.Canceled) && r.ctx.Err() != nil && !errors.Is(r.ctx.Err(), context.DeadlineExceeded)
}

// classify turns an extraction error into a verdict and a reason that
// names the problem but never content.
func classify(format string, err error) (Verdict, string) {
	if name, ok := extract.IsLimit(err); ok {
		return Unscannable, "limit " + name + " exceeded"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Unscannable, "limit " + extract.LimitTimeout + " exceeded"
	}
	if errors.Is(err, extract.ErrEncrypted) {
		return Encrypted, "encrypted " + format
	}
	var u *unscannableError
	if errors.As(err, &u) {
		return Unscannable, u.reason
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return Unscannable, "truncated " + format
	}
	return Unscannable, "cannot read " + format
}

// unscannableError carries a reason chosen by this package (safe to show).
type unscannableError struct{ reason string }

func (e *unscannableError) Error() string { return e.reason }

func unscannable(format string, args ...any) error {
	return &unscannableError{reason: fmt.Sprintf(format, args...)}
}

// finish computes verdicts and builds the Result.
func (r *run) finish(err error, ioErr error) (*Result, error) {
	if ioErr != nil {
		return nil, fmt.Errorf("scan: read message: %w", ioErr)
	}
	if err != nil {
		if r.fatal(err) || r.ctx.Err() == nil && errors.Is(err, context.Canceled) {
			return nil, fmt.Errorf("scan: %w", err)
		}
		v, reason := classify("message", err)
		r.messageProblem(v, reason)
	}
	res := &Result{
		Findings: r.report.Findings(),
		Summary:  r.report.Summary(),
		Verdict:  Clean,
		BodyText: r.body.b.String(),
	}
	res.Preview, res.PreviewTruncated = r.pv.text()
	personal := res.Summary.PersonalData
	for i := range r.parts {
		if r.parts[i].Verdict == "" {
			r.parts[i].Verdict = Clean
		}
	}
	if personal {
		markPersonal(r.parts, res.Findings)
	}
	// A container is at least as strong as what it contains. Children
	// come after their parents, so one backward pass propagates through
	// any depth.
	for i := len(r.parts) - 1; i >= 0; i-- {
		if p := r.parts[i].parent; p >= 0 {
			r.parts[p].Verdict = stronger(r.parts[p].Verdict, r.parts[i].Verdict)
		}
	}
	if personal {
		res.Verdict = PersonalData
		res.Reasons = append(res.Reasons, res.Summary.Reasons...)
	}
	res.Verdict = stronger(res.Verdict, r.worst)
	res.Reasons = append(res.Reasons, r.reasons...)
	for _, p := range r.parts {
		res.Parts = append(res.Parts, p.Part)
		res.Verdict = stronger(res.Verdict, p.Verdict)
		if p.Reason != "" {
			res.Reasons = append(res.Reasons, p.Path+": "+p.Reason)
		}
	}
	return res, nil
}

// markPersonal marks the innermost part holding each finding that has
// records or a strong ID; finish then propagates the verdict to the
// containers. A finding's path may go below its part (an XML entry inside
// a DOCX), so the path is shortened until it names a part.
func markPersonal(parts []partState, findings []detect.Finding) {
	byLoc := make(map[[2]string]int, len(parts))
	for i, p := range parts {
		byLoc[[2]string{p.loc.Part, p.loc.Path}] = i
	}
	for _, f := range findings {
		if f.Records == 0 && !f.Strong {
			continue
		}
		path := f.Where.Path
		for {
			if i, ok := byLoc[[2]string{f.Where.Part, path}]; ok {
				parts[i].Verdict = PersonalData
				break
			}
			if path == "" {
				break
			}
			path = path[:max(0, strings.LastIndexByte(path, '/'))]
		}
	}
}
