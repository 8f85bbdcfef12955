//! Knowing when a stream stops telling without being told, on a controlled clock: status reads
//! that find a stop no stream-updated announced, verification heartbeats that do not come back,
//! and silence.

use crate::fixtures;

use ssf_inspector::core::record_health::RecordHealth;
use std::sync::Arc;

use fixtures::{NOW, STREAM_ID, TestKey, claims, inspect, session_revoked, stream_updated};
use serde_json::json;
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::events;
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{Connection, StatusSource, StreamStatus, Watch};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

pub(crate) fn at(secs: i64) -> UnixMillis {
    UnixMillis(NOW.0 + secs * 1000)
}

pub(crate) fn key() -> StreamKey {
    StreamKey("demo".to_owned())
}

/// A connected stream, enabled, watched with a 10 s heartbeat timeout and 12 s silence threshold.
pub(crate) fn watched() -> InspectorState {
    let mut state = InspectorState::default();
    state.apply(
        Update::StreamAdded {
            key: key(),
            label: "demo".to_owned(),
        },
        at(0),
    );
    state.apply(
        Update::Connection {
            key: key(),
            connection: Connection::Connected,
            exchange: None,
        },
        at(0),
    );
    let watch = Watch {
        silence_after_millis: Some(12_000),
        verification_timeout_millis: 10_000,
    };
    state.apply(Update::Watch { key: key(), watch }, at(0));
    let status = Update::Status {
        key: key(),
        status: StreamStatus::Enabled,
        reason: None,
        source: StatusSource::StatusRead,
        at: at(0),
        exchange: None,
    };
    state.apply(status, at(0));
    state
}

/// A verification SET issued and received at `secs`.
fn verification(key_pair: &TestKey, jti: &str, state_value: &str, secs: i64) -> Update {
    issued_verification(key_pair, jti, state_value, secs, secs)
}

/// A verification SET issued (`iat`) at `issued` and received at `secs`.
fn issued_verification(
    key_pair: &TestKey,
    jti: &str,
    state_value: &str,
    issued: i64,
    secs: i64,
) -> Update {
    let mut set = claims(
        jti,
        events::VERIFICATION,
        &json!({"state": state_value}),
        &json!({"format": "opaque", "id": STREAM_ID}),
    );
    set["iat"] = json!(at(issued).as_secs());
    let mut record = inspect(&key_pair.sign(&set), &key_pair.jwks(), at(secs));
    record.seq = u64::try_from(secs).unwrap_or(0) + 1;
    Update::Set(Arc::new(record))
}

pub(crate) fn kinds(alerts: &[ssf_inspector::core::alerts::Alert]) -> Vec<AlertKind> {
    alerts.iter().map(|a| a.kind).collect()
}

#[test]
fn a_heartbeat_that_does_not_come_back_is_a_critical_alert_and_its_answer_resolves_it() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(
        Update::VerificationRequested {
            key: key(),
            state: "s-1".to_owned(),
            at: at(1),
        },
        at(1),
    );
    state.apply(
        Update::VerificationSent {
            key: key(),
            exchange: 77,
        },
        at(1),
    );
    assert!(state.tick(at(8)).raised.is_empty(), "within the timeout");
    let raised = state.tick(at(12)).raised;
    assert_eq!(kinds(&raised), [AlertKind::HeartbeatLost]);
    assert_eq!(
        raised[0].evidence_exchange,
        Some(77),
        "the unanswered request is the evidence"
    );
    assert!(
        raised[0].cause.contains("has not arrived"),
        "{}",
        raised[0].cause
    );
    assert!(
        !kinds(&state.tick(at(13)).raised).contains(&AlertKind::HeartbeatLost),
        "raised once, not every tick"
    );
    state.apply(verification(&key_pair, "v1", "s-1", 14), at(14));
    let alert = state
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::HeartbeatLost)
        .unwrap();
    assert!(!alert.is_active(), "the late answer resolves it");
    assert_eq!(state.streams[&key()].verification_rtt_millis, Some(13_000));
}

/// A transmitter that ignores acknowledgements (duo-labs/sharedsignals) delivers an earlier
/// run's verification SETs again on every run: issued before this receiver started watching,
/// they answer nothing it asked and are not taken for a wrong state.
#[test]
fn a_verification_issued_before_this_run_is_no_wrong_state() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    let earlier = issued_verification(&key_pair, "v-old", "an-earlier-run", -3600, 2);
    assert!(
        state.apply(earlier, at(2)).raised.is_empty(),
        "{:?}",
        state.alerts
    );
    // The same, issued during this run: somebody asked for it.
    let now = issued_verification(&key_pair, "v-new", "an-earlier-run", 2, 3);
    assert_eq!(
        kinds(&state.apply(now, at(3)).raised),
        [AlertKind::VerificationStateMismatch]
    );
}

