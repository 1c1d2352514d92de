package directory

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Two-factor state lives in the users file next to the password hash, so
// that `okuri user` and the approvals UI edit one file and a SIGHUP reload
// sees both. The TOTP secret must be readable to verify codes (RFC 6238 is
// a shared-secret scheme), so it is stored as is in the 0600 users file;
// recovery codes are single-use and stored only as SHA-256 hashes.

// NewTOTPSecret returns a random 160-bit secret (RFC 4226 section 4
// recommends 160 bits), base32 without padding as authenticator apps expect.
func NewTOTPSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("directory: totp secret: %w", err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b), nil
}

// NewRecoveryCodes returns n random codes (10 lower-case letters and digits,
// shown as xxxxx-xxxxx) and their hashes to store.
func NewRecoveryCodes(n int) (codes, hashes []string, err error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789" // no 0/o, 1/l/i
	for range n {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, fmt.Errorf("directory: recovery code: %w", err)
		}
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		c := string(b[:5]) + "-" + string(b[5:])
		codes = append(codes, c)
		hashes = append(hashes, HashRecoveryCode(c))
	}
	return codes, hashes, nil
}

// HashRecoveryCode normalises a recovery code (case, spaces, dashes) and
// returns its SHA-256 in hex.
func HashRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	h := sha256.Sum256([]byte("okuri-recovery:" + c))
	return hex.EncodeToString(h[:])
}

// SetTOTP enrols (secret and recovery hashes set) or resets (both empty)
// the two-factor state of an existing user, writing the users file
// atomically.
func SetTOTP(path, address, secret string, recoveryHashes []string) error {
	return updateUser(path, address, func(u *User) error {
		u.TOTP, u.RecoveryCodes = secret, recoveryHashes
		return nil
	})
}

// ErrRecoveryCode means the recovery code is not one of the user's unused codes.
var ErrRecoveryCode = errors.New("directory: unknown or used recovery code")

// UseRecoveryCode removes code from the user's unused recovery codes,
// writing the users file atomically; ErrRecoveryCode when it is not there.
// Concurrent instances writing the same file are not coordinated; the UI
// also records the use in the shared store so a code works once.
func UseRecoveryCode(path, address, code string) error {
	return updateUser(path, address, useRecoveryCode(code))
}

// useRecoveryCode removes code from a user's unused codes.
func useRecoveryCode(code string) func(*User) error {
	want := HashRecoveryCode(code)
	return func(u *User) error {
		for i, h := range u.RecoveryCodes {
			if subtle.ConstantTimeCompare([]byte(h), []byte(want)) == 1 {
				u.RecoveryCodes = append(u.RecoveryCodes[:i:i], u.RecoveryCodes[i+1:]...)
				return nil
			}
		}
		return ErrRecoveryCode
	}
}

// updateUser reads the users file, applies fn to the named user and
// writes the file back atomically.
func updateUser(path, address string, fn func(*User) error) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("directory: %w", err)
	}
	var f file
	if err := yaml.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("directory: %s: %w", path, err)
	}
	for i := range f.Users {
		if strings.EqualFold(f.Users[i].Address, address) {
			if err := fn(&f.Users[i]); err != nil {
				return err
			}
			out, err := encodeUsers(data, &f)
			if err != nil {
				return err
			}
			return writeFileAtomic(path, out, 0o600)
		}
	}
	return fmt.Errorf("directory: %s: %w", address, ErrNoUser)
}

// Users returns every user, sorted by address (for the admin page).
func (d *Directory) Users() []User {
	l := make([]User, 0, len(d.users))
	for _, u := range d.users {
		l = append(l, *u)
	}
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && l[j].Address < l[j-1].Address; j-- {
			l[j], l[j-1] = l[j-1], l[j]
		}
	}
	return l
}
