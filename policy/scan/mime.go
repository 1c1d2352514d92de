package scan

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"

	"github.com/okuri/okuri/policy/extract"
)

// errStop ends a MIME walk early after a limit was recorded.
var errStop = errors.New("stop walk")

// maxHeaderBytes bounds one header block (as go-message's default).
const maxHeaderBytes = 1 << 20

// walk is where a MIME tree hangs: the top-level message (prefix "",
// parent -1) or an attached message (prefix is its part number, parent
// its part index); depth counts the nesting levels already entered.
type walk struct {
	prefix string
	depth  int
	parent int
}

// message walks one RFC 5322 message.
//
// okuri walks MIME itself instead of with go-message's Walk: Walk decodes
// text bodies to UTF-8 whenever some other package of the binary has set
// message.CharsetReader (smtpd and approvals-ui do), and okuri then
// decoded them a second time (every ISO-2022-JP body was unscannable);
// and Walk drops preambles and epilogues, where a sender can hide text.
func (r *run) message(rd io.Reader, prefix string, depth, parent int) error {
	h, body, err := readHeader(rd)
	if err != nil {
		if r.fatal(err) {
			return err
		}
		r.problem(parent, Unscannable, "cannot parse message header")
		return nil
	}
	if prefix == "" {
		// The subject is text the sender wrote, like the body.
		if subj, serr := decodeWords(h.Get("Subject")); serr == nil && subj != "" {
			tw := r.sink.Text(extract.Location{Part: "0", Path: "Subject"})
			tw.Write([]byte(subj))
			tw.Close()
		}
	}
	err = r.entity(walk{prefix: prefix, depth: depth, parent: parent}, nil, h, body)
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// readHeader reads a header block of at most maxHeaderBytes; the body is
// the rest of the returned reader.
func readHeader(rd io.Reader) (message.Header, io.Reader, error) {
	lr := &limitReader{r: rd, n: maxHeaderBytes}
	br := bufio.NewReaderSize(lr, 16<<10)
	h, err := textproto.ReadHeader(br)
	lr.n = -1
	if err != nil {
		return message.Header{}, nil, fmt.Errorf("read header: %w", err)
	}
	return message.Header{Header: h}, br, nil
}

// limitReader fails once n bytes were read; n < 0 lifts the limit.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return l.r.Read(p)
	}
	if l.n == 0 {
		return 0, errors.New("header too long")
	}
	p = p[:min(int64(len(p)), l.n)]
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// problem records a problem of a whole message: on its part when it is
// an attached message, else on the message itself.
func (r *run) problem(parent int, v Verdict, reason string) {
	if parent >= 0 {
		r.setPart(parent, v, reason)
		return
	}
	r.messageProblem(v, reason)
}

// partNumber is the IMAP-style number of a part: 1-based indices joined
// by dots, "1" for the body of a single-part message.
func partNumber(prefix string, path []int) string {
	var b strings.Builder
	b.WriteString(prefix)
	if len(path) == 0 {
		if prefix != "" {
			b.WriteByte('.')
		}
		b.WriteByte('1')
		return b.String()
	}
	for i, n := range path {
		if i > 0 || prefix != "" {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(n + 1))
	}
	return b.String()
}

// entity handles one node of the MIME tree; raw is its body before
// transfer decoding. It returns only errors that end the walk.
func (r *run) entity(w walk, path []int, h message.Header, raw io.Reader) error {
	if err := r.budget.Err(); err != nil {
		if r.fatal(err) {
			return err
		}
		r.messageProblem(Unscannable, "limit "+extract.LimitTimeout+" exceeded")
		return errStop
	}
	r.mparts++
	if r.mparts > r.lim.MaxParts {
		r.messageProblem(Unscannable, "limit "+extract.LimitParts+" exceeded")
		return errStop
	}
	if w.depth+len(path) > r.lim.MaxDepth {
		r.messageProblem(Unscannable, partNumber(w.prefix, path)+": limit "+extract.LimitDepth+" exceeded")
		return errStop
	}
	types := h.Values("Content-Type")
	if len(types) <= 1 {
		return r.interpret(w, path, h, raw, -1)
	}
	return r.everyType(w, path, h, types, raw)
}

// interpret handles an entity under the Content-Type of h. A leaf is
// recorded as part reuse when reuse >= 0 (another reading of a part that
// declares several types), else as a new part.
func (r *run) interpret(w walk, path []int, h message.Header, raw io.Reader, reuse int) error {
	mediaType, params, _ := h.ContentType()
	mediaType = strings.ToLower(mediaType)
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" {
		// RFC 2045 6.4 forbids a transfer encoding on multiparts; like
		// go-message, okuri ignores one.
		return r.multipart(w, path, params["boundary"], raw)
	}
	return r.leaf(w, path, h, mediaType, params, raw, reuse)
}