#[test]
fn a_verification_with_another_state_is_flagged() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(
        Update::VerificationRequested {
            key: key(),
            state: "expected".to_owned(),
            at: at(1),
        },
        at(1),
    );
    let raised = state
        .apply(verification(&key_pair, "v2", "forged", 2), at(2))
        .raised;
    assert_eq!(kinds(&raised), [AlertKind::VerificationStateMismatch]);
    assert_eq!(raised[0].evidence_seq, Some(3));
    assert!(
        raised[0].cause.contains("it says \"forged\"")
            && raised[0].cause.contains("waits for state \"expected\""),
        "the alert shows the state received and the one expected: {}",
        raised[0].cause
    );
    assert!(
        state.streams[&key()].pending_verification.is_some(),
        "still waiting for the right one"
    );
}

#[test]
fn a_late_answer_to_a_request_a_newer_one_replaced_is_no_wrong_state() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    for (n, asked) in ["first", "second"].into_iter().enumerate() {
        let secs = i64::try_from(n).unwrap_or_default() + 1;
        let requested = Update::VerificationRequested {
            key: key(),
            state: asked.to_owned(),
            at: at(secs),
        };
        state.apply(requested, at(secs));
    }
    let raised = state
        .apply(verification(&key_pair, "v1", "first", 3), at(3))
        .raised;
    assert!(raised.is_empty(), "{raised:?}");
    assert!(
        state.streams[&key()].pending_verification.is_some(),
        "the newer request is still awaited"
    );
    let raised = state
        .apply(verification(&key_pair, "v2", "second", 4), at(4))
        .raised;
    assert!(raised.is_empty(), "{raised:?}");
    assert!(state.streams[&key()].pending_verification.is_none());
}

#[test]
fn a_refused_verification_request_is_its_own_warning_and_no_heartbeat_is_lost() {
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
        by_user: false,
    };
    let raised = state.apply(refused, at(1)).raised;
    assert_eq!(kinds(&raised), [AlertKind::VerificationRefused]);
    assert_eq!(raised[0].evidence_exchange, Some(7));
    assert!(raised[0].cause.contains("HTTP 429"), "{}", raised[0].cause);
    let later = state.tick(at(600)).raised;
    assert!(
        !kinds(&later).contains(&AlertKind::HeartbeatLost),
        "nothing was awaited: {later:?}"
    );
}

#[test]
fn silence_longer_than_expected_is_an_alert_and_the_next_set_ends_it() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    let first = inspect(
        &key_pair.sign(&session_revoked("a")),
        &key_pair.jwks(),
        at(1),
    );
    state.apply(Update::Set(Arc::new(first)), at(1));
    assert!(state.tick(at(12)).raised.is_empty());
    let raised = state.tick(at(14)).raised;
    assert_eq!(kinds(&raised), [AlertKind::Silent]);
    assert!(
        raised[0].cause.contains("No SET for 13 s"),
        "{}",
        raised[0].cause
    );
    let next = inspect(
        &key_pair.sign(&session_revoked("b")),
        &key_pair.jwks(),
        at(15),
    );
    state.apply(Update::Set(Arc::new(next)), at(15));
    state.tick(at(16));
    assert!(
        state.alerts.iter().all(|a| !a.is_active()),
        "{:?}",
        state.alerts
    );
}

#[test]
fn a_status_read_that_finds_a_stop_nobody_announced_is_an_alert() {
    let mut state = watched();
    let read = |status| Update::Status {
        key: key(),
        status,
        reason: Some("admin".to_owned()),
        source: StatusSource::StatusRead,
        at: at(5),
        exchange: None,
    };
    let raised = state.apply(read(StreamStatus::Disabled), at(5)).raised;
    assert_eq!(kinds(&raised), [AlertKind::StreamDisabledSilently]);
    assert!(
        raised[0].cause.contains("no stream-updated said so")
            && raised[0].cause.contains("not announced"),
        "{}",
        raised[0].cause
    );
    assert!(
        state.banner_alerts().next().is_some(),
        "critical: it goes on the banner"
    );
    state.apply(read(StreamStatus::Enabled), at(6));
    assert!(state.alerts.iter().all(|a| !a.is_active()));
}

/// An HTTP exchange of `stream` at 4 s, as the runtime records it.
fn exchange_of(id: u64, stream: &str, method: &str, url: &str) -> Update {
    Update::Exchange(Arc::new(Exchange {
        id,
        at: at(4),
        stream: Some(StreamKey(stream.to_owned())),
        method: method.to_owned(),
        url: url.to_owned(),
        status: Some(200),
        request_headers: Vec::new(),
        request_body: String::new(),
        response_headers: Vec::new(),
        response_body: r#"{"status":"disabled"}"#.to_owned(),
        duration_millis: 1,
    }))
}

