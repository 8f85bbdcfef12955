//! RFC 8936 poll delivery: long polls the transmitter's endpoint, stores each SET, acknowledges
//! only what is stored, reports rejected ones in `setErrs`, drains `moreAvailable` at once
//! while it brings new SETs, and backs off with jitter on failure (each failure shown as the
//! stream's connection state). A good citizen with transmitters that bend the rules: an answer
//! that came at once with nothing new (empty, or only copies of acknowledged SETs) waits for
//! the poll interval, a refused long poll falls back to `returnImmediately`, and a SET delivered
//! again after its acknowledgement is acknowledged again, not stored twice; one delivered again
//! after it was refused in `setErrs` is refused again, not stored twice. At most
//! [`MAX_SETS_PER_ANSWER`] SETs are taken from one answer (the rest come again), whatever the
//! transmitter makes of `maxEvents`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

use super::auth::Auth;
use super::exchange_log::{ExchangeLog, HeldExchange};
use super::intake::{Intake, Received};
use super::keys::KeyCache;
use super::push_answer::set_reference;
use super::shared::{Health, SessionDeps};
use crate::core::ingest::{Arrival, Expectations};
use crate::core::poll_answer;
use crate::core::record::{StreamKey, Transport};
use crate::core::stream::Connection;
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::AlgorithmPolicy;

/// SETs asked for per poll.
const MAX_EVENTS: u64 = 100;
/// How long one (long) poll may take before the receiver gives up on it.
const POLL_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest wait between failed polls.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// An empty answer faster than this did not hold the poll: the transmitter answers at once.
const HELD_AT_LEAST: Duration = Duration::from_millis(500);
/// Acknowledged jtis remembered, to recognise a SET delivered again after its ack (and as many
/// refused ones, with their errors).
const ACKED_KEPT: usize = 10_000;
/// SETs taken from one answer; more are skipped unread, neither stored nor acknowledged, and
/// come again. Ten times `maxEvents`: room for a transmitter that sends a little more than
/// asked, none for one that sends its whole backlog at once.
pub const MAX_SETS_PER_ANSWER: usize = 10 * MAX_EVENTS as usize;

/// A poll loop for one stream.
pub struct Poller {
    /// Local stream name.
    pub key: StreamKey,
    /// The transmitter's poll URL.
    pub endpoint: String,
    /// Bearer token for the poll endpoint.
    pub auth: Arc<Auth>,
    /// Keys to verify with.
    pub keys: Arc<KeyCache>,
    /// Issuer and audience expectations.
    pub expect: Expectations,
    /// Client, store, UI.
    pub deps: SessionDeps,
    /// Where the poll exchanges are kept.
    pub log: ExchangeLog,
    /// Whether delivery works, for the session's status reads.
    pub health: Arc<Health>,
    /// The wait after an empty answer that came at once.
    pub interval: Duration,
    /// What other processes of this receiver did to the stream.
    pub own: Option<Arc<crate::runtime::journal::JournalReader>>,
}

/// What the poller remembers between polls.
#[derive(Default)]
struct PollState {
    /// Acknowledge these with the next request.
    acks: Vec<String>,
    /// Report these with the next request.
    errors: Map<String, Value>,
    /// Long polls were refused: ask with `returnImmediately: true`.
    immediate: bool,
    /// An answer with nothing new came at once: the transmitter does not hold polls (it
    /// answers at once whatever is asked), so acknowledgements wait for the next poll.
    answers_at_once: bool,
    /// Acknowledged jtis, oldest first (at most [`ACKED_KEPT`]).
    acked: VecDeque<String>,
    acked_set: HashSet<String>,
    /// Copies that came after their acknowledgement.
    repeats: u64,
    /// SETs refused in `setErrs` (jti → the error reported), oldest first (at most
    /// [`ACKED_KEPT`]): one delivered again is refused again, not stored twice.
    refused: HashMap<String, Value>,
    refused_order: VecDeque<String>,
    /// Copies that came after their refusal.
    refused_repeats: u64,
    /// Answers that held more SETs than are taken from one, and SETs left out of them.
    oversized: (u64, u64),
}

