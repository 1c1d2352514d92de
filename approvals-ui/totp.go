package approvalsui

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP per RFC 6238 with the defaults every authenticator app uses:
// HMAC-SHA-1 (RFC 4226), 30-second steps from the Unix epoch, 6 digits.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	totpSkew   = 1 // steps accepted either side, for clock drift
)

// hotp is RFC 4226 section 5.3: dynamic truncation of HMAC-SHA-1(K, C).
func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, bin%1000000)
}

func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(s, "="))
}

// totpCode returns the code of secret at t (for tests and enrolment checks).
func totpCode(secret string, t time.Time) string {
	key, err := decodeSecret(secret)
	if err != nil {
		return ""
	}
	return hotp(key, uint64(t.Unix())/uint64(totpStep/time.Second))
}

// verifyTOTP checks code against the steps around now and returns the
// matching step, which the caller records so that a code works once
// (RFC 6238 section 5.2). Steps at or below last are refused.
func verifyTOTP(secret, code string, now time.Time, last uint64) (uint64, bool) {
	key, err := decodeSecret(secret)
	code = strings.TrimSpace(code)
	if err != nil || len(code) != totpDigits {
		return 0, false
	}
	cur := uint64(now.Unix()) / uint64(totpStep/time.Second)
	for d := -totpSkew; d <= totpSkew; d++ {
		step := uint64(int64(cur) + int64(d))
		if step <= last {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotp(key, step)), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// otpauthURI is the key-uri format authenticator apps import.
func otpauthURI(issuer, account, secret string) string {
	v := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + v.Encode()
}
