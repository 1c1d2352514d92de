// Package quarantine owns every message okuri keeps: held for a person's
// decision, quarantined, or queued for (re)delivery. It provides the Store
// (two backends, one contract), the state machine, the delivery Worker and
// the Sweeper.
//
// # Invariants
//
//  1. 250 only after durable storage. Store.Put returns nil only when the
//     body and the record survive a crash: for the embedded backend the
//     body is written to a temp file, fsync'd, linked to its final name,
//     the directory fsync'd, and only then the record committed (bbolt
//     fsyncs on commit); for Redis the record is written by one Lua script
//     and durability is what the server's AOF policy gives (see
//     RedisOptions; the store checks it at start). The gateway answers 250
//     after Put returns, never before. ErrStorageFull maps to
//     "452 4.3.1", ErrUnavailable and other errors to 451.
//  2. Every state change is a compare-and-set. Store.Transition changes a
//     message only if it is in the state the caller saw, and only along
//     the lifecycle below; two UI clicks or two instances racing produce
//     one change and one ErrConflict. A sender never approves their own
//     held_approval message: the store refuses it (ErrSelfApproval). A
//     self-checked message is released only when the sender confirmed
//     every recipient (ErrUnconfirmed).
//  3. Exactly-once delivery, as far as SMTP allows. A queued message is
//     delivered only under a lease (Store.Acquire) that names one instance
//     and expires; the outcome is recorded (Store.Complete) only by the
//     lease holder. Two instances never send the same message at the same
//     time, and a crashed instance's messages are taken over when its lease
//     expires. The one window left is inherent to SMTP: a crash after the
//     upstream's 250 and before Complete sends the message again after
//     the lease expires.
//  4. Audit events are written atomically with the change they record: the
//     store appends them to the audit outbox in the same bbolt transaction
//     or Lua script (EmbeddedOptions.Outbox, RedisOptions.Outbox).
//  5. No personal data in logs: the store and worker log ids, states and
//     counts only. Findings are kept as kinds, counts and masked samples.
//  6. The stored bytes are never changed. Rewrites (forced BCC) are applied
//     at delivery by WorkerOptions.Prepare, for immediate and released
//     messages alike.
//
// # Lifecycle
//
//	queued ──deliver ok──▶ delivered
//	  └─permanent fail / lifetime over──▶ failed (DSN sent)
//	held_delay ──timeout / sender "send now"──▶ queued ; "cancel" ──▶ cancelled
//	held_selfcheck ──sender confirms──▶ queued ; "cancel" ──▶ cancelled ; timeout ──▶ expired
//	held_approval ──approver approves──▶ queued ; rejects ──▶ rejected ; timeout ──▶ expired
//	quarantined ──security releases──▶ queued ; deletes ──▶ deleted
//
// A queued message with several recipients may be partly delivered: each
// recipient has its own status (pending, delivered, failed); the message
// stays queued while any is pending and ends delivered if at least one
// recipient got it, else failed. Recipients refused permanently get a DSN
// to the sender (package quarantine/dsn), queued as a message of its own.
//
// Terminal messages lose their body after the body retention (the record
// stays as a tombstone: Message.Purged) and their record after the record
// retention. Audit events are kept by the audit package.
//
// # The record is the source of truth
//
// What people confirm and what a release sends come from the record, not
// from parsing the stored body again: Message.Parts are the scanner's
// parts as seen when the message was held (the self-check lists every
// MIME part that leaves as a file, with the files found inside archives
// named under their container), and Decision.Rewrite is the header
// rewrite, in a versioned form this package owns (RewritePlan, "v": 1),
// so a message held before an upgrade is released as it was decided.
// Decision.Explain (Explain, "v": 1) is why it was held — reason, kinds
// and counts, domains, each rule's conditions, the deliveries' visible
// To/Cc — and Message.Headers and Message.Preview are the display header
// fields and the start of the body text as the gateway and scanner
// decoded them. The approvals UI renders from these alone: it parses no
// MIME and imports no policy package.
// Records written before these existed carry the policy decision as JSON
// (Decision.Policy); Message.RewritePlan and Message.Explain read it.
//
// A held record may also carry NoticeDue, the duty to send its notices,
// committed with the hold (the outbox pattern): whoever queues the
// notices clears it (Store.NoticesQueued), and the sweeper hands records
// still carrying it after SweeperOptions.NoticeGrace to
// SweeperOptions.OnNoticeDue, so a crash between the hold and its
// notices loses none.
//
// # Storage layout
//
// Embedded: one bbolt file with buckets quarantine.msg (id → JSON record),
// quarantine.ix (index entries "set\x00member"), quarantine.cnt (count per
// state), quarantine.known and quarantine.sess; bodies up to 256 KiB
// (EmbeddedOptions.InlineMax) in quarantine.body, written in the record's
// transaction, larger ones in spool/msg/<id>. At open, a recovery pass
// removes temp files and body files without a live record; because a body
// file is always durable before its record and the record is always
// changed before its body is removed, no record ever points at a missing
// body.
//
// Redis: under a prefix P, a hash P:m:<id> (data, ver, txt), the body in
// P:b:<id> (streamed into P:tmp:<id>, which expires if the writer dies, and
// renamed by the creating script), indexes as lexically ordered sorted sets
// P:ix:<set>, known recipients in P:known:first/last, sessions in
// P:sess:<key>.
//
// Indexes are the same for both backends: all, per state, per sender
// (authenticated user and envelope sender), per approver group, per
// group and state, per sender and state — members are ULIDs, so order is
// receive time — and time-ordered sets for the worker (due), the sweeper
// (hold deadlines) and retention. List reads the most selective one and
// never shows a message outside the caller's Scope.
package quarantine
