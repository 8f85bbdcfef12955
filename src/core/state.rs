//! The inspector's whole domain state and the one reducer that changes it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::alerts::{Alert, AlertKind, Evidence};
use super::effects::{Effects, StatusChange};
use super::exchange::Exchange;
use super::profile::Profile;
use super::record::{SetRecord, StreamKey};
use super::stream::{Connection, StatusSource, StreamState, StreamStatus};
use super::stream_op::OpOutcome;
use super::time::UnixMillis;
use super::timeline::Timeline;
use super::update::{NoticeLevel, Update};

/// How many exchanges the window keeps in memory.
pub const EXCHANGES_KEPT: usize = 2000;
/// How many bytes of exchange bodies the window keeps in memory (older ones are in the record).
pub const EXCHANGE_BYTES_KEPT: usize = 32 * 1024 * 1024;

/// How many answers to the user's stream operations the state keeps (forms wait for one).
pub const OUTCOMES_KEPT: usize = 32;

/// A status-bar message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Level.
    pub level: NoticeLevel,
    /// Text.
    pub text: String,
    /// When.
    pub at: UnixMillis,
}

/// Everything the UI draws from.
#[derive(Debug, Default)]
pub struct InspectorState {
    /// Streams by local name.
    pub streams: BTreeMap<StreamKey, StreamState>,
    /// Every received SET.
    pub timeline: Timeline,
    /// Every alert raised, oldest first.
    pub alerts: Vec<Alert>,
    /// The latest notice.
    pub notice: Option<Notice>,
    /// The latest answers to the user's stream operations, each numbered in arrival order (at
    /// most [`OUTCOMES_KEPT`]): a form that sent one looks for its answer here.
    pub op_outcomes: std::collections::VecDeque<(u64, OpOutcome)>,
    /// How many answers have come: the number the next one gets.
    pub op_outcomes_count: u64,
    /// The latest HTTP exchanges, oldest first (at most [`EXCHANGES_KEPT`]; all are in the record).
    pub exchanges: std::collections::VecDeque<Arc<Exchange>>,
    /// The saved profiles.
    pub profiles: Vec<Profile>,
    /// Alerts of earlier runs, reloaded from the record (read-only, newest last).
    pub earlier_alerts: Vec<Alert>,
    /// Stream status changes of earlier runs, from the record (oldest first).
    pub earlier_status: Vec<super::effects::StatusChange>,
    /// The latest *Test connection* of a profile.
    pub connection_test: Option<super::connection_test::ConnectionTest>,
    /// The latest text pasted into the window, decoded (*Decode*).
    pub pasted: Option<super::pasted::Pasted>,
    /// The latest SET sent again (*Replay*), and how it ended.
    pub replayed: Option<super::replay::ReplayOutcome>,
    /// Bytes of the bodies in `exchanges`.
    pub(super) exchange_bytes: usize,
    /// Whether SETs reach the durable record.
    pub record: super::record_health::RecordHealth,
    /// The saved profiles were read (until then an empty list means "not read yet", not "none").
    pub profiles_loaded: bool,
    /// How many SETs the record held at start (the window shows progress while it takes them).
    pub reload_total: usize,
    /// Alerts raised or changed by the call under way (ids, possibly repeated): part of its
    /// [`Effects`].
    pub(super) changed_alerts: Vec<u64>,
    /// Stream status changes made by the call under way: part of its [`Effects`].
    pub(super) changed_statuses: Vec<StatusChange>,
    /// SETs the window asked the record for and could not get, with why.
    pub unavailable_sets: HashMap<u64, String>,
    /// Per stream, the actions another process of this receiver asked of the transmitter and
    /// has not said the end of (within `OWN_PENDING_MILLIS`): what a read finds of them is no
    /// alert.
    pub(super) own_pending: HashMap<StreamKey, Vec<(super::own_action::OwnAction, UnixMillis)>>,
    pub(super) next_alert_id: u64,
}

impl InspectorState {
    /// Apply one runtime update. Returns what it changed that must leave the state: the alerts
    /// it raised, every alert it raised or changed, every stream status change.
    pub fn apply(&mut self, update: Update, now: UnixMillis) -> Effects {
        let raised = self.reduce(update, now);
        self.effects(raised)
    }

