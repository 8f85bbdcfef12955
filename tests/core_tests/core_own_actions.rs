//! The receiver's own actions are never alerts (issue 23, item 1): its own disable and enable, its
//! own delete, a transmitter's stop undone by the user's enable, and a verification the user asked
//! for that the transmitter refused. The silence clock restarts from the receiver's own status
//! changes and from any return to "enabled"; a deleted stream's silence is no news.

use crate::fixtures;

use crate::core_watchdog::{at, key, kinds, watched};
use fixtures::{TestKey, inspect, session_revoked, stream_updated};
use ssf_inspector::core::alerts::{Alert, AlertKind};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{StatusSource, StreamStatus};
use ssf_inspector::core::update::Update;
use std::sync::Arc;

fn status(status: StreamStatus, source: StatusSource, secs: i64) -> Update {
    Update::Status {
        key: key(),
        status,
        reason: None,
        source,
        at: at(secs),
        exchange: Some(40 + secs.unsigned_abs()),
    }
}

/// Every alert raised by ticking once a second from `from` to `to` (inclusive).
fn ticks(state: &mut InspectorState, from: i64, to: i64) -> Vec<Alert> {
    (from..=to).flat_map(|s| state.tick(at(s)).raised).collect()
}

#[test]
fn own_disable_then_enable_starts_the_silence_clock_again() {
    let mut state = watched();
    assert!(ticks(&mut state, 1, 5).is_empty());
    state.apply(
        status(StreamStatus::Disabled, StatusSource::Receiver, 5),
        at(5),
    );
    assert!(ticks(&mut state, 6, 60).is_empty());
    let enabled = state.apply(
        status(StreamStatus::Enabled, StatusSource::Receiver, 60),
        at(60),
    );
    assert!(enabled.raised.is_empty());
    // The stream was quiet for a minute because the receiver disabled it: not silence.
    let after = ticks(&mut state, 61, 70);
    assert!(after.is_empty(), "{:?}", kinds(&after));
    assert!(state.alerts.is_empty(), "{:?}", state.alerts);
    // From the enable on, the clock runs as before: 12 s with nothing is silence.
    let silent = ticks(&mut state, 71, 75);
    assert_eq!(kinds(&silent), [AlertKind::Silent]);
}

#[test]
fn the_users_enable_after_a_transmitter_disable_starts_the_clock_again() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    let told = inspect(
        &key_pair.sign(&stream_updated("su-1", "disabled", "admin")),
        &key_pair.jwks(),
        at(2),
    );
    let raised = state.apply(Update::Set(Arc::new(told)), at(2)).raised;
    assert_eq!(kinds(&raised), [AlertKind::StreamDisabled]);
    assert!(ticks(&mut state, 3, 50).is_empty());
    state.apply(
        status(StreamStatus::Enabled, StatusSource::Receiver, 50),
        at(50),
    );
    let after = ticks(&mut state, 51, 60);
    assert!(after.is_empty(), "{:?}", kinds(&after));
}

#[test]
fn a_transmitter_enable_after_its_disable_starts_the_clock_again() {
    let mut state = watched();
    state.apply(
        status(StreamStatus::Disabled, StatusSource::StatusRead, 3),
        at(3),
    );
    ticks(&mut state, 4, 40);
    state.apply(
        status(StreamStatus::Enabled, StatusSource::StatusRead, 40),
        at(40),
    );
    let after = ticks(&mut state, 41, 50);
    assert!(
        !kinds(&after).contains(&AlertKind::Silent),
        "the quiet of a disabled stream is the disable, told already: {:?}",
        kinds(&after)
    );
}

#[test]
fn a_stream_the_receiver_deleted_is_never_silent() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    let set = inspect(
        &key_pair.sign(&session_revoked("s-1")),
        &key_pair.jwks(),
        at(1),
    );
    state.apply(Update::Set(Arc::new(set)), at(1));
    let deleted = Update::DeletedByReceiver {
        key: key(),
        at: at(2),
    };
    assert!(state.apply(deleted, at(2)).raised.is_empty());
    let after = ticks(&mut state, 3, 120);
    assert!(after.is_empty(), "{:?}", kinds(&after));
    assert!(state.alerts.is_empty(), "{:?}", state.alerts);
}

#[test]
fn a_verification_the_user_asked_for_and_was_refused_is_no_alert() {
    let mut state = watched();
    let requested = Update::VerificationRequested {
        key: key(),
        state: "asked".to_owned(),
        at: at(1),
    };
    state.apply(requested, at(1));
    let refused = Update::VerificationFailed {
        key: key(),
        error: "requesting verification answered HTTP 429 Too Many Requests".to_owned(),
        exchange: Some(7),
        at: at(1),
        by_user: true,
    };
    let raised = state.apply(refused, at(1)).raised;
    assert!(raised.is_empty(), "{:?}", kinds(&raised));
    // Nothing is awaited either: no heartbeat is lost for it.
    let later = ticks(&mut state, 2, 11);
    assert!(
        !kinds(&later).contains(&AlertKind::HeartbeatLost),
        "{later:?}"
    );
}