/// A status read that found the stream disabled, told by exchange 7.
fn disabled_read_by_seven() -> Update {
    Update::Status {
        key: key(),
        status: StreamStatus::Disabled,
        reason: None,
        source: StatusSource::StatusRead,
        at: at(5),
        exchange: Some(7),
    }
}

#[test]
fn a_status_read_alert_names_the_exchange_that_found_it() {
    let mut state = watched();
    let status_url = "http://127.0.0.1/status";
    state.apply(exchange_of(7, &key().0, "GET", status_url), at(4));
    // Another stream's later exchange is not this stream's evidence.
    state.apply(exchange_of(8, "elsewhere", "GET", status_url), at(4));
    let raised = state.apply(disabled_read_by_seven(), at(5)).raised;
    assert_eq!(kinds(&raised), [AlertKind::StreamDisabledSilently]);
    assert_eq!(raised[0].evidence_exchange, Some(7));
    assert_eq!(raised[0].evidence_seq, None);
}

#[test]
fn a_push_landing_between_a_status_read_and_its_update_is_not_its_evidence() {
    let mut state = watched();
    // The status read's exchange is recorded, then a push on the same stream lands before the
    // read's answer reaches the reducer.
    let stream = key().0;
    state.apply(
        exchange_of(7, &stream, "GET", "http://127.0.0.1/status"),
        at(4),
    );
    state.apply(
        exchange_of(9, &stream, "POST", "http://127.0.0.1/push"),
        at(4),
    );
    let raised = state.apply(disabled_read_by_seven(), at(5)).raised;
    assert_eq!(kinds(&raised), [AlertKind::StreamDisabledSilently]);
    assert_eq!(
        raised[0].evidence_exchange,
        Some(7),
        "the read, not the push"
    );
}

#[test]
fn a_stop_that_was_announced_raises_no_second_alert_when_a_status_read_confirms_it() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    let told = inspect(
        &key_pair.sign(&stream_updated("u", "disabled", "admin")),
        &key_pair.jwks(),
        at(3),
    );
    let raised = state.apply(Update::Set(Arc::new(told)), at(3)).raised;
    assert_eq!(kinds(&raised), [AlertKind::StreamDisabled]);
    let read = Update::Status {
        key: key(),
        status: StreamStatus::Disabled,
        reason: None,
        source: StatusSource::StatusRead,
        at: at(5),
        exchange: None,
    };
    assert!(state.apply(read, at(5)).raised.is_empty());
}

#[test]
fn a_configuration_that_lost_event_types_or_moved_delivery_says_exactly_what() {
    let mut state = watched();
    let caep = |s: &str| events::caep(s);
    let config = |delivered: Vec<String>, url: &str| json!({"stream_id": STREAM_ID, "events_delivered": delivered, "delivery": {"method": "urn:ietf:rfc:8935", "endpoint_url": url}});
    let first = config(
        vec![caep("session-revoked"), caep("credential-change")],
        "http://127.0.0.1:9/push/a",
    );
    assert!(
        state
            .apply(
                Update::StreamConfig {
                    key: key(),
                    config: first,
                    set_by_receiver: false,
                    exchange: None,
                },
                at(1)
            )
            .is_empty(),
        "the first read is the baseline"
    );
    let narrowed = config(vec![caep("session-revoked")], "http://127.0.0.1:9/push/a");
    let raised = state
        .apply(
            Update::StreamConfig {
                key: key(),
                config: narrowed,
                set_by_receiver: false,
                exchange: None,
            },
            at(2),
        )
        .raised;
    assert_eq!(kinds(&raised), [AlertKind::StreamNarrowed]);
    assert!(
        raised[0].cause.contains("Credential changed"),
        "{}",
        raised[0].cause
    );
    let moved = config(
        vec![caep("session-revoked")],
        "https://attacker.example/collect",
    );
    let raised = state
        .apply(
            Update::StreamConfig {
                key: key(),
                config: moved,
                set_by_receiver: false,
                exchange: None,
            },
            at(3),
        )
        .raised;
    assert_eq!(kinds(&raised), [AlertKind::DeliveryChanged]);
    assert!(
        raised[0].cause.contains("https://attacker.example/collect"),
        "{}",
        raised[0].cause
    );
    let raised = state
        .apply(
            Update::StreamGone {
                key: key(),
                why: "reading the stream configuration answered HTTP 404".to_owned(),
                at: at(4),
                exchange: None,
            },
            at(4),
        )
        .raised;
    assert_eq!(kinds(&raised), [AlertKind::StreamDeleted]);
}