    /// This call's effects: the alerts it raised, and what it changed (taken, so each is told
    /// once).
    pub(super) fn effects(&mut self, raised: Vec<Alert>) -> Effects {
        let mut ids = std::mem::take(&mut self.changed_alerts);
        ids.sort_unstable();
        ids.dedup();
        let alerts = ids
            .into_iter()
            .filter_map(|id| {
                let at = self.alerts.binary_search_by_key(&id, |a| a.id).ok()?;
                self.alerts.get(at).cloned()
            })
            .collect();
        Effects {
            raised,
            alerts,
            statuses: std::mem::take(&mut self.changed_statuses),
        }
    }

    /// The reducer: one update applied; returns the alerts it raised (new ones only).
    fn reduce(&mut self, update: Update, now: UnixMillis) -> Vec<Alert> {
        match update {
            Update::StreamAdded { key, label } => {
                let mut stream = StreamState::new(key.clone(), label, now);
                stream.sets_refused = self.record.refuses_sets();
                stream.alerts_after = self.next_alert_id;
                self.streams.insert(key, stream);
                Vec::new()
            }
            Update::Connection {
                key,
                connection,
                exchange,
            } => self.apply_connection(&key, connection, exchange, now),
            Update::StreamConfigured { key, info } => {
                if let Some(stream) = self.streams.get_mut(&key) {
                    stream.info = Some(info);
                    stream.set_up = true;
                    stream.gone_at = None;
                }
                Vec::new()
            }
            Update::Status {
                key,
                status,
                reason,
                source,
                at,
                exchange,
            } => self.apply_status(&key, status, reason, source, at, exchange),
            Update::UnknownStatus {
                key,
                value,
                at,
                exchange,
            } => self.apply_unknown_status(&key, &value, at, exchange),
            Update::OwnAction { key, entry } => self.apply_own_action(&key, entry, now),
            Update::VerificationRequested { key, state, at } => {
                self.apply_verification_requested(&key, state, at);
                Vec::new()
            }
            Update::VerificationSent { key, exchange } => {
                self.apply_verification_sent(&key, exchange);
                Vec::new()
            }
            Update::Watch { key, watch } => {
                if let Some(stream) = self.streams.get_mut(&key) {
                    stream.watch = watch;
                }
                Vec::new()
            }
            Update::Set(record) => self.apply_set(record, now),
            Update::Reloaded(summaries) => {
                for summary in &summaries {
                    self.timeline.push_summary(summary, now);
                }
                Vec::new()
            }
            Update::Reloading { total } => {
                self.reload_total = total;
                Vec::new()
            }
            Update::SetLoaded(record) => {
                self.unavailable_sets.remove(&record.seq);
                self.timeline.loaded(record);
                Vec::new()
            }
            Update::SetUnavailable { seq, reason } => {
                self.unavailable_sets.insert(seq, reason);
                Vec::new()
            }
            Update::Matched {
                generation,
                answers,
            } => {
                self.timeline.resolve(generation, &answers);
                Vec::new()
            }
            Update::Exchange(exchange) => {
                self.apply_exchange(exchange);
                Vec::new()
            }
            Update::StreamConfig {
                key,
                config,
                set_by_receiver,
                exchange,
            } => {
                if set_by_receiver {
                    if let Some(stream) = self.streams.get_mut(&key) {
                        stream.config = Some(config);
                    }
                    Vec::new()
                } else {
                    self.apply_config(&key, config, exchange, now)
                }
            }
            Update::Metadata {
                key,
                document,
                legacy,
            } => {
                if let Some(stream) = self.streams.get_mut(&key) {
                    stream.metadata = Some((document, legacy));
                }
                Vec::new()
            }
            Update::Keys {
                key,
                keys,
                at,
                exchange,
            } => self.apply_keys(&key, &keys, at, exchange),
            Update::KeysUnreachable {
                key,
                error,
                at,
                exchange,
            } => self.apply_keys_unreachable(&key, &error, at, exchange),
            Update::PushRefused { key, at, exchange } => {
                let cause = "A push arrived with a wrong or missing Authorization header and was refused (401): someone other than the transmitter may be sending to this endpoint".to_owned();
                let evidence = Evidence::exchange(Some(exchange));
                self.raise(AlertKind::PushUnauthorized, &key, cause, None, evidence, at)
            }
            Update::StreamGone {
                key,
                why,
                at,
                exchange,
            } => self.apply_stream_gone(&key, &why, at, exchange),
            Update::VerificationFailed {
                key,
                error,
                exchange,
                at,
                by_user,
            } => self.apply_verification_failed(&key, &error, (exchange, by_user), at),
            Update::StreamsReplaced {
                key,
                replaced,
                exchange,
                at,
            } => self.apply_streams_replaced(&key, &replaced, exchange, at),
            Update::AcksIgnored {
                key,
                jti,
                repeats,
                refused_repeats,
                exchange,
                at,
            } => self.apply_acks_ignored(&key, &jti, (repeats, refused_repeats), exchange, at),
            Update::DeletedByReceiver { key, at } => {
                self.apply_deleted_by_receiver(&key, at);
                Vec::new()
            }
            Update::SessionEnded { key } => {
                if let Some(stream) = self.streams.get_mut(&key) {
                    stream.session_ended = true;
                }
                self.unwatch(&key, now);
                Vec::new()
            }
            Update::Coverage { key, coverage } => {
                if let Some(stream) = self.streams.get_mut(&key) {
                    stream.coverage = Some(coverage);
                }
                Vec::new()
            }
            kept @ (Update::Marker(_)
            | Update::EarlierAlerts(_)
            | Update::EarlierStatus(_)
            | Update::ConnectionTest(_)
            | Update::Pasted(_)
            | Update::Replayed(_)
            | Update::Profiles(_)) => {
                self.keep(kept);
                Vec::new()
            }
            Update::OpOutcome(outcome) => {
                self.apply_op_outcome(outcome, now);
                Vec::new()
            }
            Update::Notice { level, text } => {
                self.note(level, text, now);
                Vec::new()
            }
            Update::RecordHealth(health) => self.apply_record_health(health, now),
            // An opened file is no part of the live state: `core::opened` takes these.
            Update::Opened { .. } => Vec::new(),
        }
    }

