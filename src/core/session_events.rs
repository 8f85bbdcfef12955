//! Reducer part for the exchanges kept in memory, and for what the receiver's own session finds while setting up and keeping a
//! stream: a stream gone (deleted at the transmitter, or by the receiver itself), streams that
//! vanished when the receiver created its own, and verification requests that were refused.

use std::sync::Arc;

use super::alerts::{Alert, AlertKind, Evidence};
use super::exchange::Exchange;
use super::record::StreamKey;
use super::state::InspectorState;
use super::state::{EXCHANGE_BYTES_KEPT, EXCHANGES_KEPT};
use super::time::UnixMillis;
use super::update::NoticeLevel;

impl InspectorState {
    /// An HTTP exchange: the latest of its stream (the evidence of what follows), kept in
    /// memory within [`EXCHANGES_KEPT`] exchanges and [`EXCHANGE_BYTES_KEPT`] bytes of bodies.
    pub(super) fn apply_exchange(&mut self, exchange: Arc<Exchange>) {
        self.exchange_bytes += body_bytes(&exchange);
        self.exchanges.push_back(exchange);
        while self.exchanges.len() > EXCHANGES_KEPT
            || (self.exchange_bytes > EXCHANGE_BYTES_KEPT && self.exchanges.len() > 1)
        {
            if let Some(old) = self.exchanges.pop_front() {
                self.exchange_bytes -= body_bytes(&old);
            }
        }
    }

    /// The transmitter no longer has the stream. Raised unless the receiver deleted it.
    pub(super) fn apply_stream_gone(
        &mut self,
        key: &StreamKey,
        why: &str,
        at: UnixMillis,
        exchange: Option<u64>,
    ) -> Vec<Alert> {
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        // Nothing is awaited from a stream that is gone: its missing answer is no second alert.
        stream.forget_verification();
        if stream.deleted_by_receiver {
            return Vec::new();
        }
        // Another process of this receiver is deleting it.
        if self.own_delete_pending(key, at) {
            self.apply_deleted_by_receiver(key, at);
            return Vec::new();
        }
        if let Some(stream) = self.streams.get_mut(key) {
            stream.gone_at.get_or_insert(at);
        }
        let cause = format!(
            "The transmitter no longer has this stream ({why}): it was deleted or replaced, and SSF sends no event for that"
        );
        let evidence = Evidence::exchange(exchange);
        self.raise(AlertKind::StreamDeleted, key, cause, None, evidence, at)
    }

    /// The receiver deleted its stream: nothing that follows is the transmitter's doing.
    pub(super) fn apply_deleted_by_receiver(&mut self, key: &StreamKey, at: UnixMillis) {
        if let Some(stream) = self.streams.get_mut(key) {
            stream.deleted_by_receiver = true;
            stream.forget_verification();
        }
        self.resolve(
            key,
            &[
                AlertKind::HeartbeatLost,
                AlertKind::Silent,
                AlertKind::VerificationRefused,
            ],
            at,
        );
    }

    /// A verification request was refused or failed: no answer is awaited, so no heartbeat
    /// can be lost; the heartbeat's refusal is its own alert (no heartbeat runs on the stream).
    /// A request the user made is told as that operation's outcome (a notice), never an alert:
    /// a 429 to the user's second *Verify* is the transmitter's limit, not a stop.
    pub(super) fn apply_verification_failed(
        &mut self,
        key: &StreamKey,
        error: &str,
        (exchange, by_user): (Option<u64>, bool),
        at: UnixMillis,
    ) -> Vec<Alert> {
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        stream.forget_verification();
        if stream.deleted_by_receiver || by_user {
            return Vec::new();
        }
        let cause = format!(
            "The verification request was not accepted, so no verification heartbeat runs on this stream: {error}"
        );
        self.raise(
            AlertKind::VerificationRefused,
            key,
            cause,
            None,
            Evidence::exchange(exchange),
            at,
        )
    }

    /// A polled SET came again after it was acknowledged: one warning, whose cause counts the
    /// copies (the record keeps the SET once).
    pub(super) fn apply_acks_ignored(
        &mut self,
        key: &StreamKey,
        jti: &str,
        (repeats, refused_repeats): (u64, u64),
        exchange: u64,
        at: UnixMillis,
    ) -> Vec<Alert> {
        if let Some(stream) = self.streams.get_mut(key) {
            stream.repeats_after_ack = repeats;
            stream.refused_repeats = refused_repeats;
        }
        let copies = |n: u64| if n == 1 { "copy" } else { "copies" };
        let mut parts = Vec::new();
        if repeats > 0 {
            parts.push(format!(
                "SETs again after the receiver acknowledged them ({repeats} {} so far; RFC 8936 §2.4: acknowledged SETs are not delivered again), acknowledged again and not stored twice",
                copies(repeats)
            ));
        }
        if refused_repeats > 0 {
            parts.push(format!(
                "SETs again after the receiver refused them in setErrs ({refused_repeats} {} so far; RFC 8936 §2.4: a SET reported in setErrs is answered for), refused again and not stored twice",
                copies(refused_repeats)
            ));
        }
        let cause = format!(
            "The transmitter delivered {}. The latest: jti {jti}",
            parts.join("; and ")
        );
        let existing = self
            .alerts
            .iter_mut()
            .find(|a| a.kind == AlertKind::AcksIgnored && &a.stream == key && a.is_active());
        if let Some(alert) = existing {
            alert.cause = cause;
            alert.last_seen = at;
            alert.evidence_exchange = Some(exchange);
            self.changed_alerts.push(alert.id);
            return Vec::new();
        }
        self.raise(
            AlertKind::AcksIgnored,
            key,
            cause,
            None,
            Evidence::exchange(Some(exchange)),
            at,
        )
    }

    /// Streams listed before the receiver's create were gone after it: the create replaced
    /// them. Critical: another receiver lost its stream.
    pub(super) fn apply_streams_replaced(
        &mut self,
        key: &StreamKey,
        replaced: &[String],
        exchange: Option<u64>,
        at: UnixMillis,
    ) -> Vec<Alert> {
        if replaced.is_empty() {
            return Vec::new();
        }
        let cause = format!(
            "Creating our stream replaced stream {}: the transmitter listed it before the create and no longer does (it keeps one stream per receiver or per instance). Its receiver no longer gets its events",
            replaced.join(", ")
        );
        let text = format!("{key}: {cause}");
        self.note(NoticeLevel::Error, text, at);
        self.raise(
            AlertKind::StreamReplaced,
            key,
            cause,
            None,
            Evidence::exchange(exchange),
            at,
        )
    }
}

/// The bytes an exchange's bodies hold.
fn body_bytes(exchange: &Exchange) -> usize {
    exchange.request_body.len() + exchange.response_body.len()
}
