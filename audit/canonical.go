package audit

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Canonical returns the canonical encoding of an event payload, the bytes
// its hash is computed over:
//
//   - the payload is parsed as JSON and the top-level members "hash" and
//     "sig" are removed (every other member, known or not, is kept);
//   - it is serialised per RFC 8785 (JSON Canonicalization Scheme):
//     no whitespace, object members sorted by the UTF-16 code units of
//     their names, strings with only '"', '\\' and control characters
//     escaped (\b \f \n \r \t, else \u00xx lowercase), literals as is;
//   - numbers must be integers of at most 15 digits (all numbers in the
//     v1 schema are), written in plain decimal, which is what RFC 8785
//     gives for them; anything else is an error.
//
// hash = lowercase hex SHA-256(Canonical(payload)).
// sig  = standard base64 Ed25519 signature over the 32 raw hash bytes.
func Canonical(payload []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("audit: canonical: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("audit: canonical: trailing data after event")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("audit: canonical: event is not a JSON object")
	}
	delete(obj, "hash")
	delete(obj, "sig")
	var buf bytes.Buffer
	buf.Grow(len(payload))
	if err := writeCanonical(&buf, obj); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// HashPayload returns the hex SHA-256 of Canonical(payload).
func HashPayload(payload []byte) (string, error) {
	c, err := Canonical(payload)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// SignHash signs a hex hash with key.
func SignHash(key ed25519.PrivateKey, hash string) (string, error) {
	raw, err := hex.DecodeString(hash)
	if err != nil || len(raw) != sha256.Size {
		return "", fmt.Errorf("audit: sign: bad hash %q", hash)
	}
	return base64.StdEncoding.EncodeToString(ed25519.Sign(key, raw)), nil
}

// VerifySig reports whether sig is pub's signature of hash.
func VerifySig(pub ed25519.PublicKey, hash, sig string) bool {
	raw, err := hex.DecodeString(hash)
	if err != nil || len(raw) != sha256.Size {
		return false
	}
	s, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	return ed25519.Verify(pub, raw, s)
}

func writeCanonical(buf *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		if v {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case json.Number:
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil || n > 999_999_999_999_999 || n < -999_999_999_999_999 {
			return fmt.Errorf("audit: canonical: number %s is not a small integer", v)
		}
		buf.WriteString(strconv.FormatInt(n, 10))
	case string:
		writeString(buf, v)
	case []any:
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeCanonical(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return lessUTF16(keys[i], keys[j]) })
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, k)
			buf.WriteByte(':')
			if err := writeCanonical(buf, v[k]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	default:
		return fmt.Errorf("audit: canonical: unexpected %T", v)
	}
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	const hexd = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			buf.WriteRune(r) // invalid UTF-8 becomes U+FFFD, as json.Unmarshal does
			i += size
			continue
		}
		switch c {
		case '"':
			buf.WriteString(`\"`)
		case '\\':
			buf.WriteString(`\\`)
		case '\b':
			buf.WriteString(`\b`)
		case '\f':
			buf.WriteString(`\f`)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		default:
			if c < 0x20 {
				buf.WriteString(`\u00`)
				buf.WriteByte(hexd[c>>4])
				buf.WriteByte(hexd[c&0xf])
			} else {
				buf.WriteByte(c)
			}
		}
		i++
	}
	buf.WriteByte('"')
}

// lessUTF16 orders strings by their UTF-16 code units (RFC 8785 §3.2.3).
func lessUTF16(a, b string) bool {
	// UTF-8 byte order equals code point order, which equals UTF-16 order
	// unless a supplementary character (4-byte UTF-8) is involved.
	if !hasSupplementary(a) && !hasSupplementary(b) {
		return a < b
	}
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return len(ua) < len(ub)
}

func hasSupplementary(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xF0 {
			return true
		}
	}
	return false
}

// canonicalFast encodes ev with encoding/json, which for an Event is the
// canonical encoding (sorted struct fields and map keys, no HTML
// escaping) except in rare cases it detects and reports with ok=false:
// U+2028/U+2029 or invalid UTF-8 (escaped by encoding/json, not by RFC
// 8785) and map keys with supplementary characters (ordered differently).
// TestCanonicalFastMatchesCanonical keeps it honest.
func canonicalFast(ev *Event) (b []byte, ok bool, err error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil {
		return nil, false, err
	}
	b = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if bytes.Contains(b, []byte(`\u2028`)) || bytes.Contains(b, []byte(`\u2029`)) || bytes.Contains(b, []byte(`\ufffd`)) {
		return b, false, nil
	}
	for k := range ev.Attrs {
		if hasSupplementary(k) {
			return b, false, nil
		}
	}
	for k := range ev.Findings {
		if hasSupplementary(k) {
			return b, false, nil
		}
	}
	if ev.Lost != nil {
		for k := range ev.Lost.ByType {
			if hasSupplementary(k) {
				return b, false, nil
			}
		}
	}
	return b, true, nil
}