    /// What is only kept for the window to show: nothing is raised by it.
    fn keep(&mut self, update: Update) {
        match update {
            Update::Marker(marker) => self.timeline.push_marker(marker),
            Update::EarlierAlerts(alerts) => self.earlier_alerts.extend(alerts),
            Update::EarlierStatus(changes) => self.earlier_status.extend(changes),
            Update::ConnectionTest(test) => self.connection_test = Some(*test),
            Update::Pasted(pasted) => self.pasted = Some(*pasted),
            Update::Replayed(outcome) => self.replayed = Some(*outcome),
            Update::Profiles(profiles) => {
                self.profiles = profiles;
                self.profiles_loaded = true;
            }
            _ => {}
        }
    }

    /// A status told other than by a SET the reducer saw (a read, the receiver's own change).
    fn apply_status(
        &mut self,
        key: &StreamKey,
        status: StreamStatus,
        reason: Option<String>,
        source: StatusSource,
        at: UnixMillis,
        exchange: Option<u64>,
    ) -> Vec<Alert> {
        match source {
            StatusSource::StatusRead => self.apply_status_read(key, status, reason, at, exchange),
            StatusSource::Receiver => self.apply_own_status(key, status, reason, at, exchange),
            StatusSource::StreamUpdated { .. } => {
                if let Some(stream) = self.streams.get_mut(key) {
                    let changed = &mut self.changed_statuses;
                    set_status(stream, changed, status, reason, (source, None), at);
                }
                Vec::new()
            }
        }
    }

    fn apply_connection(
        &mut self,
        key: &StreamKey,
        connection: Connection,
        exchange: Option<u64>,
        now: UnixMillis,
    ) -> Vec<Alert> {
        let evidence = Evidence::exchange(exchange);
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        stream.connection = connection.clone();
        stream.set_up |= connection == Connection::Connected;
        match connection {
            Connection::Declined(cause) => {
                self.raise(AlertKind::SetupDeclined, key, cause, None, evidence, now)
            }
            // Before the stream was set up it was never reached: the set-up failed.
            Connection::Failed(cause) if !stream.set_up => {
                self.raise(AlertKind::SetupFailed, key, cause, None, evidence, now)
            }
            Connection::Failed(cause) => {
                self.raise(AlertKind::ConnectionFailed, key, cause, None, evidence, now)
            }
            Connection::Connected => {
                self.resolve(
                    key,
                    &[AlertKind::ConnectionFailed, AlertKind::SetupFailed],
                    now,
                );
                Vec::new()
            }
            Connection::Connecting(_) | Connection::Stopped => Vec::new(),
        }
    }

    fn apply_set(&mut self, record: Arc<SetRecord>, now: UnixMillis) -> Vec<Alert> {
        let mut raised = Vec::new();
        if let Some(stream) = self.streams.get_mut(&record.stream) {
            stream.sets_received += 1;
            stream.note_arrival(record.received_at);
        }
        self.note_key_use(&record);
        if record.is_trusted() {
            raised = self.apply_stream_updated(&record);
            raised.extend(self.apply_verification(&record));
        }
        self.timeline.push(record, now);
        raised
    }