impl PollState {
    fn remember_acked(&mut self, jtis: &[String]) {
        // An empty jti names no SET: the next SET under it is a new one, not a copy.
        for jti in jtis.iter().filter(|jti| !jti.is_empty()) {
            if self.acked_set.insert(jti.clone()) {
                self.acked.push_back(jti.clone());
            }
        }
        while self.acked.len() > ACKED_KEPT {
            if let Some(old) = self.acked.pop_front() {
                self.acked_set.remove(&old);
            }
        }
    }

    fn remember_refused(&mut self, errors: &Map<String, Value>) {
        for (jti, error) in errors.iter().filter(|(jti, _)| !jti.is_empty()) {
            if self.refused.insert(jti.clone(), error.clone()).is_none() {
                self.refused_order.push_back(jti.clone());
            }
        }
        while self.refused_order.len() > ACKED_KEPT {
            if let Some(old) = self.refused_order.pop_front() {
                self.refused.remove(&old);
            }
        }
    }
}

impl Poller {
    /// Poll until `cancel` fires; then send the last acknowledgements.
    pub async fn run(self, cancel: CancellationToken) {
        let mut state = PollState::default();
        let mut backoff = Duration::from_secs(1);
        let mut failing = false;
        loop {
            let body = request_body(&state.acks, &state.errors, false, state.immediate);
            let asked = std::time::Instant::now();
            let outcome = tokio::select! {
                () = cancel.cancelled() => break,
                outcome = self.poll_once(&body) => outcome,
            };
            match outcome {
                Ok((answer, held)) => {
                    let exchange = held.id();
                    let sent = std::mem::take(&mut state.acks);
                    state.remember_acked(&sent);
                    let reported = std::mem::take(&mut state.errors);
                    state.remember_refused(&reported);
                    // SETs left out of an answer come again: ask for them at once.
                    let more = answer.more_available || answer.left_out > 0;
                    if answer.left_out > 0 {
                        self.oversized(&mut state, answer.sets.len(), answer.left_out)
                            .await;
                    }
                    let sets = answer.sets;
                    backoff = Duration::from_secs(1);
                    if failing {
                        failing = false;
                        *self.health.delivery_failure.lock() = None;
                        self.connection(Connection::Connected).await;
                    }
                    let (fresh, stored) = self.store_all(sets, exchange, &mut state).await;
                    self.keep_answer(held, &stored).await;
                    // An answer that came at once with nothing new (empty, or only copies of
                    // SETs already acknowledged) was not held: wait before asking again.
                    // `moreAvailable` is believed only while it brings new SETs: copies again
                    // and again are no reason to hurry. New SETs are acknowledged at once by a
                    // poll that will be held, else with the next poll on the interval.
                    let unheld = state.immediate || asked.elapsed() < HELD_AT_LEAST;
                    if fresh == 0 && unheld {
                        state.answers_at_once = true;
                    }
                    let holds = !(state.immediate || state.answers_at_once);
                    let pending = !state.acks.is_empty() || !state.errors.is_empty();
                    let hurry = fresh > 0 && (more || (pending && holds));
                    if unheld && !hurry {
                        tokio::select! {
                            () = cancel.cancelled() => break,
                            () = tokio::time::sleep(self.interval) => {}
                        }
                    }
                }
                Err(err) if !state.immediate && long_poll_refused(&err) => {
                    state.immediate = true;
                    let text = format!(
                        "{}: the transmitter does not hold long polls ({err:#}); polling with returnImmediately every {} s instead",
                        self.key,
                        self.interval.as_secs()
                    );
                    self.deps.updates.notice(NoticeLevel::Info, text).await;
                }
                Err(err) => {
                    failing = true;
                    let wait = jittered(backoff);
                    let text = format!("{err:#}; polling again in {} s", wait.as_secs().max(1));
                    *self.health.delivery_failure.lock() = Some(text.clone());
                    self.connection(Connection::Failed(text)).await;
                    tokio::select! {
                        () = cancel.cancelled() => break,
                        () = tokio::time::sleep(wait) => {}
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
        if !state.acks.is_empty() || !state.errors.is_empty() {
            let body = request_body(&state.acks, &state.errors, true, true);
            let last = tokio::time::timeout(Duration::from_secs(5), self.poll_once(&body)).await;
            if let Ok(Ok((_, held))) = last {
                self.log.keep(held.0).await;
            }
        }
    }

    /// Keep a poll answer's exchange, each token stored from it written as a reference to its
    /// SET (the record keeps the token once, with the SET).
    async fn keep_answer(&self, mut held: HeldExchange, stored: &HashMap<String, String>) {
        if let Some(body) = poll_answer::with_stored_references(&held.0.response_body, stored) {
            held.0.response_body = body;
        }
        self.log.keep(held.0).await;
    }

    /// Show the connection, with the poll that told it (this poller's log is its own).
    async fn connection(&self, connection: Connection) {
        self.deps
            .updates
            .send(Update::Connection {
                key: self.key.clone(),
                connection,
                exchange: self.log.last_sent(),
            })
            .await
            .ok();
    }

    /// An answer held more SETs than are taken from one: said once, then every hundredth time.
    async fn oversized(&self, state: &mut PollState, taken: usize, left_out: usize) {
        state.oversized.0 += 1;
        state.oversized.1 += left_out as u64;
        let (answers, total) = state.oversized;
        if answers == 1 || answers.is_multiple_of(100) {
            let text = format!(
                "{}: the transmitter sent {} SETs in one answer where at most {MAX_EVENTS} were asked (maxEvents); the first {taken} were taken, the other {left_out} were neither stored nor acknowledged and will come again ({answers} such answer{} so far, {total} SETs left out)",
                self.key,
                taken + left_out,
                if answers == 1 { "" } else { "s" },
            );
            self.deps.updates.notice(NoticeLevel::Error, text).await;
        }
    }

    /// One poll: the answer (at most [`MAX_SETS_PER_ANSWER`] SETs taken) and its exchange, to
    /// be kept by the caller once the SETs are stored (kept here when the poll failed).
    async fn poll_once(
        &self,
        body: &Value,
    ) -> anyhow::Result<(poll_answer::PollAnswer, HeldExchange)> {
        let mut request = self
            .deps
            .client
            .post(&self.endpoint)
            .timeout(POLL_TIMEOUT)
            .json(body);
        if body.get("setErrs").is_some() {
            request = request.header(reqwest::header::CONTENT_LANGUAGE, "en");
        }
        if let Some(token) = self.auth.token(&self.deps.client, &self.log).await? {
            request = request.bearer_auth(token);
        }
        let (reply, held) = self
            .log
            .send_holding(&self.deps.client, request, answer_reading())
            .await?;
        let read = match reply {
            Ok(response) => self.read_answer(&response),
            Err(err) => Err(crate::runtime::net::cause::at_poll_url(err)),
        };
        match read {
            Ok(answer) => Ok((answer, held)),
            Err(err) => {
                self.log.keep(held.0).await;
                Err(err)
            }
        }
    }

    /// A poll's answer: refused (its status), or the SETs in it.
    fn read_answer(
        &self,
        response: &super::exchange_log::Reply,
    ) -> anyhow::Result<poll_answer::PollAnswer> {
        let status = response.status;
        if !status.is_success() {
            // A 404 is quoted, not glossed: transmitters answer it for a refused long poll
            // and a missing route as well as for a deleted stream.
            let hint = match status.as_u16() {
                401 | 403 => " (access to the stream was refused or revoked)",
                410 => " (gone)",
                _ => "",
            };
            let text = response.text();
            let text = text.trim();
            let cut: String = text.chars().take(200).collect();
            anyhow::bail!(PollRefused {
                status: status.as_u16(),
                text: format!("the poll endpoint answered HTTP {status}{hint}: {cut}"),
            });
        }
        Ok(poll_answer::parse_at_most(
            &response.body,
            MAX_SETS_PER_ANSWER,
        )?)
    }

    /// Store every SET; acknowledge the stored and accepted ones, report the rejected ones.
    /// A SET that could not be stored is neither acknowledged nor reported: it will come again.
    /// A copy of one already acknowledged is acknowledged again and counted, not stored.
    /// Returns how many SETs were new (not such copies), and for each token stored, what its
    /// exchange keeps instead.
    async fn store_all(
        &self,
        sets: Vec<(String, String)>,
        exchange: u64,
        state: &mut PollState,
    ) -> (usize, HashMap<String, String>) {
        let mut fresh = 0;
        let mut stored_refs = HashMap::new();
        let policy = AlgorithmPolicy::default();
        let intake = Intake {
            store: &self.deps.store,
            updates: &self.deps.updates,
            keys: &self.keys,
            policy: &policy,
            expect: &self.expect,
            health: &self.health,
            own: self.own.as_deref(),
        };
        for (jti, raw) in sets {
            let acked = state.acked_set.contains(&jti);
            let refused = state.refused.get(&jti).cloned();
            if acked || refused.is_some() {
                match refused {
                    Some(error) if !acked => {
                        state.refused_repeats += 1;
                        state.errors.insert(jti.clone(), error);
                    }
                    _ => {
                        state.repeats += 1;
                        state.acks.push(jti.clone());
                    }
                }
                let update = Update::AcksIgnored {
                    key: self.key.clone(),
                    jti,
                    repeats: state.repeats,
                    refused_repeats: state.refused_repeats,
                    exchange,
                    at: UnixMillis::now(),
                };
                self.deps.updates.send(update).await.ok();
                continue;
            }
            fresh += 1;
            let token = raw.clone();
            let received = Received {
                raw,
                arrival: Arrival {
                    stream: self.key.clone(),
                    transport: Transport::Poll,
                    received_at: UnixMillis::now(),
                },
                exchange: Some(exchange),
                refused: None,
            };
            // Acknowledge only what is durably stored; an unstored SET comes again later.
            let Ok(stored) = intake.take(received).await else {
                continue;
            };
            let reference = set_reference(stored.record.seq, token.as_bytes());
            stored_refs.insert(token, format!("({reference})"));
            match &stored.record.rejection {
                None => state.acks.push(jti),
                Some(rejection) => {
                    state.errors.insert(
                        jti,
                        json!({"err": rejection.err, "description": rejection.description}),
                    );
                }
            }
        }
        (fresh, stored_refs)
    }
}

/// A poll answer is read up to its own, larger limit (it holds up to `maxEvents` SETs).
fn answer_reading() -> super::exchange_log::Reading<'static> {
    super::exchange_log::Reading {
        limit: super::exchange_log::POLL_ANSWER_LIMIT,
        unchanged: None,
    }
}

/// A poll answered with an error status.
#[derive(Debug)]
struct PollRefused {
    status: u16,
    text: String,
}

impl std::fmt::Display for PollRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for PollRefused {}

/// A transmitter that refuses long polls (seen: 404 "does not support long polling").
fn long_poll_refused(err: &anyhow::Error) -> bool {
    err.downcast_ref::<PollRefused>().is_some_and(|refused| {
        matches!(refused.status, 400 | 404 | 405 | 501)
            && refused.text.to_ascii_lowercase().contains("long poll")
    })
}

fn request_body(
    acks: &[String],
    errors: &Map<String, Value>,
    ack_only: bool,
    immediate: bool,
) -> Value {
    let mut body = json!({"ack": acks, "returnImmediately": ack_only || immediate, "maxEvents": if ack_only { 0 } else { MAX_EVENTS }});
    if !errors.is_empty() {
        body["setErrs"] = Value::Object(errors.clone());
    }
    body
}

/// The delay plus up to a quarter of it at random, so many receivers do not retry in step.
fn jittered(delay: Duration) -> Duration {
    let mut byte = [0_u8; 1];
    aws_lc_rs::rand::SecureRandom::fill(&aws_lc_rs::rand::SystemRandom::new(), &mut byte).ok();
    delay + delay / 4 * u32::from(byte[0]) / 255
}
