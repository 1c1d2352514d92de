package detect

import (
	"fmt"
	"testing"
)

// TestChunkInvarianceAcrossBlankLine: a label must not reach across a
// blank line, or the result would depend on where writes were cut.
func TestChunkInvarianceAcrossBlankLine(t *testing.T) {
	e := newEngine(t)
	in := "生年月日\n\n1980/01/01 山田 花子 様\n\nよろしく\n"
	a := scanText(e, in, 0)
	b := scanText(e, in, 7)
	if x, y := fmt.Sprint(a.Summary(), a.Findings()), fmt.Sprint(b.Summary(), b.Findings()); x != y {
		t.Errorf("whole %s\nchunked %s", x, y)
	}
}
