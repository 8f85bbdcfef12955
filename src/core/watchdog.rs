//! Knowing when a stream stops telling, when the transmitter does not say so: a status read that
//! finds the stream paused or disabled without a stream-updated, a verification heartbeat that
//! does not come back (or comes back with another `state`), and silence longer than expected.
//! Pure: `tick(now)` is driven by the caller's clock, so tests need no sleeping.

use serde_json::Value;

use super::alerts::{Alert, AlertKind, Evidence};
use super::effects::Effects;
use super::events;
use super::record::{SetRecord, StreamKey};
use super::state::InspectorState;
use super::stream::{Connection, StatusSource, StreamStatus};
use super::time::{UnixMillis, human_duration};

impl InspectorState {
    /// A status read: a stop that no stream-updated announced is itself an alert.
    pub(super) fn apply_status_read(
        &mut self,
        key: &StreamKey,
        status: StreamStatus,
        reason: Option<String>,
        at: UnixMillis,
        exchange: Option<u64>,
    ) -> Vec<Alert> {
        // Another process of this receiver asked for this status: its doing, not a stop.
        if status != StreamStatus::Enabled && self.own_status_pending(key, status, at) {
            return self.apply_own_status(key, status, reason, at, exchange);
        }
        let evidence = Evidence::exchange(exchange);
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        // After an answer SSF does not define, the change is judged from the last one it does.
        let before = match stream.status {
            StreamStatus::Unknown => stream
                .status_history
                .iter()
                .rev()
                .map(|entry| entry.status)
                .find(|status| *status != StreamStatus::Unknown)
                .unwrap_or(StreamStatus::Unknown),
            known => known,
        };
        let refused = stream.sets_refused;
        if status == StreamStatus::Enabled {
            stream.sets_refused = false;
        }
        let source = (StatusSource::StatusRead, evidence.exchange);
        super::state::set_status(
            stream,
            &mut self.changed_statuses,
            status,
            reason.clone(),
            source,
            at,
        );
        self.resolve(key, &[AlertKind::UnknownStatus], at);
        if refused && matches!(status, StreamStatus::Disabled | StreamStatus::Paused) {
            return self.stop_maybe_refused(key, before, status, reason, evidence, at);
        }
        // Not blamed on the transmitter alone: whoever changed it (its administrator, or a
        // receiver holding this stream's credentials) is not known, only that nobody told.
        let told = |what: &str| {
            format!(
                "A status read found the stream {what}, and no stream-updated said so: someone changed it (the transmitter's administrator, or a receiver holding this stream's credentials; not this receiver, as far as it knows) and it was not announced. SSF §8.1.5 requires the transmitter to announce its own changes"
            )
        };
        match (before, status) {
            // Paused, then disabled: held events are now dropped; the disable heads the incident.
            (StreamStatus::Enabled | StreamStatus::Paused, StreamStatus::Disabled) => self.raise(
                AlertKind::StreamDisabledSilently,
                key,
                told("disabled"),
                reason,
                evidence,
                at,
            ),
            (StreamStatus::Enabled, StreamStatus::Paused) => self.raise(
                AlertKind::StreamPausedSilently,
                key,
                told("paused"),
                reason,
                evidence,
                at,
            ),
            (_, StreamStatus::Enabled) => {
                self.resolve(
                    key,
                    &[
                        AlertKind::StreamDisabledSilently,
                        AlertKind::StreamPausedSilently,
                    ],
                    at,
                );
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// A status read answered a value SSF does not define: the stream's status is unknown
    /// (shown with the value), and that is a warning, resolved by the next status it defines.
    pub(super) fn apply_unknown_status(
        &mut self,
        key: &StreamKey,
        value: &str,
        at: UnixMillis,
        exchange: Option<u64>,
    ) -> Vec<Alert> {
        let evidence = Evidence::exchange(exchange);
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        let said = format!("the transmitter said \"{}\"", super::json::clip(value));
        let source = (StatusSource::StatusRead, evidence.exchange);
        super::state::set_status(
            stream,
            &mut self.changed_statuses,
            StreamStatus::Unknown,
            Some(said),
            source,
            at,
        );
        let cause = format!(
            "A status read answered \"{}\", which is not a status SSF 1.0 defines (§8.1.2: enabled, paused or disabled): the receiver cannot tell whether the stream delivers",
            super::json::clip(value)
        );
        self.raise(AlertKind::UnknownStatus, key, cause, None, evidence, at)
    }

    /// A stop a status read found while (or after) the receiver's record refused SETs: the stop
    /// is real and raised, but not as "without stream-updated": the transmitter may have sent
    /// one that the receiver refused.
    fn stop_maybe_refused(
        &mut self,
        key: &StreamKey,
        before: StreamStatus,
        status: StreamStatus,
        reason: Option<String>,
        evidence: Evidence,
        at: UnixMillis,
    ) -> Vec<Alert> {
        // As for a stop announced by nobody: only a change from enabled is a stop.
        if before != StreamStatus::Enabled {
            return Vec::new();
        }
        let (kind, what) = if status == StreamStatus::Disabled {
            (AlertKind::StreamDisabled, "disabled")
        } else {
            (AlertKind::StreamPaused, "paused")
        };
        let cause = format!(
            "A status read found the stream {what}. Its stream-updated SET, if the transmitter sent one, may be among those this receiver refused while its record could not store SETs"
        );
        self.raise(kind, key, cause, reason, evidence, at)
    }

    /// The receiver itself changed the status (its own pause, enable or disable): the new
    /// status is shown, alerts its own enable answers are resolved, and nothing is raised.
    /// A pending verification is dropped: a stream that is not enabled does not deliver it.
    pub(super) fn apply_own_status(
        &mut self,
        key: &StreamKey,
        status: StreamStatus,
        reason: Option<String>,
        at: UnixMillis,
        exchange: Option<u64>,
    ) -> Vec<Alert> {
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        let source = (StatusSource::Receiver, exchange);
        super::state::set_status(
            stream,
            &mut self.changed_statuses,
            status,
            reason,
            source,
            at,
        );
        if status != StreamStatus::Enabled {
            stream.forget_verification();
        }
        self.resolve(key, &[AlertKind::HeartbeatLost, AlertKind::Silent], at);
        if status == StreamStatus::Enabled {
            self.resolve(
                key,
                &[
                    AlertKind::StreamDisabledSilently,
                    AlertKind::StreamPausedSilently,
                    AlertKind::StreamDisabled,
                    AlertKind::StreamPaused,
                ],
                at,
            );
        }
        Vec::new()
    }

    /// The receiver asked for a verification SET.
    pub(super) fn apply_verification_requested(
        &mut self,
        key: &StreamKey,
        state: String,
        at: UnixMillis,
    ) {
        if let Some(stream) = self.streams.get_mut(key) {
            if stream.asked_states.len() >= super::stream::ASKED_KEPT {
                stream.asked_states.pop_front();
            }
            stream.asked_states.push_back(state.clone());
            stream.pending_verification = Some((state, at));
            stream.verification_exchange = None;
        }
    }

    /// The pending verification request went out as this exchange.
    pub(super) fn apply_verification_sent(&mut self, key: &StreamKey, exchange: u64) {
        if let Some(stream) = self.streams.get_mut(key)
            && stream.pending_verification.is_some()
        {
            stream.verification_exchange = Some(exchange);
        }
    }

    /// A trusted verification SET: does it answer the pending request?
    pub(super) fn apply_verification(&mut self, record: &SetRecord) -> Vec<Alert> {
        let Some(event) = record
            .events
            .iter()
            .find(|e| events::is_verification(&e.uri))
        else {
            return Vec::new();
        };
        let state = record
            .event_payload(&event.uri)
            .and_then(|p| p.get("state"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let key = record.stream.clone();
        let Some(stream) = self.streams.get_mut(&key) else {
            return Vec::new();
        };
        let Some(state) = state else {
            return Vec::new(); // unsolicited: the transmitter may send one at any time
        };
        // A copy of a SET the record already holds, or one issued before this receiver started
        // watching, answers nothing asked now (a transmitter that ignores acknowledgements
        // delivers an earlier run's verification again, on every run).
        let issued = record
            .jws
            .as_ref()
            .and_then(|jws| jws.claims.get("iat"))
            .and_then(Value::as_i64)
            .map(|secs| UnixMillis(secs.saturating_mul(1000)));
        let before_this_run = issued.is_some_and(|iat| {
            iat.millis_since(stream.watching_since) < -super::stream::ISSUED_BEFORE_SKEW_MILLIS
        });
        if record.redelivered || before_this_run {
            return Vec::new();
        }
        match stream.pending_verification.take() {
            Some((expected, requested_at)) if expected == state => {
                stream.verification_rtt_millis =
                    Some(record.received_at.millis_since(requested_at));
                self.resolve(&key, &[AlertKind::HeartbeatLost], record.received_at);
                Vec::new()
            }
            // The answer to an earlier request that a newer one replaced: late, not unasked.
            pending if stream.asked_states.contains(&state) => {
                stream.pending_verification = pending;
                Vec::new()
            }
            pending => {
                let waiting = match &pending {
                    Some((expected, asked)) => format!(
                        "the receiver waits for state {:?}, asked at {} UTC",
                        super::json::clip(expected),
                        asked.time_of_day()
                    ),
                    None => "the receiver waits for no verification".to_owned(),
                };
                stream.pending_verification = pending;
                let cause = format!(
                    "A verification SET arrived with a state this receiver did not ask for: it says {:?}; {waiting}. Someone else asked for it (a receiver holding this stream's credentials), or the transmitter answered with the wrong state (SSF §8.1.4.1)",
                    super::json::clip(&state)
                );
                self.raise(
                    AlertKind::VerificationStateMismatch,
                    &key,
                    cause,
                    None,
                    Evidence::set(record),
                    record.received_at,
                )
            }
        }
    }

    /// A configuration read: compare it with what the receiver saw or set before; event types
    /// that stopped being delivered, or a changed delivery, are alerts that say exactly what.
    pub(super) fn apply_config(
        &mut self,
        key: &StreamKey,
        config: Value,
        exchange: Option<u64>,
        now: UnixMillis,
    ) -> Vec<Alert> {
        let evidence = Evidence::exchange(exchange);
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        let strings = |v: &Value, name: &str| super::json::string_list(v, name);
        let (before_events, before_delivery) = match &stream.config {
            Some(previous) => (
                strings(previous, "events_delivered"),
                previous.get("delivery").cloned(),
            ),
            None => (
                stream
                    .info
                    .as_ref()
                    .map(|i| i.events_delivered.clone())
                    .unwrap_or_default(),
                None,
            ),
        };
        let after_events = strings(&config, "events_delivered");
        let after_delivery = config.get("delivery").cloned();
        stream.config = Some(config);
        // A read that finds the stream: whatever said it was gone (a 404 from another
        // endpoint, a read that failed to find it) is over.
        self.resolve(key, &[AlertKind::StreamDeleted], now);
        let mut raised = Vec::new();
        let lost: Vec<String> = before_events
            .iter()
            .filter(|e| !after_events.contains(e))
            .map(|e| super::events::EventRef::from_uri(e).name)
            .collect();
        if !lost.is_empty() {
            let cause = format!(
                "The transmitter stopped delivering {} event type(s): {}",
                lost.len(),
                lost.join(", ")
            );
            raised.extend(self.raise(AlertKind::StreamNarrowed, key, cause, None, evidence, now));
        }
        let field = |d: &Option<Value>, name: &str| d.as_ref().and_then(|d| d.get(name)).cloned();
        if before_delivery.is_some()
            && (field(&before_delivery, "method") != field(&after_delivery, "method")
                || field(&before_delivery, "endpoint_url")
                    != field(&after_delivery, "endpoint_url"))
        {
            let url = |d: &Option<Value>| {
                field(d, "endpoint_url")
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "?".to_owned())
            };
            let cause = format!(
                "The stream's delivery changed under the receiver: SETs now go to {}, not {}",
                url(&after_delivery),
                url(&before_delivery)
            );
            raised.extend(self.raise(AlertKind::DeliveryChanged, key, cause, None, evidence, now));
        }
        raised
    }

    /// Check the clocks: heartbeats overdue, streams silent too long. Call it about once a second.
    pub fn tick(&mut self, now: UnixMillis) -> Effects {
        let raised = self.overdue(now);
        self.effects(raised)
    }

    /// The alerts the clocks call for now.
    fn overdue(&mut self, now: UnixMillis) -> Vec<Alert> {
        // While the receiver's own record refuses SETs, the silence and the missing heartbeats
        // are its doing, not the transmitter's: the record banner says so, no alert does.
        if self.record.refuses_sets() {
            return Vec::new();
        }
        let mut due = Vec::new();
        let mut lively = Vec::new();
        for stream in self.streams.values() {
            // A stream known not to be enabled delivers nothing: its silence and its missing
            // verification are consequences of that stop, already told (or the receiver's own).
            // Nor is anything awaited of a stream that is gone (deleted by the receiver, or
            // found gone at the transmitter, told already), or whose session ended.
            if stream.connection != Connection::Connected
                || matches!(stream.status, StreamStatus::Paused | StreamStatus::Disabled)
                || stream.deleted_by_receiver
                || stream.gone_at.is_some()
                || stream.session_ended
            {
                continue;
            }
            if let Some((_, requested_at)) = &stream.pending_verification {
                let waited = now.millis_since(*requested_at);
                if waited > stream.watch.verification_timeout_millis {
                    let cause = format!(
                        "The verification SET requested {} ago has not arrived: the stream may have stopped delivering",
                        human_duration(waited)
                    );
                    let evidence = Evidence::exchange(stream.verification_exchange);
                    due.push((
                        AlertKind::HeartbeatLost,
                        stream.key.clone(),
                        cause,
                        evidence,
                    ));
                }
            }
            if let Some((limit, learned)) = stream.silence_limit_millis() {
                let quiet = stream.quiet_millis(now);
                if quiet > limit {
                    let how = if learned {
                        "learned from its traffic"
                    } else {
                        "set for it"
                    };
                    let cause = format!(
                        "No SET for {} (more than the {} {how}): the stream may have stopped telling",
                        human_duration(quiet),
                        human_duration(limit)
                    );
                    due.push((
                        AlertKind::Silent,
                        stream.key.clone(),
                        cause,
                        Evidence::default(),
                    ));
                } else {
                    lively.push(stream.key.clone());
                }
            }
        }
        for key in lively {
            self.resolve(&key, &[AlertKind::Silent], now);
        }
        let mut raised = Vec::new();
        for (kind, key, cause, evidence) in due {
            raised.extend(self.raise(kind, &key, cause, None, evidence, now));
        }
        raised
    }
}
