package config

import (
	"os"
	"strings"
	"time"
)

// UI configures the approvals web UI (issue 6): where it listens, the
// address people open, sessions, brute-force lockout, optional client
// certificates, and the default language. Zero values take the defaults
// documented on each field; read them through the methods below so that
// callers never see a zero timeout.
type UI struct {
	// Listen is the HTTPS address, e.g. 127.0.0.1:8443; empty disables the UI.
	Listen string `yaml:"listen"`
	// BaseURL is the address people open, used in notice mails
	// (e.g. https://okuri.office.example:8443). Default: https://Listen.
	BaseURL string `yaml:"base_url"`
	// Session timeouts.
	Session UISession `yaml:"session"`
	// Lockout throttles password and code guessing.
	Lockout UILockout `yaml:"lockout"`
	// ClientCAFile, when set, makes the UI require a client certificate
	// signed by one of these CAs (PEM): mTLS as an additional factor.
	ClientCAFile string `yaml:"client_ca_file"`
	// Language is the default when the browser's Accept-Language names
	// neither Japanese nor English: "ja" (default) or "en".
	Language string `yaml:"language"`
	// SenderTOTP makes two-factor authentication mandatory for senders too.
	// Approvers, auditors and admins always need it (No.111).
	SenderTOTP bool `yaml:"sender_totp"`
	// PasswordMaxAge, when set (e.g. 90d), makes people choose a new
	// password at their next UI sign-in once theirs is older (No.111
	// optional expiry). Default 0: passwords do not expire.
	PasswordMaxAge Duration `yaml:"password_max_age"`
	// NoticeFrom is the From address of notice mails (default
	// okuri@smtp.hostname). They are sent with the null reverse path, like
	// DSNs, so a bounce of a notice goes nowhere.
	NoticeFrom string `yaml:"notice_from"`
	// NoticeFromName is the display name of notice mails' From, so that
	// people recognise them in their inbox (default "okuri").
	NoticeFromName string `yaml:"notice_from_name"`
	// DecisionLinks puts signed one-time 承認する / 却下する links in the
	// approval request mail (default true). They act without the UI
	// sign-in and its second factor, so a security team that wants every
	// decision behind 2FA sets false: the mail then links to the message
	// page only, and links already sent stop working.
	DecisionLinks *bool `yaml:"decision_links"`
	// DelayNotice is how senders hear about delayed sends: "each" (a
	// notice per message, the default), "digest" (one list per sender at
	// most every DelayDigestEvery) or "none" (the 一時保留 page only).
	DelayNotice string `yaml:"delay_notice"`
	// DelayDigestEvery is the digest interval (default 15m).
	DelayDigestEvery Duration `yaml:"delay_digest_every"`
	// ReminderBefore sends a reminder this long before a hold deadline
	// (default 1h; negative disables reminders).
	ReminderBefore Duration `yaml:"reminder_before"`
}

// UISession bounds a UI session.
type UISession struct {
	// IdleTimeout ends a session after this long without a request (default 30m).
	IdleTimeout Duration `yaml:"idle_timeout"`
	// AbsoluteTimeout ends a session this long after login (default 12h).
	AbsoluteTimeout Duration `yaml:"absolute_timeout"`
}

// UILockout configures brute-force throttling.
type UILockout struct {
	// MaxFailures per account within Window locks the account until an
	// admin unlocks it or Duration passes (default 5).
	MaxFailures int `yaml:"max_failures"`
	// MaxFailuresPerIP within Window blocks logins from that IP for
	// Duration (default 20).
	MaxFailuresPerIP int `yaml:"max_failures_per_ip"`
	// Window is the counting window (default 15m).
	Window Duration `yaml:"window"`
	// Duration of a lockout (default 30m).
	Duration Duration `yaml:"duration"`
}

// UI defaults.
const (
	DefaultUIIdleTimeout      = 30 * time.Minute
	DefaultUIAbsoluteTimeout  = 12 * time.Hour
	DefaultUIMaxFailures      = 5
	DefaultUIMaxFailuresPerIP = 20
	DefaultUILockoutWindow    = 15 * time.Minute
	DefaultUILockoutDuration  = 30 * time.Minute
	DefaultUIReminderBefore   = time.Hour
	DefaultUIDelayDigestEvery = 15 * time.Minute
)

func orDur(d Duration, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d.D()
}

