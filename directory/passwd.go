package directory

import (
	"errors"
	"fmt"
	"time"
)

// PasswordHistoryLen is how many of a user's passwords a change must
// differ from: the current one and the ones before it (No.111: no reuse
// of the last five).
const PasswordHistoryLen = 5

// ErrPasswordReused means the new password is one of the last
// PasswordHistoryLen passwords.
var ErrPasswordReused = fmt.Errorf("password must differ from the last %d passwords", PasswordHistoryLen)

// ErrWrongPassword means the current password given for a change is wrong.
var ErrWrongPassword = errors.New("current password is wrong")

// checkReuse refuses a password that matches the current hash or one in
// the history. Each comparison is a full argon2id run (≈45 ms), paid only
// when a password changes.
func checkReuse(u *User, password string) error {
	if u.Password != "" && VerifyPassword(u.Password, password) {
		return ErrPasswordReused
	}
	for _, h := range u.PasswordHistory {
		if VerifyPassword(h, password) {
			return ErrPasswordReused
		}
	}
	return nil
}

// setPassword installs hash as the current password, moving the old one
// into the history, and clears a pending forced change.
func setPassword(u *User, hash string, now time.Time) {
	if u.Password != "" {
		u.PasswordHistory = append([]string{u.Password}, u.PasswordHistory...)
	}
	if len(u.PasswordHistory) > PasswordHistoryLen-1 {
		u.PasswordHistory = u.PasswordHistory[:PasswordHistoryLen-1]
	}
	u.Password, u.PasswordChanged, u.MustChangePassword = hash, now, false
}

// ResetPassword sets a new password for an existing user (admin reset),
// keeping their other fields. The admin knows this password, so the user
// must change it at the next sign-in to the UI.
func ResetPassword(path, address, password string, now time.Time) error {
	return changePassword(path, address, password, noCheck, true, now)
}

// ChangePassword is a user's own change: current must be their password,
// and the new one must be strong and not one of the last
// PasswordHistoryLen passwords. now is recorded as the change time.
func ChangePassword(path, address, current, password string, now time.Time) error {
	return changePassword(path, address, password, currentIs(current), false, now)
}

func changePassword(path, address, password string, check func(*User) error, mustChange bool, now time.Time) error {
	fn, err := passwordChange(password, check, mustChange, now)
	if err != nil {
		return err
	}
	return updateUser(path, address, fn)
}

// passwordChange checks the new password's strength, hashes it once, and
// returns the change to apply to a user (to the file or the shared
// state); the change refuses a reused password.
func passwordChange(password string, check func(*User) error, mustChange bool, now time.Time) (func(*User) error, error) {
	if err := CheckPasswordStrength(password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return func(u *User) error {
		if err := check(u); err != nil {
			return err
		}
		if err := checkReuse(u, password); err != nil {
			return err
		}
		setPassword(u, hash, now.UTC().Truncate(time.Second))
		u.MustChangePassword = mustChange
		return nil
	}, nil
}

// currentIs is the check of a user's own change: current must be their
// password.
func currentIs(current string) func(*User) error {
	return func(u *User) error {
		if !VerifyPassword(u.Password, current) {
			return ErrWrongPassword
		}
		return nil
	}
}

func noCheck(*User) error { return nil }

// PasswordExpired reports whether the user must choose a new password
// before using the UI: after an admin reset, or when maxAge (0: no
// expiry) has passed since the last change. A user whose change time is
// unknown (a users file from before okuri recorded it) counts as expired
// when expiry is on: the age cannot be shown to be within the limit.
func (u *User) PasswordExpired(maxAge time.Duration, now time.Time) bool {
	if u.MustChangePassword {
		return true
	}
	if maxAge <= 0 {
		return false
	}
	return u.PasswordChanged.IsZero() || now.Sub(u.PasswordChanged) > maxAge
}
