// Package directory owns who may send through okuri and as which
// addresses: the users file with each user's login address, aliases and
// password hash.
//
// Sender binding rests on this package: a user owns their login address and
// their aliases, nothing else. Password hashes are argon2id in the PHC
// string format; plaintext passwords never touch the disk.
package directory

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrNoUser means the users file has no such user.
var ErrNoUser = errors.New("no such user")

// User is one person (or system account) allowed to submit mail.
type User struct {
	// Address is the login name and the primary sender address.
	Address string `yaml:"address"`
	// Name is a display name for the UI.
	Name string `yaml:"name,omitempty"`
	// Aliases are further sender addresses the user owns (shared mailboxes).
	Aliases []string `yaml:"aliases,omitempty"`
	// Password is an argon2id PHC hash written by `okuri user add|passwd`.
	Password string `yaml:"password"`
	// TOTP is the base32 secret of the user's authenticator app (two-factor
	// authentication in the approvals UI); empty: not enrolled. See totp.go.
	TOTP string `yaml:"totp,omitempty"`
	// RecoveryCodes are SHA-256 hashes (hex) of unused recovery codes.
	RecoveryCodes []string `yaml:"recovery_codes,omitempty"`
	// PasswordHistory holds the hashes of the previous passwords, newest
	// first, so that a change cannot go back to one of the last
	// PasswordHistoryLen passwords (No.111). See passwd.go.
	PasswordHistory []string `yaml:"password_history,omitempty"`
	// PasswordChanged is when the password was last set; the UI's optional
	// password expiry counts from it.
	PasswordChanged time.Time `yaml:"password_changed,omitempty"`
	// MustChangePassword is set by an admin reset: the admin knows the
	// password, so the user must choose a new one at the next UI sign-in.
	MustChangePassword bool `yaml:"must_change_password,omitempty"`
}

type file struct {
	Users []User `yaml:"users"`
}

// Directory is an immutable snapshot of the users file. Reload by loading
// a new one; sessions keep the snapshot they started with.
type Directory struct {
	users map[string]*User // by lower-case address
	cache *authCache
}

// Load reads the users file. A missing file is an empty directory, so a
// fresh install starts and then gets its first user with `okuri user add`.
func Load(path string) (*Directory, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Directory{users: map[string]*User{}, cache: newAuthCache()}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("directory: %s: %w", path, err)
	}
	d := &Directory{users: make(map[string]*User, len(f.Users)), cache: newAuthCache()}
	for i := range f.Users {
		u := &f.Users[i]
		key := strings.ToLower(u.Address)
		if !strings.Contains(key, "@") {
			return nil, fmt.Errorf("directory: %s: user %d: address %q is not a mail address", path, i+1, u.Address)
		}
		if _, dup := d.users[key]; dup {
			return nil, fmt.Errorf("directory: %s: user %q listed twice", path, u.Address)
		}
		d.users[key] = u
	}
	return d, nil
}

// Lookup returns the user with the login address, case-insensitively.
func (d *Directory) Lookup(address string) (*User, bool) {
	u, ok := d.users[strings.ToLower(address)]
	return u, ok
}

// Len returns the number of users.
func (d *Directory) Len() int { return len(d.users) }

// Authenticate checks a login. It spends the same hashing work for unknown
// users as for known ones, so response time does not reveal which
// addresses exist. A password verified in the last few minutes is checked
// against an in-memory keyed hash instead of argon2id again.
func (d *Directory) Authenticate(address, password string) (*User, bool) {
	u, ok := d.Lookup(address)
	if !ok {
		VerifyPassword(dummyHash, password)
		return nil, false
	}
	key, now := strings.ToLower(u.Address), time.Now()
	if d.cache.ok(key, u.Password, password, now) {
		return u, true
	}
	if !VerifyPassword(u.Password, password) {
		return nil, false
	}
	d.cache.remember(key, u.Password, password, now)
	return u, true
}

// Owns reports whether user may send as addr: their login address or one
// of their aliases, compared case-insensitively.
func (u *User) Owns(addr string) bool {
	if strings.EqualFold(addr, u.Address) {
		return true
	}
	for _, a := range u.Aliases {
		if strings.EqualFold(addr, a) {
			return true
		}
	}
	return false
}

// SetPassword creates the user if needed and sets the password, writing
// the users file atomically (temp file, fsync, rename). Existing users keep
// their aliases and name.
func SetPassword(path, address, name string, aliases []string, password string, create bool) error {
	if err := CheckPasswordStrength(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	var f file
	data, err := os.ReadFile(path)
	if err == nil {
		if err := yaml.Unmarshal(data, &f); err != nil {
			return fmt.Errorf("directory: %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("directory: %w", err)
	}
	found := false
	for i := range f.Users {
		if strings.EqualFold(f.Users[i].Address, address) {
			if create {
				return fmt.Errorf("directory: user %s already exists (use passwd)", address)
			}
			u := &f.Users[i]
			if err := checkReuse(u, password); err != nil {
				return err
			}
			setPassword(u, hash, now)
			found = true
		}
	}
	if !found {
		if !create {
			return fmt.Errorf("directory: %s: %w", address, ErrNoUser)
		}
		f.Users = append(f.Users, User{Address: address, Name: name, Aliases: aliases, Password: hash, PasswordChanged: now})
	}
	sort.Slice(f.Users, func(i, j int) bool { return f.Users[i].Address < f.Users[j].Address })
	out, err := encodeUsers(data, &f)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, out, 0o600)
}

func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".users-*.tmp")
	if err != nil {
		return fmt.Errorf("directory: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("directory: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("directory: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("directory: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("directory: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("directory: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
