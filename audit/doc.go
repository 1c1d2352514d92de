// Package audit is okuri's audit log: every decision the gateway makes and
// every human action on held mail becomes an Event, hash-chained per
// gateway instance and published to a NATS JetStream stream that an
// auditor can verify end to end (okuri audit verify).
//
// # Path of an event
//
//	emitter ──Append / AppendTx / Lua RPUSH──▶ outbox (raw, unchained)
//	        ──publisher: chain (seq, prev, hash, sig), persist chained form──▶ outbox (chained)
//	        ──publish okuri.audit.<type>, Nats-Msg-Id = event id, wait for ack──▶ JetStream
//	        ──ack──▶ removed from outbox
//
// Emitters never chain: the Redis backend appends from Lua, which has no
// SHA-256, so one publisher loop per instance assigns seq/prev/hash in
// outbox order and stores the chained bytes before publishing them. A
// crash after chaining re-publishes identical bytes with the same
// Nats-Msg-Id, which JetStream's duplicate window drops.
//
// # Invariants
//
//  1. An event recording a state change of stored mail is durable exactly
//     when the state change is: AppendTx (bbolt) or an RPUSH in the same
//     Lua script (Redis). Mail-path events are durable when Append returns.
//  2. Per instance, seq is 1, 2, 3, … without gaps, prev is the hash of the
//     previous event, hash is SHA-256 of the canonical encoding (see
//     Canonical). Published in seq order; an event leaves the outbox only
//     after JetStream acknowledged it.
//  3. NATS being down never blocks mail flow: Append only writes locally.
//     The outbox is bounded; when full, Append either drops and records
//     the loss (the loss itself becomes an audit.events_lost event) or
//     refuses with ErrOutboxFull, per configuration.
//  4. No personal data values: findings are kinds and counts, subjects
//     are a keyed hash plus length unless configured otherwise, metric
//     labels carry no addresses.
package audit
