// Package approvalsui is the small HTTPS application where people act on
// held mail — senders self-check, supervisors approve or reject, the
// security team reviews the quarantine, administrators unlock accounts —
// and the JSON API (/api/v1) that does the same for scripts. Notice mails
// that bring people here are composed in the subpackage notice and queued
// through the quarantine store (Notifier).
//
// # Security model
//
// Transport. The server speaks HTTPS only (TLS 1.2 or newer) with the
// configured certificate or the one certs.Load generated; with
// ui.client_ca_file set every connection must present a client
// certificate from that CA (mTLS, which some agencies use as a factor).
// Every response carries HSTS, a Content-Security-Policy without inline
// script or style (default-src 'self'; frame-ancestors 'none'),
// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer.
//
// Authentication. Login is the directory password (argon2id) followed by a
// TOTP code (RFC 6238, 30 s steps, ±1 step; each step accepted once per
// user, remembered in the store) or a single-use recovery code. Two
// factors are mandatory for approvers, auditors and admins, and for
// senders when ui.sender_totp is set; a user who must have 2FA and is not
// enrolled is sent to enrolment right after the password step and can do
// nothing else. Failed passwords and codes count per account and per
// client IP in the store (so all instances see them); over the limit the
// account or IP is locked for ui.lockout.duration or until an admin
// unlocks it. Every login, logout, failure and enrolment is an audit event.
//
// Sessions. A session is a random 256-bit id; the cookie carries the id,
// the store keeps sha256(id) → user, roles, CSRF token, created and last
// seen (Store.SessionPut, so instances behind a load balancer share them).
// A session ends after ui.session.idle_timeout without requests or
// ui.session.absolute_timeout after login. The id is new at each login
// step (no fixation); "sign out everywhere" deletes every session of the
// user through a per-user index. The cookie is __Host-okuri_session:
// Secure, HttpOnly, SameSite=Lax, Path=/.
//
// CSRF. net/http's CrossOriginProtection refuses cross-origin unsafe
// requests (Sec-Fetch-Site / Origin); in addition every form carries the
// session's CSRF token and every unsafe API request its X-CSRF-Token
// header, compared in constant time.
//
// Authorization. Default deny: only the login pages, static assets and
// signed self-check links work without a session. Roles come from the
// configuration (directory.auditors, directory.admins, groups[].approvers;
// everyone with a directory entry is a sender). What a person may see is
// a quarantine.Scope passed into Store.List, so a handler cannot list
// another group's mail by forgetting a check; single-message pages check
// the same rules (see access.go) and answer 404 for messages outside them,
// so ids of other people's mail are not confirmed. The store refuses
// self-approval on its own as well.
//
// Self-check links. A notice to the sender carries a link signed with an
// HMAC key kept in data_dir (generated once, 0600), binding message id,
// sender and the hold deadline; it opens that one message's self-check
// without a login, works once (consumed in the store) and expires with
// the hold.
//
// Personal data. Pages show findings as kinds, counts and masked samples,
// never matched values; the body preview is plain text the scanner
// extracted when the message was held, HTML is never rendered. Logs and
// metrics carry ids, states and counts only.
//
// The record is the one truth. Pages and notices render from the held
// record alone (quarantine.Message: Headers, Parts, Preview,
// Decision.Explain, Decision.Rewrite), never from a second parse of the
// stored bytes nor from policy types: this package imports no policy
// package and decodes no MIME (TestRendersFromRecordOnly).
package approvalsui
