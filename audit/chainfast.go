package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// The fast chaining path. An outbox entry written by Marshal is already in
// canonical form (sorted fields and map keys, no HTML escaping, integers
// only) unless it contains one of the few things encoding/json writes
// differently from RFC 8785 (see canonicalFast). Then the chained payload
// is the entry with "instance", "prev" and "seq" spliced in at their
// sorted places, its hash is SHA-256 of exactly those bytes, and the
// stored form adds "hash" and "sig" the same way — no decoding, no
// re-encoding. Anything unexpected falls back to the decode/encode path.
// TestSealRawMatchesSeal checks both paths agree.

// member is a top-level member to insert; val is its JSON encoding.
type member struct {
	key string
	val []byte
}

// rawIsCanonical reports whether raw can take the fast path: no
// whitespace between tokens, none of the escapes and characters where
// encoding/json and RFC 8785 differ (U+2028/2029 and invalid UTF-8
// escapes, HTML escapes, anything outside the BMP), balanced strings.
// It does not re-validate the JSON grammar: outbox entries are written by
// Marshal (directly or through a Lua script), and a malformed one would
// still be caught by verify as undecodable.
func rawIsCanonical(raw []byte) bool {
	for _, bad := range [][]byte{[]byte(`\u2028`), []byte(`\u2029`), []byte(`\ufffd`), []byte(`\u003c`), []byte(`\u003e`), []byte(`\u0026`)} {
		if bytes.Contains(raw, bad) {
			return false
		}
	}
	inStr, esc := false, false
	for _, c := range raw {
		if c >= 0xF0 {
			return false // supplementary characters sort differently
		}
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case !inStr && (c == ' ' || c == '\n' || c == '\r' || c == '\t'):
			return false // whitespace between tokens is not canonical
		}
	}
	return !inStr && len(raw) > 1 && raw[0] == '{' && raw[len(raw)-1] == '}'
}

// splice returns obj (a canonical top-level JSON object) with add (sorted
// by key, keys absent from obj) inserted at their sorted positions. ok is
// false when obj's top-level keys are not strictly increasing, contain
// escapes, or already hold one of the keys.
func splice(obj []byte, add []member) (out []byte, ok bool) {
	if len(obj) < 2 || obj[0] != '{' || obj[len(obj)-1] != '}' {
		return nil, false
	}
	extra := 0
	for _, m := range add {
		extra += len(m.key) + len(m.val) + 4
	}
	out = make([]byte, 0, len(obj)+extra+1)
	out = append(out, '{')
	first := true
	emit := func(key string, val []byte) {
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, '"')
		out = append(out, key...)
		out = append(out, '"', ':')
		out = append(out, val...)
	}
	emitRaw := func(m []byte) { // an existing `"key":value` member
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, m...)
	}
	var prevKey []byte
	i := 1
	for i < len(obj)-1 {
		if obj[i] == ',' {
			i++
		}
		if obj[i] != '"' {
			return nil, false
		}
		j := i + 1
		for j < len(obj) && obj[j] != '"' {
			if obj[j] == '\\' {
				return nil, false
			}
			j++
		}
		key := obj[i+1 : j]
		if j+1 >= len(obj) || obj[j+1] != ':' || (prevKey != nil && bytes.Compare(key, prevKey) <= 0) {
			return nil, false
		}
		prevKey = key
		vs := j + 2
		ve, ok := skipValue(obj, vs)
		if !ok {
			return nil, false
		}
		for len(add) > 0 && add[0].key <= string(key) { // no allocation: compiler optimises the conversion
			if add[0].key == string(key) {
				return nil, false
			}
			emit(add[0].key, add[0].val)
			add = add[1:]
		}
		emitRaw(obj[i:ve])
		i = ve
	}
	for _, m := range add {
		emit(m.key, m.val)
	}
	return append(out, '}'), true
}

// skipValue returns the end of the JSON value starting at i (valid JSON
// assumed: json.Valid ran first).
func skipValue(b []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			if depth == 0 {
				return i + 1, true
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, true // end of the enclosing object
			}
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case ',':
			if depth == 0 {
				return i, true
			}
		}
	}
	return i, false
}

// topString returns the value of a top-level string member of a
// canonical object without decoding it (no escapes allowed in it).
func topString(obj []byte, key string) (string, bool) {
	b, ok := topBytes(obj, key)
	return string(b), ok
}

// topBytes is topString without the copy.
func topBytes(obj []byte, key string) ([]byte, bool) {
	var pat []byte
	switch key {
	case "id":
		pat = patID
	case "type":
		pat = patType
	default:
		pat = []byte(`"` + key + `":"`)
	}
	i := 1
	for i < len(obj)-1 {
		if obj[i] == ',' {
			i++
		}
		if bytes.HasPrefix(obj[i:], pat) {
			s := i + len(pat)
			e := bytes.IndexByte(obj[s:], '"')
			if e < 0 || bytes.IndexByte(obj[s:s+e], '\\') >= 0 {
				return nil, false
			}
			return obj[s : s+e], true
		}
		// skip this member
		j := bytes.IndexByte(obj[i+1:], '"')
		if j < 0 {
			return nil, false
		}
		ve, ok := skipValue(obj, i+1+j+2)
		if !ok {
			return nil, false
		}
		i = ve
	}
	return nil, false
}

var (
	patID   = []byte(`"id":"`)
	patType = []byte(`"type":"`)
)

// jsonString returns the canonical JSON encoding of s.
func jsonString(s string) []byte {
	var buf bytes.Buffer
	writeString(&buf, s)
	return buf.Bytes()
}

// quoteHex quotes a hex or base64 string (nothing to escape).
func quoteHex(s string) []byte {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// sealRaw chains an outbox entry on the fast path: ok is false when the
// entry must take the decode/encode path (seal).
func (p *publisher) sealRaw(raw []byte, seq uint64, prev string) (final []byte, hash string, ok bool) {
	if !rawIsCanonical(raw) {
		return nil, "", false
	}
	if t, ok := topBytes(raw, "type"); !ok || validTypeBytes(t) != nil {
		return nil, "", false
	}
	if id, ok := topBytes(raw, "id"); !ok || len(id) == 0 {
		return nil, "", false
	}
	if p.instanceJSON == nil {
		p.instanceJSON = jsonString(p.instance)
	}
	var addBuf [3]member
	var seqBuf [20]byte
	add := append(addBuf[:0], member{"instance", p.instanceJSON})
	if prev != "" {
		add = append(add, member{"prev", quoteHex(prev)})
	}
	add = append(add, member{"seq", strconv.AppendUint(seqBuf[:0], seq, 10)})
	canon, ok := splice(raw, add)
	if !ok {
		return nil, "", false
	}
	sum := sha256.Sum256(canon)
	hash = hex.EncodeToString(sum[:])
	add = append(add[:0], member{"hash", quoteHex(hash)})
	if p.signKey != nil {
		sig, err := SignHash(p.signKey, hash)
		if err != nil {
			return nil, "", false
		}
		add = append(add, member{"sig", quoteHex(sig)})
	}
	final, ok = splice(canon, add)
	if !ok {
		return nil, "", false
	}
	return final, hash, true
}
