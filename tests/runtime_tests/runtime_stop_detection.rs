//! The seed lesson end to end on 127.0.0.1: a transmitter that stops without a word is caught by
//! the status read within one interval; a paused stream loses its heartbeat and goes silent; a
//! transmitter that tells is caught by its stream-updated at once; a receiver cut off (access
//! revoked, signing key dropped from the JWKS, JWKS unreachable) is told within one interval.
//!
//! "Within one interval" is counted in the receiver's own requests, not in wall-clock time (issue
//! 22: thresholds like 900 ms flaked under load): each alert is kept with the reads the receiver
//! had sent since the change, and the stop must be caught by the first read of its kind.

use std::time::Duration;

use crate::receiving;

use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::profile::DeliveryMode;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::Command;
use ssf_inspector::runtime::receiver::session::WatchSettings;
use ssf_inspector::runtime::transmitter::{Transmitter, TransmitterOptions};

/// What the transmitter's operator does once the stream delivers.
enum Change {
    /// Change the status as the transmitter (`disabled`, `paused`).
    Status(&'static str),
    /// Delete the stream with the management token.
    Delete,
    /// Inject a fault through the control endpoint (`{"access": "revoked"}`, …).
    Fault(serde_json::Value),
}

/// How long the alerts are watched after the change (once the expected one came): long enough
/// for a status read, a heartbeat timeout and the silence to show what else they raise.
const WATCHED: Duration = Duration::from_secs(3);
/// A bound that stops a test that never sees what it waits for; never reached when it passes.
const GIVE_UP: Duration = Duration::from_secs(60);

/// The receiver's requests sent after the change, by endpoint of the built-in transmitter.
#[derive(Clone, Copy, Debug, Default)]
struct Reads {
    /// Status reads (`GET /status`).
    status: usize,
    /// Configuration reads (`GET /streams`), of the status check and of the heartbeat's check.
    config: usize,
    /// JWKS fetches.
    jwks: usize,
    /// Polls.
    poll: usize,
}

impl Reads {
    fn count(&mut self, exchange: &Exchange) {
        let path = exchange.url.split('?').next().unwrap_or_default();
        let get = exchange.method == "GET";
        if get && path.ends_with("/status") {
            self.status += 1;
        } else if get && path.ends_with("/streams") {
            self.config += 1;
        } else if get && path.ends_with("/jwks.json") {
            self.jwks += 1;
        } else if exchange.method == "POST" && path.contains("/poll") {
            self.poll += 1;
        }
    }
}

/// An alert raised after the change.
#[derive(Clone, Copy, Debug)]
struct Caught {
    kind: AlertKind,
    /// What the receiver had sent since the change when it was raised.
    reads: Reads,
    /// Its evidence is a SET (a stream-updated), not a read.
    from_set: bool,
}

/// Run a transmitter and a receiver session; after the first SETs, make the change; return
/// the alerts raised afterwards (watched until `expect` came, and [`WATCHED`] after the change).
async fn stop_and_watch(tells: bool, status: &str, name: &str, expect: AlertKind) -> Vec<Caught> {
    let change = if status == "deleted" {
        Change::Delete
    } else {
        Change::Status(if status == "paused" {
            "paused"
        } else {
            "disabled"
        })
    };
    change_and_watch(tells, DeliveryMode::Push, change, name, expect).await
}

async fn change_and_watch(
    tells: bool,
    delivery: DeliveryMode,
    change: Change,
    name: &str,
    expect: AlertKind,
) -> Vec<Caught> {
    let status_interval = Duration::from_millis(500);
    watch_change(tells, delivery, change, name, status_interval, expect)
        .await
        .alerts
}

/// What the receiver did after the change.
struct Watched {
    /// The alerts raised after the change.
    alerts: Vec<Caught>,
    /// Verification requests made while the state knew the stream disabled or paused.
    asked_while_stopped: usize,
}

async fn watch_change(
    tells: bool,
    delivery: DeliveryMode,
    change: Change,
    name: &str,
    status_interval: Duration,
    expect: AlertKind,
) -> Watched {
    let options = TransmitterOptions {
        tells,
        ..receiving::steady()
    };
    let (tx, cancel) = receiving::transmitter(options).await;
    let (files, profile) = receiving::profile_for(&tx, &format!("stop-{name}"), name, delivery);
    let (rt, mut rx) = receiving::runtime();
    let watch = WatchSettings {
        status_interval,
        verification_interval: Duration::from_millis(700),
        verification_timeout: Duration::from_millis(600),
        silence_after: Some(Duration::from_millis(900)),
        ..WatchSettings::default()
    };
    let key = receiving::start(&rt, &files, &profile, |config| config.watch = watch).await;
    let delivering = receiving::set_up_with(&key, 3);
    let mut state = InspectorState::default();
    let mut clock = tokio::time::interval(Duration::from_millis(50));
    let mut changed_at: Option<(tokio::time::Instant, UnixMillis)> = None;
    let mut reads = Reads::default();
    let mut alerts: Vec<Caught> = Vec::new();
    let mut asked_while_stopped = 0;
    let end = tokio::time::Instant::now() + GIVE_UP;
    loop {
        let update = tokio::select! {
            () = tokio::time::sleep_until(end) => break,
            _ = clock.tick() => None,
            update = rx.recv() => update,
        };
        let stopped = state.streams.values().any(|s| {
            matches!(
                s.status,
                ssf_inspector::core::stream::StreamStatus::Disabled
                    | ssf_inspector::core::stream::StreamStatus::Paused
            )
        });
        if stopped
            && matches!(
                update,
                Some(ssf_inspector::core::update::Update::VerificationRequested { .. })
            )
        {
            asked_while_stopped += 1;
        }
        // A request sent after the change (its send time, on the same clock) sees it.
        if let (Some((_, changed)), Some(Update::Exchange(exchange))) = (changed_at, &update)
            && exchange.at > changed
        {
            reads.count(exchange);
        }
        let raised = match update {
            Some(update) => state.apply(update, UnixMillis::now()).raised,
            None => state.tick(UnixMillis::now()).raised,
        };
        if let Some((since, _)) = changed_at {
            alerts.extend(raised.iter().map(|a| Caught {
                kind: a.kind,
                reads,
                from_set: a.evidence_seq.is_some(),
            }));
            let came = alerts.iter().any(|c| c.kind == expect);
            if came && since.elapsed() > WATCHED {
                break;
            }
        } else if delivering(&state) {
            let response = make(&change, &tx).await;
            assert!(response.status().is_success(), "{}", response.status());
            changed_at = Some((tokio::time::Instant::now(), UnixMillis::now()));
        }
    }
    rt.send(Command::Shutdown).await.ok();
    cancel.cancel();
    assert!(
        changed_at.is_some(),
        "the stream delivered before the change"
    );
    Watched {
        alerts,
        asked_while_stopped,
    }
}

async fn make(change: &Change, tx: &Transmitter) -> reqwest::Response {
    let client = reqwest::Client::new();
    let control = |what: &str| {
        client
            .post(format!("{}/control/{what}", tx.issuer))
            .bearer_auth(&tx.management_token)
    };
    match change {
        Change::Status(status) => control("status")
            .json(&serde_json::json!({"status": status, "reason": "test"}))
            .send()
            .await
            .expect("control/status"),
        Change::Fault(fault) => control("fault")
            .json(fault)
            .send()
            .await
            .expect("control/fault"),
        Change::Delete => {
            // Someone with the management token deletes the stream: SSF sends no event.
            let streams = receiving::streams_at(tx).await;
            let id = streams[0]["stream_id"]
                .as_str()
                .expect("a stream")
                .to_owned();
            client
                .delete(format!("{}/streams", tx.issuer))
                .query(&[("stream_id", id)])
                .bearer_auth(&tx.management_token)
                .send()
                .await
                .expect("delete")
        }
    }
}

fn first(alerts: &[Caught], kind: AlertKind) -> Option<Caught> {
    alerts.iter().find(|c| c.kind == kind).copied()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_disable_is_caught_within_one_status_interval() {
    let kind = AlertKind::StreamDisabledSilently;
    let alerts = stop_and_watch(false, "disabled", "silent-disable", kind).await;
    let caught = first(&alerts, kind).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(
        caught.reads.status <= 1,
        "caught by the first status read sent after the stop: {caught:?}"
    );
    assert!(
        first(&alerts, AlertKind::StreamDisabled).is_none(),
        "nothing was told: {alerts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_told_disable_is_caught_from_stream_updated_within_a_second() {
    let kind = AlertKind::StreamDisabled;
    let alerts = stop_and_watch(true, "disabled", "told-disable", kind).await;
    let caught = first(&alerts, kind).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(
        caught.from_set,
        "caught from the stream-updated SET: {caught:?}"
    );
    assert!(
        first(&alerts, AlertKind::StreamDisabledSilently).is_none(),
        "it told: {alerts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_verification_is_asked_of_a_stream_stream_updated_said_is_disabled() {
    // Status reads a minute apart: only the stream-updated SET can tell the session.
    let change = Change::Status("disabled");
    let minute = Duration::from_secs(60);
    let kind = AlertKind::StreamDisabled;
    let name = "told-no-verify";
    let watched = watch_change(true, DeliveryMode::Push, change, name, minute, kind).await;
    assert!(
        first(&watched.alerts, AlertKind::StreamDisabled).is_some(),
        "{:?}",
        watched.alerts
    );
    // Heartbeats are due every 700 ms over the 3 s watched; one already on its way when the
    // SET arrived may still be counted.
    assert!(
        watched.asked_while_stopped <= 1,
        "{} verification requests to a disabled stream",
        watched.asked_while_stopped
    );
    assert!(
        first(&watched.alerts, AlertKind::VerificationRefused).is_none(),
        "{:?}",
        watched.alerts
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_pause_is_caught_and_its_consequences_are_not_raised_beside_it() {
    let kind = AlertKind::StreamPausedSilently;
    let alerts = stop_and_watch(false, "paused", "silent-pause", kind).await;
    assert!(
        first(&alerts, AlertKind::StreamPausedSilently).is_some(),
        "{alerts:?}"
    );
    // A paused stream holds its SETs: the lost heartbeat and the silence that follow are the
    // pause's consequences, not new stops (the reducer raises nothing for them once known).
    assert!(
        first(&alerts, AlertKind::HeartbeatLost).is_none(),
        "{alerts:?}"
    );
    assert!(first(&alerts, AlertKind::Silent).is_none(), "{alerts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_stream_is_caught_within_one_status_interval() {
    let kind = AlertKind::StreamDeleted;
    let alerts = stop_and_watch(false, "deleted", "deleted", kind).await;
    let caught = first(&alerts, kind).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(
        caught.reads.config <= 1,
        "caught by the first configuration read sent after the delete: {caught:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_access_cuts_a_poll_stream_off_at_once() {
    let fault = serde_json::json!({"access": "revoked"});
    let kind = AlertKind::ConnectionFailed;
    let change = Change::Fault(fault);
    let alerts = change_and_watch(false, DeliveryMode::Poll, change, "revoked", kind).await;
    let caught = first(&alerts, kind).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(
        caught.reads.poll <= 1,
        "cut off by the first poll sent after the revocation: {caught:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signing_key_dropped_from_the_jwks_is_caught_at_the_next_check() {
    let fault = serde_json::json!({"jwks": "without_active_key"});
    let kind = AlertKind::SigningKeyRemoved;
    let change = Change::Fault(fault);
    let alerts = change_and_watch(false, DeliveryMode::Push, change, "key-removed", kind).await;
    let caught = first(&alerts, kind).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(
        caught.reads.jwks <= 1,
        "caught by the first JWKS fetch after the change: {caught:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_jwks_is_caught_at_the_next_check() {
    let fault = serde_json::json!({"jwks": "unavailable"});
    let kind = AlertKind::JwksUnreachable;
    let change = Change::Fault(fault);
    let alerts = change_and_watch(false, DeliveryMode::Push, change, "jwks-down", kind).await;
    let caught = first(&alerts, kind).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(
        caught.reads.jwks <= 1,
        "caught by the first JWKS fetch after the change: {caught:?}"
    );
}

/// The evidence of a stop a status read found is that read's own exchange (not the latest
/// exchange of the stream, which is often a push that landed meanwhile).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_disable_names_the_status_read_that_found_it() {
    let options = TransmitterOptions {
        tells: false,
        event_interval: Duration::from_millis(20),
        ..receiving::steady()
    };
    let (tx, cancel) = receiving::transmitter(options).await;
    let (files, profile) =
        receiving::profile_for(&tx, "stop-evidence", "evidence", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |config| {
        config.watch = receiving::fast();
    })
    .await;
    let mut state = InspectorState::default();
    let delivering = receiving::set_up_with(&key, 3);
    assert!(receiving::until(&mut rx, &mut state, delivering).await);
    let response = make(&Change::Status("disabled"), &tx).await;
    assert!(response.status().is_success(), "{}", response.status());
    let caught = |s: &InspectorState| {
        s.alerts
            .iter()
            .any(|a| a.kind == AlertKind::StreamDisabledSilently)
    };
    assert!(
        receiving::until(&mut rx, &mut state, caught).await,
        "{:?}",
        state.alerts
    );
    rt.send(Command::Shutdown).await.ok();
    cancel.cancel();
    let alert = state
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::StreamDisabledSilently && a.stream == key)
        .expect("the alert");
    let id = alert
        .evidence_exchange
        .expect("an exchange is the evidence");
    let exchange = state
        .exchanges
        .iter()
        .find(|e| e.id == id)
        .expect("the evidence is listed");
    assert_eq!(exchange.method, "GET", "{exchange:?}");
    assert!(exchange.url.contains("/status"), "{}", exchange.url);
    assert!(
        exchange.response_body.contains("disabled"),
        "{}",
        exchange.response_body
    );
}
