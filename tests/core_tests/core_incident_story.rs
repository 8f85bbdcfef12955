//! An incident in plain words (`core::incident_story`): its stop, the stream's SETs before and
//! after it, what followed and how it ended, on the reducer's own alerts and a fixed clock.

use crate::fixtures;

use std::sync::Arc;

use fixtures::{NOW, TestKey, inspect, session_revoked, stream_updated};
use ssf_inspector::core::alerts::{Alert, AlertKind};
use ssf_inspector::core::incident_story::{StoryCounts, story, thousands};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{Connection, StatusSource, StreamStatus};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

fn at(secs: i64) -> UnixMillis {
    UnixMillis(NOW.0 + secs * 1000)
}

fn clock(secs: i64) -> String {
    at(secs).time_of_day()[..8].to_owned()
}

fn key() -> StreamKey {
    StreamKey("demo".to_owned())
}

fn watched() -> InspectorState {
    let mut state = InspectorState::default();
    let label = "demo".to_owned();
    state.apply(Update::StreamAdded { key: key(), label }, at(0));
    let connection = Connection::Connected;
    let update = Update::Connection {
        key: key(),
        connection,
        exchange: None,
    };
    state.apply(update, at(0));
    state.apply(
        Update::Status {
            key: key(),
            status: StreamStatus::Enabled,
            reason: None,
            source: StatusSource::StatusRead,
            at: at(0),
            exchange: None,
        },
        at(0),
    );
    state
}

fn set(key_pair: &TestKey, claims: &serde_json::Value, seq: u64, secs: i64) -> Update {
    let mut record = inspect(&key_pair.sign(claims), &key_pair.jwks(), at(secs));
    record.seq = seq;
    Update::Set(Arc::new(record))
}

fn refused(state: &mut InspectorState, secs: i64) {
    let asked = Update::VerificationRequested {
        key: key(),
        state: format!("s-{secs}"),
        at: at(secs),
    };
    state.apply(asked, at(secs));
    let failed = Update::VerificationFailed {
        key: key(),
        error: "requesting verification answered HTTP 409 Conflict".to_owned(),
        exchange: Some(9),
        at: at(secs),
        by_user: false,
    };
    state.apply(failed, at(secs));
}

fn head(state: &InspectorState) -> Alert {
    state
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::StreamDisabled)
        .cloned()
        .unwrap_or_else(|| panic!("no disablement in {:?}", state.alerts))
}

fn told(state: &InspectorState, counts: &mut StoryCounts, presenter: bool) -> String {
    let head = head(state);
    let sets = counts.of(&state.timeline, &head);
    let history = &state.streams[&key()].status_history;
    story(
        &head,
        state.consequences_of(head.id),
        history,
        sets,
        presenter,
    )
}

/// Three SETs, a disablement told by stream-updated, a refused verification under it.
fn disabled() -> (InspectorState, TestKey) {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    for seq in 1..=3 {
        let claims = session_revoked(&format!("jti-{seq}"));
        state.apply(set(&key_pair, &claims, seq, seq as i64), at(seq as i64));
    }
    let stop = stream_updated("su-4", "disabled", "maintenance");
    state.apply(set(&key_pair, &stop, 4, 10), at(10));
    refused(&mut state, 40);
    (state, key_pair)
}

#[test]
fn a_disablement_told_by_the_transmitter_is_told_with_its_sets_and_what_followed() {
    let (state, _) = disabled();
    let mut counts = StoryCounts::default();
    assert_eq!(
        told(&state, &mut counts, false),
        format!(
            "disabled by the transmitter at {} (stream-updated, reason \"maintenance\"), \
             4 SETs received before, none after, verification refused at {}, still in force",
            clock(10),
            clock(40)
        )
    );
}

#[test]
fn once_enabled_again_the_story_says_when_and_by_whom() {
    let (mut state, key_pair) = disabled();
    let mut counts = StoryCounts::default();
    told(&state, &mut counts, false);
    let late = session_revoked("jti-late");
    state.apply(set(&key_pair, &late, 5, 50), at(50));
    let enabled = stream_updated("su-6", "enabled", "done");
    state.apply(set(&key_pair, &enabled, 6, 60), at(60));
    state.apply(set(&key_pair, &session_revoked("jti-7"), 7, 70), at(70));
    let text = told(&state, &mut counts, false);
    assert!(
        text.contains("4 SETs received before, 1 after"),
        "the SET between the stop and its end, none after the end: {text}"
    );
    assert!(
        text.ends_with(&format!(
            "resolved at {} (enabled again, told by stream-updated)",
            clock(60)
        )),
        "{text}"
    );
}

#[test]
fn a_stop_left_when_the_session_ended_is_no_longer_watched() {
    let (mut state, _) = disabled();
    state.apply(Update::SessionEnded { key: key() }, at(90));
    let text = told(&state, &mut StoryCounts::default(), false);
    assert!(
        text.ends_with(&format!(
            "no longer watched since {} (the session ended)",
            clock(90)
        )),
        "{text}"
    );
    assert!(!text.contains("resolved"), "{text}");
}

#[test]
fn counts_kept_between_calls_grow_with_the_sets_that_arrive() {
    let (mut state, key_pair) = disabled();
    let mut counts = StoryCounts::default();
    told(&state, &mut counts, false);
    for seq in 5..=7 {
        let claims = session_revoked(&format!("jti-{seq}"));
        state.apply(set(&key_pair, &claims, seq, 50), at(50));
    }
    let kept = counts.of(&state.timeline, &head(&state));
    let fresh = StoryCounts::default().of(&state.timeline, &head(&state));
    assert_eq!(kept, fresh, "counted from the start or since: the same");
    assert_eq!((kept.before, kept.after), (4, 3));
}

#[test]
fn the_transmitters_reason_is_masked_in_presenter_mode() {
    let (state, _) = disabled();
    let mut head = head(&state);
    head.reason = Some("asked by alice@example.com".to_owned());
    let sets = StoryCounts::default().of(&state.timeline, &head);
    let history = &state.streams[&key()].status_history;
    let masked = story(&head, [], history, sets, true);
    assert!(!masked.contains("alice@example.com"), "{masked}");
    assert!(masked.contains("reason \"asked by a"), "{masked}");
    let plain = story(&head, [], history, sets, false);
    assert!(plain.contains("alice@example.com"), "{plain}");
}

#[test]
fn large_counts_are_grouped_by_thousands() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1204), "1,204");
    assert_eq!(thousands(1_000_000), "1,000,000");
}

#[test]
fn a_count_kept_for_one_stop_is_not_read_for_another_with_the_same_id() {
    let (state, _) = disabled();
    let mut counts = StoryCounts::default();
    let first = head(&state);
    counts.of(&state.timeline, &first);
    // A new runtime numbers its alerts from 1 again: the same id, another stop.
    let mut other = first.clone();
    other.first_seen = at(2);
    let kept = counts.of(&state.timeline, &other);
    let fresh = StoryCounts::default().of(&state.timeline, &other);
    assert_eq!(kept, fresh);
    assert_eq!((kept.before, kept.after), (2, 2));
}