#[test]
fn a_push_with_a_wrong_authorization_is_a_warning() {
    let mut state = watched();
    let raised = state
        .apply(
            Update::PushRefused {
                key: key(),
                at: at(1),
                exchange: 42,
            },
            at(1),
        )
        .raised;
    assert_eq!(kinds(&raised), [AlertKind::PushUnauthorized]);
    assert_eq!(
        raised[0].evidence_exchange,
        Some(42),
        "the refused push is the evidence"
    );
    assert!(
        raised[0]
            .cause
            .contains("someone other than the transmitter"),
        "{}",
        raised[0].cause
    );
}

#[test]
fn without_a_set_threshold_the_cadence_is_learned_from_the_traffic() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    let learn = Watch {
        silence_after_millis: None,
        verification_timeout_millis: 10_000,
    };
    state.apply(
        Update::Watch {
            key: key(),
            watch: learn,
        },
        at(0),
    );
    // A SET every 5 s: the learned threshold is 10 × 5 s = 50 s.
    for n in 0..10 {
        let record = inspect(
            &key_pair.sign(&session_revoked(&format!("c{n}"))),
            &key_pair.jwks(),
            at(n * 5),
        );
        state.apply(Update::Set(Arc::new(record)), at(n * 5));
    }
    assert_eq!(state.streams[&key()].learned_silence_millis(), Some(50_000));
    assert!(
        state.tick(at(45 + 49)).raised.is_empty(),
        "49 s after the last SET: within the cadence"
    );
    let raised = state.tick(at(45 + 51)).raised;
    assert_eq!(kinds(&raised), [AlertKind::Silent]);
    assert!(
        raised[0].cause.contains("learned from its traffic"),
        "{}",
        raised[0].cause
    );
}

#[test]
fn a_record_that_refuses_sets_raises_no_silence_or_heartbeat_alert_and_counting_starts_again() {
    let mut state = watched();
    refuse_sets(&mut state, at(0));
    state.apply(
        Update::VerificationRequested {
            key: key(),
            state: "s1".to_owned(),
            at: at(1),
        },
        at(1),
    );
    // The receiver refuses every SET: the quiet and the missing answer are its own doing.
    assert!(
        state.tick(at(30)).raised.is_empty(),
        "no alert while the record refuses SETs"
    );
    state.apply(
        Update::RecordHealth(RecordHealth::Memory {
            instead_of: Some("/data/record.sqlite3".to_owned()),
        }),
        at(40),
    );
    assert!(
        state.tick(at(45)).raised.is_empty(),
        "counted again from the choice"
    );
    assert_eq!(
        kinds(&state.tick(at(53)).raised),
        [AlertKind::Silent],
        "silence counts from when SETs are taken again"
    );
}

#[test]
fn a_stop_found_while_the_record_refused_sets_is_not_called_silent() {
    let mut state = watched();
    refuse_sets(&mut state, at(1));
    let disabled = Update::Status {
        key: key(),
        status: StreamStatus::Disabled,
        reason: Some("Disabled by administrator mallory".to_owned()),
        source: StatusSource::StatusRead,
        at: at(5),
        exchange: None,
    };
    let raised = state.apply(disabled, at(5)).raised;
    assert_eq!(
        kinds(&raised),
        [AlertKind::StreamDisabled],
        "the stop is real and raised"
    );
    assert!(
        raised[0]
            .cause
            .contains("may be among those this receiver refused"),
        "{}",
        raised[0].cause
    );
    // Enabled again, found by a read while SETs are taken: a later silent stop is called so.
    state.apply(
        Update::RecordHealth(RecordHealth::Memory { instead_of: None }),
        at(6),
    );
    let enabled = Update::Status {
        key: key(),
        status: StreamStatus::Enabled,
        reason: None,
        source: StatusSource::StatusRead,
        at: at(7),
        exchange: None,
    };
    state.apply(enabled, at(7));
    let paused = Update::Status {
        key: key(),
        status: StreamStatus::Paused,
        reason: None,
        source: StatusSource::StatusRead,
        at: at(9),
        exchange: None,
    };
    assert_eq!(
        kinds(&state.apply(paused, at(9)).raised),
        [AlertKind::StreamPausedSilently]
    );
}

/// The receiver's record becomes unavailable: it refuses SETs from `when` on.
fn refuse_sets(state: &mut InspectorState, when: UnixMillis) {
    state.apply(
        Update::RecordHealth(RecordHealth::Unavailable {
            path: "/data/record.sqlite3".to_owned(),
            reason: "in use by another ssf-inspector".to_owned(),
        }),
        when,
    );
}
