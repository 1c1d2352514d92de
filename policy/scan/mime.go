package scan

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/emersion/go-message"

	"github.com/okuri/okuri/policy/extract"
)

// errStop ends a MIME walk early after a limit was recorded.
var errStop = errors.New("stop walk")

// message walks one RFC 5322 message: the top-level one (prefix "",
// parent -1) or an attached message (prefix is its part number, parent
// its part index). depth counts the nesting levels already entered.
func (r *run) message(rd io.Reader, prefix string, depth, parent int) error {
	ent, err := message.ReadWithOptions(rd, &message.ReadOptions{MaxHeaderBytes: 1 << 20})
	if ent == nil {
		r.problem(parent, Unscannable, "cannot parse message header")
		return nil
	}
	if prefix == "" {
		// The subject is text the sender wrote, like the body.
		if subj, serr := decodeWords(ent.Header.Get("Subject")); serr == nil && subj != "" {
			tw := r.sink.Text(extract.Location{Part: "0", Path: "Subject"})
			tw.Write([]byte(subj))
			tw.Close()
		}
	}
	rootErr := err
	werr := ent.Walk(func(path []int, e *message.Entity, werr error) error {
		if path == nil && rootErr != nil {
			werr = rootErr
		}
		return r.entity(prefix, depth, parent, path, e, werr)
	})
	if errors.Is(werr, errStop) {
		return nil
	}
	if werr != nil {
		if r.fatal(werr) {
			return werr
		}
		// A broken multipart structure (bad boundary, truncated part):
		// whatever was not reached was not scanned.
		v, reason := classify("MIME structure", werr)
		r.problem(parent, v, reason)
	}
	return nil
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

// entity handles one node of the MIME tree.
func (r *run) entity(prefix string, depth, parent int, path []int, e *message.Entity, werr error) error {
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
	mediaType, params, _ := e.Header.ContentType()
	mediaType = strings.ToLower(mediaType)
	num := partNumber(prefix, path)
	if depth+len(path) > r.lim.MaxDepth {
		r.messageProblem(Unscannable, num+": limit "+extract.LimitDepth+" exceeded")
		return errStop
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		// A container: Walk descends into it. go-message ignores a
		// transfer encoding on multiparts (RFC 2045 6.4 quirk), so werr
		// cannot concern its content.
		return nil
	}
	name := attachmentName(e.Header)
	disp, _, _ := e.Header.ContentDisposition()
	p := Part{
		Path:        num,
		Name:        name,
		ContentType: mediaType,
		Attachment:  name != "" || strings.EqualFold(disp, "attachment"),
	}
	idx := r.addPart(p, extract.Location{Part: num}, true, parent)
	if werr != nil && message.IsUnknownEncoding(werr) {
		r.setPart(idx, Unscannable, "unknown transfer encoding")
		return drain(e.Body)
	}
	if v, reason, ok := cryptoPart(mediaType, params); ok {
		// Signatures carry no content; encrypted bodies cannot be read.
		r.setPart(idx, v, reason)
		if v == Clean {
			r.parts[idx].Reason = reason
		}
		return drain(e.Body)
	}
	declared := ""
	if strings.HasPrefix(mediaType, "text/") {
		declared = params["charset"]
	}
	body := r.budget.Reader(e.Body, 0, "")
	if mediaType == "message/rfc822" || mediaType == "message/global" {
		if err := r.message(body, num, depth+len(path)+1, idx); err != nil {
			return err
		}
		return drain(e.Body)
	}
	sp, err := spool(body, r.s.opts.MemThreshold, r.lim.MaxFileBytes, r.s.opts.TempDir)
	if err != nil {
		if r.fatal(err) {
			return err
		}
		v, reason := classify("part", err)
		if _, isLimit := extract.IsLimit(err); !isLimit && v == Unscannable {
			reason = "transfer decoding failed"
		}
		r.setPart(idx, v, reason)
		return drain(e.Body)
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
		depth:   depth + len(path),
		part:    idx,
	}
	if name != "" || !strings.HasPrefix(mediaType, "text/") {
		f.loc.Path = safeName(name)
	}
	return r.runFile(idx, f)
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
