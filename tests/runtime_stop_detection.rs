//! The seed lesson end to end on 127.0.0.1: a transmitter that stops without a word is caught by
//! the status read within one interval; a paused stream loses its heartbeat and goes silent; a
//! transmitter that tells is caught by its stream-updated at once; a receiver cut off (access
//! revoked, signing key dropped from the JWKS, JWKS unreachable) is told within one interval.

use std::time::Duration;

mod receiving;

use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::profile::DeliveryMode;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
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

/// Run a transmitter and a receiver session; after the first SETs, make the change; return
/// the alerts raised afterwards and how long after the change.
async fn stop_and_watch(tells: bool, status: &str, name: &str) -> Vec<(AlertKind, Duration)> {
    let change = if status == "deleted" {
        Change::Delete
    } else {
        Change::Status(if status == "paused" {
            "paused"
        } else {
            "disabled"
        })
    };
    change_and_watch(tells, DeliveryMode::Push, change, name).await
}

async fn change_and_watch(
    tells: bool,
    delivery: DeliveryMode,
    change: Change,
    name: &str,
) -> Vec<(AlertKind, Duration)> {
    let status_interval = Duration::from_millis(500);
    watch_change(tells, delivery, change, name, status_interval)
        .await
        .alerts
}

/// What the receiver did after the change.
struct Watched {
    /// The alerts raised, and how long after the change.
    alerts: Vec<(AlertKind, Duration)>,
    /// Verification requests made while the state knew the stream disabled or paused.
    asked_while_stopped: usize,
}

async fn watch_change(
    tells: bool,
    delivery: DeliveryMode,
    change: Change,
    name: &str,
    status_interval: Duration,
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
    receiving::start(&rt, &files, &profile, |config| config.watch = watch).await;
    let mut state = InspectorState::default();
    let mut clock = tokio::time::interval(Duration::from_millis(50));
    let mut changed_at: Option<tokio::time::Instant> = None;
    let mut alerts = Vec::new();
    let mut asked_while_stopped = 0;
    let end = tokio::time::Instant::now() + Duration::from_secs(8);
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
        let raised = match update {
            Some(update) => state.apply(update, UnixMillis::now()).raised,
            None => state.tick(UnixMillis::now()).raised,
        };
        if let Some(since) = changed_at {
            alerts.extend(raised.iter().map(|a| (a.kind, since.elapsed())));
            if since.elapsed() > Duration::from_secs(3) {
                break;
            }
        } else if state.timeline.len() >= 3 {
            let response = make(&change, &tx).await;
            assert!(response.status().is_success(), "{}", response.status());
            changed_at = Some(tokio::time::Instant::now());
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

fn first(alerts: &[(AlertKind, Duration)], kind: AlertKind) -> Option<Duration> {
    alerts
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, after)| *after)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_disable_is_caught_within_one_status_interval() {
    let alerts = stop_and_watch(false, "disabled", "silent-disable").await;
    let after = first(&alerts, AlertKind::StreamDisabledSilently)
        .unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(
        after <= Duration::from_millis(900),
        "caught {after:?} after the stop (status read every 500 ms)"
    );
    assert!(
        first(&alerts, AlertKind::StreamDisabled).is_none(),
        "nothing was told: {alerts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_told_disable_is_caught_from_stream_updated_within_a_second() {
    let alerts = stop_and_watch(true, "disabled", "told-disable").await;
    let after =
        first(&alerts, AlertKind::StreamDisabled).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(after < Duration::from_secs(1), "{after:?}");
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
    let watched = watch_change(true, DeliveryMode::Push, change, "told-no-verify", minute).await;
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
    let alerts = stop_and_watch(false, "paused", "silent-pause").await;
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
    let alerts = stop_and_watch(false, "deleted", "deleted").await;
    let after =
        first(&alerts, AlertKind::StreamDeleted).unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(after <= Duration::from_millis(900), "{after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_access_cuts_a_poll_stream_off_at_once() {
    let fault = serde_json::json!({"access": "revoked"});
    let alerts = change_and_watch(false, DeliveryMode::Poll, Change::Fault(fault), "revoked").await;
    let after = first(&alerts, AlertKind::ConnectionFailed)
        .unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(after <= Duration::from_millis(900), "{after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signing_key_dropped_from_the_jwks_is_caught_at_the_next_check() {
    let fault = serde_json::json!({"jwks": "without_active_key"});
    let alerts = change_and_watch(
        false,
        DeliveryMode::Push,
        Change::Fault(fault),
        "key-removed",
    )
    .await;
    let after = first(&alerts, AlertKind::SigningKeyRemoved)
        .unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(after <= Duration::from_millis(900), "{after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_jwks_is_caught_at_the_next_check() {
    let fault = serde_json::json!({"jwks": "unavailable"});
    let alerts =
        change_and_watch(false, DeliveryMode::Push, Change::Fault(fault), "jwks-down").await;
    let after = first(&alerts, AlertKind::JwksUnreachable)
        .unwrap_or_else(|| panic!("no alert: {alerts:?}"));
    assert!(after <= Duration::from_millis(900), "{after:?}");
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
    let delivering = |s: &InspectorState| s.timeline.len() >= 3;
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
