package smtpd

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/emersion/go-smtp"
)

// maxLine is the longest line RFC 5322 section 2.1.1 allows, without CRLF.
// A longer line is split or refused by the next hop — either way what the
// recipient sees is not what okuri scanned — so it is refused here.
const maxLine = 998

// dataChecker passes DATA through to the spool while checking, in one pass,
// for bare CR or LF (RFC 5321 section 2.3.8), NUL characters and lines over
// 998 octets (RFC 5322 sections 2.1 and 2.1.1), and the header section size.
type dataChecker struct {
	w          io.Writer
	maxHeader  int64
	prevCR     bool // last byte seen was CR
	bare       bool
	nul        bool
	lineLen    int // octets of the current line so far, CR included
	long       bool
	inHeader   bool
	headerSize int64
	tail       [3]byte // last bytes of the header seen so far, to find CRLFCRLF across writes
	tailLen    int
}

func newDataChecker(w io.Writer, maxHeader int64) *dataChecker {
	return &dataChecker{w: w, maxHeader: maxHeader, inHeader: true}
}

func (d *dataChecker) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	d.checkLines(p)
	if !d.nul && bytes.IndexByte(p, 0) >= 0 {
		d.nul = true
	}
	if d.inHeader {
		d.scanHeader(p)
	}
	return d.w.Write(p)
}

// checkLines finds, in one IndexByte pass over the line feeds, an LF not
// preceded by CR and a line over maxLine octets; a CR not followed by LF
// shows as more CRs than CRLF pairs (bytes.Count is one vectorised pass).
// A CR at the end of p is carried to the next write.
func (d *dataChecker) checkLines(p []byte) {
	if d.bare {
		return // refused whatever else is wrong
	}
	if d.prevCR && p[0] != '\n' {
		d.bare = true
		return
	}
	lfs, start := 0, 0
	for {
		j := bytes.IndexByte(p[start:], '\n')
		if j < 0 {
			break
		}
		at := start + j
		if (at == 0 && !d.prevCR) || (at > 0 && p[at-1] != '\r') {
			d.bare = true
			return
		}
		if d.lineLen+j > maxLine+1 { // +1: the CR of CRLF
			d.long = true
		}
		d.lineLen = 0
		lfs++
		start = at + 1
	}
	last := p[len(p)-1]
	d.lineLen += len(p) - start
	if d.lineLen > maxLine+1 || (d.lineLen == maxLine+1 && last != '\r') {
		d.long = true
	}
	paired := lfs // CRs in p that end a line
	if d.prevCR {
		paired-- // the first LF ends a CR carried from the last write
	}
	if last == '\r' {
		paired++
	}
	if bytes.Count(p, cr) != paired {
		d.bare = true
		return
	}
	d.prevCR = last == '\r'
}

var cr = []byte{'\r'}

var crlfcrlf = []byte("\r\n\r\n")

func (d *dataChecker) scanHeader(p []byte) {
	// Join the carried tail with the start of p to find a separator that
	// straddles two writes.
	var joint [6]byte
	n := copy(joint[:], d.tail[:d.tailLen])
	n += copy(joint[n:], p[:min(3, len(p))])
	if i := bytes.Index(joint[:n], crlfcrlf); i >= 0 {
		d.headerSize += int64(i + 4 - d.tailLen)
		d.inHeader = false
		return
	}
	if len(p) >= 2 && d.headerSize == 0 && p[0] == '\r' && p[1] == '\n' {
		d.inHeader = false // empty header section
		return
	}
	if i := bytes.Index(p, crlfcrlf); i >= 0 {
		d.headerSize += int64(i + 4)
		d.inHeader = false
		return
	}
	d.headerSize += int64(len(p))
	if len(p) >= 3 {
		d.tailLen = copy(d.tail[:], p[len(p)-3:])
	} else {
		keep := append(d.tail[:d.tailLen:d.tailLen], p...)
		d.tailLen = copy(d.tail[:], keep[max(0, len(keep)-3):])
	}
}

// verdict is checked after the whole DATA was read, so a smuggling attempt
// is answered only at the real end of data.
func (d *dataChecker) verdict() error {
	if d.bare || d.prevCR {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message: "Message contains bare CR or LF characters (RFC 5321 section 2.3.8)"}
	}
	if d.nul {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message: "Message contains NUL characters (RFC 5322 section 2.1)"}
	}
	if d.long {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message: "Message has a line longer than 998 octets (RFC 5322 section 2.1.1); send long text encoded (quoted-printable or base64)"}
	}
	if d.headerSize > d.maxHeader {
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "Message header too large"}
	}
	return nil
}

// writeReceived prepends the trace header (RFC 5321 section 4.4). It names
// no recipient: a "for" clause would expose Bcc recipients.
func writeReceived(w io.Writer, s *session, qid string, now time.Time) {
	proto := "ESMTP"
	if s.tls {
		proto += "S"
	}
	if s.user != nil {
		proto += "A" // RFC 3848
	}
	tlsComment := ""
	if s.tlsInfo != "" {
		tlsComment = "\r\n\t(using " + s.tlsInfo + ")"
	}
	fmt.Fprintf(w, "Received: from %s ([%s])%s\r\n\tby %s (okuri) with %s id %s;\r\n\t%s\r\n",
		heloToken(s.helo), s.ip.String(), tlsComment, s.s.opts.Hostname, proto, qid, now.Format(time.RFC1123Z))
}

func heloToken(h string) string {
	b := make([]byte, 0, min(len(h), 255))
	for i := 0; i < len(h) && len(b) < 255; i++ {
		c := h[i]
		if c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != ';' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return "unknown"
	}
	return string(b)
}