func orInt(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// IdleTimeout returns the session idle timeout or its default.
func (u UI) IdleTimeout() time.Duration { return orDur(u.Session.IdleTimeout, DefaultUIIdleTimeout) }

// AbsoluteTimeout returns the session lifetime or its default.
func (u UI) AbsoluteTimeout() time.Duration {
	return orDur(u.Session.AbsoluteTimeout, DefaultUIAbsoluteTimeout)
}

// MaxFailures returns the per-account failure limit or its default.
func (u UI) MaxFailures() int { return orInt(u.Lockout.MaxFailures, DefaultUIMaxFailures) }

// MaxFailuresPerIP returns the per-IP failure limit or its default.
func (u UI) MaxFailuresPerIP() int {
	return orInt(u.Lockout.MaxFailuresPerIP, DefaultUIMaxFailuresPerIP)
}

// LockoutWindow returns the failure counting window or its default.
func (u UI) LockoutWindow() time.Duration { return orDur(u.Lockout.Window, DefaultUILockoutWindow) }

// LockoutDuration returns how long a lockout lasts, or its default.
func (u UI) LockoutDuration() time.Duration {
	return orDur(u.Lockout.Duration, DefaultUILockoutDuration)
}

// Reminder returns how long before a deadline a reminder goes out; 0
// means never.
func (u UI) Reminder() time.Duration {
	switch {
	case u.ReminderBefore < 0:
		return 0
	case u.ReminderBefore == 0:
		return DefaultUIReminderBefore
	}
	return u.ReminderBefore.D()
}

// Lang returns the default language, "ja" or "en".
func (u UI) Lang() string {
	if u.Language == "en" {
		return "en"
	}
	return "ja"
}

// URL returns the base URL without a trailing slash.
func (u UI) URL() string {
	if u.BaseURL != "" {
		return strings.TrimRight(u.BaseURL, "/")
	}
	return "https://" + u.Listen
}

func (c *Config) validateUI(bad func(key, msg string)) {
	u := c.UI
	if u.Listen != "" && !validHostPort(u.Listen) {
		bad("ui.listen", "must be host:port, e.g. 127.0.0.1:8443")
	}
	if u.BaseURL != "" && !strings.HasPrefix(u.BaseURL, "https://") {
		bad("ui.base_url", "must be an https:// URL (the UI is served over HTTPS only)")
	}
	for _, d := range []struct {
		key string
		v   Duration
	}{
		{"ui.session.idle_timeout", u.Session.IdleTimeout},
		{"ui.session.absolute_timeout", u.Session.AbsoluteTimeout},
		{"ui.lockout.window", u.Lockout.Window},
		{"ui.lockout.duration", u.Lockout.Duration},
		{"ui.password_max_age", u.PasswordMaxAge},
	} {
		if d.v < 0 {
			bad(d.key, "must not be negative")
		}
	}
	if u.IdleTimeout() > u.AbsoluteTimeout() {
		bad("ui.session.idle_timeout", "must not exceed ui.session.absolute_timeout")
	}
	if u.Lockout.MaxFailures < 0 {
		bad("ui.lockout.max_failures", "must not be negative")
	}
	if u.Lockout.MaxFailuresPerIP < 0 {
		bad("ui.lockout.max_failures_per_ip", "must not be negative")
	}
	switch u.Language {
	case "", "ja", "en":
	default:
		bad("ui.language", `must be "ja" or "en"`)
	}
	if u.NoticeFrom != "" && (!strings.Contains(u.NoticeFrom, "@") || strings.ContainsAny(u.NoticeFrom, " <>\r\n")) {
		bad("ui.notice_from", "must be a bare mail address, e.g. okuri@agency.example")
	}
	if strings.ContainsAny(u.NoticeFromName, "\r\n") {
		bad("ui.notice_from_name", "must be one line")
	}
	switch u.DelayNotice {
	case "", "each", "digest", "none":
	default:
		bad("ui.delay_notice", `must be "each", "digest" or "none"`)
	}
	if u.DelayDigestEvery < 0 {
		bad("ui.delay_digest_every", "must not be negative")
	}
	if u.ClientCAFile != "" {
		if _, err := os.Stat(u.ClientCAFile); err != nil {
			bad("ui.client_ca_file", "cannot read: "+quote(u.ClientCAFile))
		}
	}
}

// DecisionLinksOn reports whether approval requests carry decision
// links (ui.decision_links, default true).
func (u UI) DecisionLinksOn() bool { return u.DecisionLinks == nil || *u.DecisionLinks }

// FromName returns the display name of notice mails.
func (u UI) FromName() string {
	if u.NoticeFromName == "" {
		return "okuri"
	}
	return u.NoticeFromName
}

// DelayDigest returns the delayed-send digest interval, or its default.
func (u UI) DelayDigest() time.Duration {
	return orDur(u.DelayDigestEvery, DefaultUIDelayDigestEvery)
}