// leaf scans a part that is not a multipart.
func (r *run) leaf(w walk, path []int, h message.Header, mediaType string, params map[string]string, raw io.Reader, reuse int) error {
	num := partNumber(w.prefix, path)
	name := attachmentName(h)
	disp, _, _ := h.ContentDisposition()
	p := Part{
		Path:        num,
		Name:        name,
		ContentType: mediaType,
		Attachment:  name != "" || strings.EqualFold(disp, "attachment"),
	}
	idx := reuse
	if idx < 0 {
		idx = r.addPart(p, extract.Location{Part: num}, true, w.parent)
	}
	decoded, err := transferDecoder(h, raw)
	if err != nil {
		reason := "unknown transfer encoding"
		if !message.IsUnknownEncoding(err) {
			reason = "transfer decoding failed"
		}
		r.setPart(idx, Unscannable, reason)
		return drain(raw)
	}
	if v, reason, ok := cryptoPart(mediaType, params); ok {
		// Signatures carry no content; encrypted bodies cannot be read.
		r.setPart(idx, v, reason)
		if v == Clean {
			r.parts[idx].Reason = reason
		}
		return drain(raw)
	}
	declared := ""
	if strings.HasPrefix(mediaType, "text/") {
		declared = params["charset"]
	}
	depth := w.depth + len(path)
	body := r.budget.Reader(decoded, 0, "")
	if mediaType == "message/rfc822" || mediaType == "message/global" {
		if err := r.message(body, num, depth+1, idx); err != nil {
			return err
		}
		return drain(raw)
	}
	sp, err := spool(r.s.spool, body, r.lim.MaxFileBytes)
	if err != nil {
		if r.fatal(err) {
			return err
		}
		v, reason := classify("part", err)
		if _, isLimit := extract.IsLimit(err); !isLimit && v == Unscannable {
			reason = "transfer decoding failed"
		}
		r.setPart(idx, v, reason)
		return drain(raw)
	}
	defer sp.Close()
	r.parts[idx].Size = sp.size
	f := &file{
		loc:     extract.Location{Part: num},
		name:    name,
		ctype:   mediaType,
		charset: declared,
		ra:      sp,
		size:    sp.size,
		depth:   depth,
		part:    idx,
	}
	if name != "" || !strings.HasPrefix(mediaType, "text/") {
		f.loc.Path = safeName(name)
	}
	if isBodyPart(w, mediaType, disp) {
		r.body.watch(f.loc)
	}
	return r.runFile(idx, f)
}

// transferDecoder undoes the Content-Transfer-Encoding of h, and nothing
// else: message.New is given a header without Content-Type, so it cannot
// convert the charset.
func transferDecoder(h message.Header, raw io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "x-uuencode", "x-uue", "uuencode":
		return uuBody(raw)
	}
	var th message.Header
	if cte := h.Get("Content-Transfer-Encoding"); cte != "" {
		th.Set("Content-Transfer-Encoding", cte)
	}
	e, err := message.New(th, raw)
	if err != nil {
		return nil, err
	}
	return e.Body, nil
}

// cryptoPart classifies S/MIME and OpenPGP parts (RFC 8551, RFC 3156) by
// their MIME type.
func cryptoPart(mediaType string, params map[string]string) (Verdict, string, bool) {
	switch mediaType {
	case "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature":
		return Clean, "signature, not content", true
	case "application/pgp-encrypted":
		return Encrypted, "OpenPGP encrypted message", true
	case "application/pkcs7-mime", "application/x-pkcs7-mime":
		switch strings.ToLower(params["smime-type"]) {
		case "enveloped-data", "authenveloped-data":
			return Encrypted, "S/MIME encrypted message", true
		}
		return Unscannable, "S/MIME opaque signed or compressed data is not supported", true
	}
	return "", "", false
}

// drain consumes what is left of a part body, as Walk requires. Read
// errors are ignored: the part is already marked unscannable, and an I/O
// error on the message itself is recorded by errReaderAt.
func drain(r io.Reader) error {
	io.Copy(io.Discard, r)
	return nil
}

// setPart sets a part's verdict and reason unless a stronger one is set.
func (r *run) setPart(idx int, v Verdict, reason string) {
	p := &r.parts[idx]
	if p.Verdict == "" || stronger(p.Verdict, v) != p.Verdict {
		p.Verdict = v
		p.Reason = reason
	}
}

// safeName makes a file name usable as one element of a location path.
func safeName(name string) string {
	name = strings.NewReplacer("/", "_", "\\", "_").Replace(name)
	if name == "" {
		return "unnamed"
	}
	return name
}
