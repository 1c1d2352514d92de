// Package policy turns what okuri knows about one message — its envelope,
// its visible recipients, its sender and the scan result — into one
// Decision: pass, rewrite (forced BCC, split, added fields), hold (delay,
// self-check, approval, quarantine) or reject, with an explanation of every
// rule evaluated.
//
// The work is split in three steps so that the part that decides is pure:
//
//  1. (*Policy).Facts builds Facts from an Input: it classifies every
//     recipient (internal or external, individual or role mailbox,
//     first-time domain or address via History, look-alike of a known
//     domain, insurer), reads the header section (unless the caller
//     passes it parsed), matches keywords on the subject, the attachment
//     names and the body text the scanner decoded (scan.Result.BodyText),
//     and summarises the scan result. It may do I/O (History, the message
//     reader); every error is recorded in Facts.Errors, never swallowed.
//  2. (*Policy).Decide evaluates the rules in their fixed file order
//     against the Facts. It is a pure, deterministic function: no clock,
//     no I/O, no randomness, no map iteration order in its output.
//  3. Decision.Deliveries and package policy/rewrite apply the rewrites on
//     the way out — at once, or when a held message is released.
//
// # Invariants
//
//   - Decide is pure: the same Policy and Facts give the same Decision,
//     byte for byte when marshalled.
//   - okuri fails closed. Facts with errors (scan failed, History
//     unavailable, unreadable header) are decided as policy.on_error —
//     quarantine by default, never pass. Content that was not fully
//     scanned (unscannable) going outside is held at least for the
//     sender's self-check whatever the rules say. A hold_approval with
//     nobody to approve becomes a quarantine.
//   - Rewrites change header fields only; the body streams through
//     unchanged (policy/rewrite).
//   - Explanations name rules, conditions, kinds, counts and domains —
//     never detected values, and never attachment names or addresses of
//     individuals.
//   - Monitor-mode rules record what they would have done and change
//     nothing.
package policy