    /// A verified stream-updated SET changes the stream's status and raises or resolves alerts.
    fn apply_stream_updated(&mut self, record: &SetRecord) -> Vec<Alert> {
        let Some((status, reason)) = record.told_status() else {
            return Vec::new();
        };
        let key = record.stream.clone();
        let at = record.received_at;
        if let Some(stream) = self.streams.get_mut(&key) {
            let source = StatusSource::StreamUpdated { seq: record.seq };
            set_status(
                stream,
                &mut self.changed_statuses,
                status,
                reason.clone(),
                (source, record.exchange),
                at,
            );
        }
        let cause =
            |what: &str| format!("The transmitter sent stream-updated with status \"{what}\"");
        match status {
            StreamStatus::Disabled => {
                let cause = format!(
                    "{}: events are dropped until it is enabled again",
                    cause("disabled")
                );
                self.raise(
                    AlertKind::StreamDisabled,
                    &key,
                    cause,
                    reason,
                    Evidence::set(record),
                    at,
                )
            }
            StreamStatus::Paused => {
                let cause = format!("{}: events are held, and may be dropped", cause("paused"));
                self.raise(
                    AlertKind::StreamPaused,
                    &key,
                    cause,
                    reason,
                    Evidence::set(record),
                    at,
                )
            }
            StreamStatus::Enabled => {
                self.resolve(
                    &key,
                    &[AlertKind::StreamDisabled, AlertKind::StreamPaused],
                    at,
                );
                Vec::new()
            }
            StreamStatus::Unknown => Vec::new(),
        }
    }

    /// Put a message in the status bar.
    pub fn note(&mut self, level: NoticeLevel, text: String, at: UnixMillis) {
        self.notice = Some(Notice { level, text, at });
    }

    /// The answer to a stream operation: told in the status bar, and kept numbered for the form
    /// that waits for it.
    fn apply_op_outcome(&mut self, outcome: OpOutcome, now: UnixMillis) {
        let level = if outcome.result.is_ok() {
            NoticeLevel::Info
        } else {
            NoticeLevel::Error
        };
        self.note(level, outcome.text(), now);
        if self.op_outcomes.len() >= OUTCOMES_KEPT {
            self.op_outcomes.pop_front();
        }
        self.op_outcomes
            .push_back((self.op_outcomes_count, outcome));
        self.op_outcomes_count += 1;
    }

    /// The first answer numbered `since` or later that `wanted` picks (a form's answer: it
    /// notes [`op_outcomes_count`](Self::op_outcomes_count) when it sends).
    pub fn op_outcome_since(
        &self,
        since: u64,
        wanted: impl Fn(&OpOutcome) -> bool,
    ) -> Option<&OpOutcome> {
        self.op_outcomes
            .iter()
            .filter(|(n, _)| *n >= since)
            .map(|(_, outcome)| outcome)
            .find(|outcome| wanted(outcome))
    }
}

/// A status said (`exchange`: what carried or found it); a change goes into the history.
pub(super) fn set_status(
    stream: &mut StreamState,
    changed: &mut Vec<StatusChange>,
    status: StreamStatus,
    reason: Option<String>,
    (source, exchange): (StatusSource, Option<u64>),
    at: UnixMillis,
) {
    // Back to enabled (or changed by the receiver itself): the quiet before was the stop, told
    // already or the receiver's own doing; the silence clock starts again from here.
    if (status == StreamStatus::Enabled && stream.status != StreamStatus::Enabled)
        || source == StatusSource::Receiver
    {
        stream.watching_since = stream.watching_since.max(at);
    }
    // The transmitter answered for the stream: it is there again.
    if matches!(
        source,
        StatusSource::StatusRead | StatusSource::StreamUpdated { .. }
    ) {
        stream.gone_at = None;
    }
    if stream.status != status || stream.status_changed.is_none() {
        stream.status_changed = Some((at, source));
        if stream.status_history.len() >= super::stream::STATUS_HISTORY_KEPT {
            stream.status_history.pop_front();
        }
        stream.status_history.push_back(super::stream::StatusEntry {
            at,
            status,
            reason: reason.clone(),
            source,
            exchange,
        });
        changed.push(StatusChange {
            stream: stream.key.clone(),
            status,
            reason: reason.clone(),
            source: StatusChange::source_name(source),
            at,
            exchange,
        });
    }
    stream.status = status;
    stream.status_reason = reason;
}
