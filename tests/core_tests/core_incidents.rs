//! One incident per cause: what a stop in force brings on (heartbeat lost, silence, refused
//! requests, a status read that finds it) is folded under the stop, the banner tells the stop,
//! and acknowledging it acknowledges its consequences.

use crate::fixtures;

use std::sync::Arc;

use fixtures::{NOW, TestKey, inspect, stream_updated};
use ssf_inspector::core::alerts::{Alert, AlertKind};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{Connection, StatusSource, StreamStatus, Watch};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

fn at(secs: i64) -> UnixMillis {
    UnixMillis(NOW.0 + secs * 1000)
}

fn key() -> StreamKey {
    StreamKey("demo".to_owned())
}

fn watched() -> InspectorState {
    let mut state = InspectorState::default();
    let label = "demo".to_owned();
    state.apply(Update::StreamAdded { key: key(), label }, at(0));
    let connection = Connection::Connected;
    state.apply(
        Update::Connection {
            key: key(),
            connection,
            exchange: None,
        },
        at(0),
    );
    let watch = Watch {
        silence_after_millis: Some(12_000),
        verification_timeout_millis: 10_000,
    };
    state.apply(Update::Watch { key: key(), watch }, at(0));
    state.apply(status_read(StreamStatus::Enabled, 0), at(0));
    state
}

fn status_read(status: StreamStatus, secs: i64) -> Update {
    Update::Status {
        key: key(),
        status,
        reason: None,
        source: StatusSource::StatusRead,
        at: at(secs),
        exchange: None,
    }
}

fn told(key_pair: &TestKey, status: &str, seq: u64, secs: i64) -> Update {
    let token = key_pair.sign(&stream_updated(&format!("su-{seq}"), status, "maintenance"));
    let mut record = inspect(&token, &key_pair.jwks(), at(secs));
    record.seq = seq;
    Update::Set(Arc::new(record))
}

fn verification_asked_and_refused(state: &mut InspectorState, secs: i64) -> Vec<Alert> {
    let asked = Update::VerificationRequested {
        key: key(),
        state: format!("s-{secs}"),
        at: at(secs),
    };
    state.apply(asked, at(secs));
    let refused = Update::VerificationFailed {
        key: key(),
        error: "requesting verification answered HTTP 409 Conflict".to_owned(),
        exchange: Some(9),
        at: at(secs),
        by_user: false,
    };
    state.apply(refused, at(secs)).raised
}

fn find(state: &InspectorState, kind: AlertKind) -> &Alert {
    state
        .alerts
        .iter()
        .find(|a| a.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {:?}", state.alerts))
}

#[test]
fn a_request_refused_while_the_stream_is_disabled_folds_under_the_disablement() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(told(&key_pair, "disabled", 1, 1), at(1));
    let raised = verification_asked_and_refused(&mut state, 5);
    let disabled = find(&state, AlertKind::StreamDisabled).id;
    assert_eq!(raised.len(), 1, "still recorded: {raised:?}");
    assert_eq!(raised[0].folded_under, Some(disabled), "one incident");
    let banner: Vec<_> = state.banner_alerts().map(|a| a.kind).collect();
    assert_eq!(
        banner,
        [AlertKind::StreamDisabled],
        "the banner tells the cause"
    );
    assert_eq!(state.consequences_of(disabled).count(), 1);
    assert!(
        state.tick(at(60)).raised.is_empty(),
        "no silence and no heartbeat alert while disabled"
    );

    state.acknowledge(disabled);
    assert!(
        state.alerts.iter().all(|a| a.acknowledged),
        "acknowledging the cause acknowledges what follows from it: {:?}",
        state.alerts
    );
    assert!(state.banner_alerts().next().is_none());
}

#[test]
fn a_heartbeat_lost_before_the_stop_was_found_folds_under_the_stop_once_it_is() {
    let mut state = watched();
    let asked = Update::VerificationRequested {
        key: key(),
        state: "s-1".to_owned(),
        at: at(1),
    };
    state.apply(asked, at(1));
    let lost = state.tick(at(12)).raised;
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].kind, AlertKind::HeartbeatLost);
    assert_eq!(lost[0].folded_under, None, "no stop is known yet");

    let found = state.apply(status_read(StreamStatus::Disabled, 13), at(13));
    let stop = find(&state, AlertKind::StreamDisabledSilently).id;
    assert_eq!(
        find(&state, AlertKind::HeartbeatLost).folded_under,
        Some(stop),
        "the lost heartbeat is a consequence of the stop found after it"
    );
    let banner: Vec<_> = state.banner_alerts().map(|a| a.kind).collect();
    assert_eq!(
        banner,
        [AlertKind::StreamDisabledSilently],
        "the headline is the stop, not the heartbeat"
    );
    let changed = found.alerts;
    assert!(
        changed
            .iter()
            .any(|a| a.kind == AlertKind::HeartbeatLost && a.folded_under == Some(stop)),
        "the record is told of the fold: {changed:?}"
    );
}

#[test]
fn a_resolved_stop_stays_in_the_banner_as_resolved_and_later_trouble_is_its_own_incident() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(told(&key_pair, "disabled", 1, 1), at(1));
    state.apply(told(&key_pair, "enabled", 2, 20), at(20));
    let disabled = find(&state, AlertKind::StreamDisabled);
    assert_eq!(disabled.resolved_at, Some(at(20)));
    let banner: Vec<_> = state.banner_alerts().map(|a| a.id).collect();
    assert_eq!(
        banner,
        [disabled.id],
        "shown until acknowledged, as resolved"
    );
    assert_eq!(
        disabled.kind.resolution(),
        "the stream is enabled again: events are delivered"
    );

    let raised = verification_asked_and_refused(&mut state, 30);
    assert_eq!(
        raised[0].folded_under, None,
        "the stop was over: a refusal now is no consequence of it"
    );
}

#[test]
fn troubles_of_another_stream_are_not_folded_under_this_one() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    let other = StreamKey("other".to_owned());
    let label = "other".to_owned();
    state.apply(
        Update::StreamAdded {
            key: other.clone(),
            label,
        },
        at(0),
    );
    state.apply(told(&key_pair, "disabled", 1, 1), at(1));
    let refused = Update::VerificationFailed {
        key: other,
        error: "HTTP 500".to_owned(),
        exchange: None,
        at: at(2),
        by_user: false,
    };
    let raised = state.apply(refused, at(2)).raised;
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].folded_under, None);
}

/// The transmitter down: the stream cannot be reached, and neither can its signing keys. One
/// cause, one incident: the keys fold under the connection failure, whichever came first.
#[test]
fn a_transmitter_down_is_one_incident_not_two() {
    for keys_first in [false, true] {
        let mut state = watched();
        let down = Update::Connection {
            key: key(),
            connection: Connection::Failed("reading the stream status failed: refused".to_owned()),
            exchange: None,
        };
        let keys = Update::KeysUnreachable {
            key: key(),
            error: "connection refused".to_owned(),
            at: at(5),
            exchange: None,
        };
        let (first, second) = if keys_first {
            (keys, down)
        } else {
            (down, keys)
        };
        state.apply(first, at(5));
        state.apply(second, at(5));
        let incidents: Vec<&Alert> = state.banner_alerts().collect();
        assert_eq!(
            incidents.len(),
            1,
            "keys first: {keys_first}: {:#?}",
            state.alerts
        );
        assert_eq!(incidents[0].kind, AlertKind::ConnectionFailed);
        let folded: Vec<AlertKind> = state
            .consequences_of(incidents[0].id)
            .map(|a| a.kind)
            .collect();
        assert_eq!(folded, [AlertKind::JwksUnreachable]);
    }
    // Keys unreachable while the stream is merely disabled are an incident of their own.
    let mut state = watched();
    state.apply(status_read(StreamStatus::Disabled, 3), at(3));
    let keys = Update::KeysUnreachable {
        key: key(),
        error: "503".to_owned(),
        at: at(5),
        exchange: None,
    };
    state.apply(keys, at(5));
    assert_eq!(state.banner_alerts().count(), 2, "{:#?}", state.alerts);
}

/// A create that replaced another receiver's stream is about that stream, not a stop of ours:
/// what happens to ours later is not folded under it.
#[test]
fn nothing_of_ours_folds_under_a_replaced_stream_of_theirs() {
    let mut state = watched();
    let replaced = Update::StreamsReplaced {
        key: key(),
        replaced: vec!["s-theirs (another receiver)".to_owned()],
        exchange: Some(7),
        at: at(1),
    };
    state.apply(replaced, at(1));
    state.apply(
        Update::VerificationRequested {
            key: key(),
            state: "s1".to_owned(),
            at: at(2),
        },
        at(2),
    );
    let raised = state.tick(at(20)).raised;
    assert_eq!(
        raised.iter().map(|a| a.kind).collect::<Vec<_>>(),
        [AlertKind::HeartbeatLost, AlertKind::Silent]
    );
    assert!(
        state.alerts.iter().all(|a| a.folded_under.is_none()),
        "{:#?}",
        state.alerts
    );
}

/// A new session of the stream (the profile started again) is watched afresh: a stop of the
/// session before, acknowledged and never resolved, is no cause of what fails now. The new
/// failure is an incident of its own, and the old incident stays acknowledged.
#[test]
fn a_failure_of_a_new_session_is_not_folded_under_the_last_sessions_stop() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(told(&key_pair, "disabled", 1, 1), at(1));
    let disabled = find(&state, AlertKind::StreamDisabled).id;
    state.acknowledge(disabled);
    // Started again: the same stream key, a new session.
    let label = "demo".to_owned();
    state.apply(Update::StreamAdded { key: key(), label }, at(96));
    state.apply(
        Update::Connection {
            key: key(),
            connection: Connection::Connected,
            exchange: None,
        },
        at(96),
    );
    let failed = Update::Connection {
        key: key(),
        connection: Connection::Failed("reading the stream status answered 422".to_owned()),
        exchange: Some(12),
    };
    let raised = state.apply(failed, at(97)).raised;
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!(raised[0].kind, AlertKind::ConnectionFailed);
    assert_eq!(raised[0].folded_under, None, "no cause of this session's");
    let banner: Vec<_> = state.banner_alerts().map(|a| a.kind).collect();
    assert_eq!(
        banner,
        [AlertKind::ConnectionFailed],
        "the new failure is told under its own headline; the acknowledged one stays away"
    );
    assert_eq!(state.consequences_of(disabled).count(), 0);
}

/// A consequence of a stop the user has acknowledged is part of that incident: it folds under
/// it acknowledged, and the acknowledged banner does not come back.
#[test]
fn a_consequence_of_an_acknowledged_stop_does_not_bring_its_banner_back() {
    let mut state = watched();
    let down = Update::Connection {
        key: key(),
        connection: Connection::Failed("reading the stream status failed: refused".to_owned()),
        exchange: None,
    };
    state.apply(down, at(5));
    let stop = find(&state, AlertKind::ConnectionFailed).id;
    state.acknowledge(stop);
    assert!(state.banner_alerts().next().is_none());
    let keys = Update::KeysUnreachable {
        key: key(),
        error: "connection refused".to_owned(),
        at: at(30),
        exchange: None,
    };
    state.apply(keys, at(30));
    let jwks = find(&state, AlertKind::JwksUnreachable);
    assert_eq!(jwks.folded_under, Some(stop), "one cause, one incident");
    assert!(jwks.acknowledged, "acknowledged with its cause");
    assert!(
        state.banner_alerts().next().is_none(),
        "the acknowledged incident stays out of the banner: {:#?}",
        state.alerts
    );
}

/// A stop that an acknowledged stop does not explain on its own (the transmitter cannot be
/// reached while the stream is disabled) is told: as an incident of its own, under its own
/// headline, never by bringing back the acknowledged one.
#[test]
fn a_new_stop_beside_an_acknowledged_one_is_its_own_incident() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(told(&key_pair, "disabled", 1, 1), at(1));
    let disabled = find(&state, AlertKind::StreamDisabled).id;
    state.acknowledge(disabled);
    let down = Update::Connection {
        key: key(),
        connection: Connection::Failed("reading the stream status failed: refused".to_owned()),
        exchange: None,
    };
    state.apply(down, at(40));
    let failed = find(&state, AlertKind::ConnectionFailed);
    assert_eq!(failed.folded_under, None);
    assert!(!failed.acknowledged);
    let banner: Vec<_> = state.banner_alerts().map(|a| a.kind).collect();
    assert_eq!(banner, [AlertKind::ConnectionFailed]);
    assert!(find(&state, AlertKind::StreamDisabled).acknowledged);
}

/// A paused stream delivers nothing: its coverage is lost as when it is disabled, so a pause
/// reaches the banner (and the window title) like the other stops.
#[test]
fn a_pause_is_told_in_the_banner_like_the_other_stops() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(told(&key_pair, "paused", 1, 1), at(1));
    let banner: Vec<_> = state.banner_alerts().map(|a| a.kind).collect();
    assert_eq!(banner, [AlertKind::StreamPaused]);
    assert_eq!(ssf_inspector::app::window_title(&state), "⚠ SSF Inspector");

    let mut state = watched();
    state.apply(status_read(StreamStatus::Paused, 2), at(2));
    let banner: Vec<_> = state.banner_alerts().map(|a| a.kind).collect();
    assert_eq!(banner, [AlertKind::StreamPausedSilently]);
}

/// A disable (or a delete) after a pause is the same stream not telling, now for good: one
/// incident, the later stop its head and the pause listed under it.
#[test]
fn a_disable_after_a_pause_takes_the_pause_under_it() {
    let key_pair = TestKey::es256("k1");
    let later = |state: &mut InspectorState, how: &str| match how {
        "told" => drop(state.apply(told(&key_pair, "disabled", 2, 20), at(20))),
        "read" => drop(state.apply(status_read(StreamStatus::Disabled, 20), at(20))),
        _ => {
            let gone = Update::StreamGone {
                key: key(),
                why: "a read answered 404".to_owned(),
                at: at(20),
                exchange: Some(3),
            };
            drop(state.apply(gone, at(20)));
        }
    };
    let cases = [
        ("told", AlertKind::StreamDisabled),
        ("read", AlertKind::StreamDisabledSilently),
        ("deleted", AlertKind::StreamDeleted),
    ];
    for (how, head) in cases {
        for acknowledged_first in [false, true] {
            let mut state = watched();
            state.apply(told(&key_pair, "paused", 1, 1), at(1));
            let pause = find(&state, AlertKind::StreamPaused).id;
            if acknowledged_first {
                state.acknowledge(pause);
            }
            later(&mut state, how);
            let incidents: Vec<_> = state.banner_alerts().map(|a| a.kind).collect();
            assert_eq!(incidents, [head], "{how}: {:#?}", state.alerts);
            let head_id = find(&state, head).id;
            let under: Vec<_> = state.consequences_of(head_id).map(|a| a.kind).collect();
            assert_eq!(under, [AlertKind::StreamPaused], "{how}");
            let active_heads = state
                .alerts
                .iter()
                .filter(|a| a.is_active() && a.folded_under.is_none())
                .count();
            assert_eq!(active_heads, 1, "{how}: one active incident");
        }
    }
}

/// The profile started again after a failed set-up, and the set-up fails again (a 422 at
/// Start): a new incident of the new session, told, not the earlier acknowledged one "seen
/// again" out of sight.
#[test]
fn a_set_up_failing_again_in_a_new_session_is_told_again() {
    let setup_fails = |state: &mut InspectorState, secs: i64, why: &str| {
        let label = "demo".to_owned();
        state.apply(Update::StreamAdded { key: key(), label }, at(secs));
        let failed = Update::Connection {
            key: key(),
            connection: Connection::Failed(why.to_owned()),
            exchange: Some(20 + u64::try_from(secs).unwrap_or_default()),
        };
        state.apply(failed, at(secs)).raised
    };
    let mut state = InspectorState::default();
    let first = setup_fails(&mut state, 1, "creating the stream answered 503");
    assert_eq!(first.len(), 1);
    state.acknowledge(first[0].id);
    let again = setup_fails(&mut state, 97, "creating the stream answered 422");
    assert_eq!(again.len(), 1, "{:#?}", state.alerts);
    assert_eq!(again[0].kind, AlertKind::SetupFailed);
    assert!(again[0].cause.contains("422"));
    let banner: Vec<_> = state.banner_alerts().map(|a| a.id).collect();
    assert_eq!(banner, [again[0].id]);
}

/// A profile stopped while its stream is disabled: the stop is not over (nobody saw it end) and
/// not in force for anyone to watch either. It ends "no longer watched", stays in the banner until
/// acknowledged, and the record is told.
#[test]
fn a_stop_in_force_when_the_session_ends_is_no_longer_watched_not_resolved() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(told(&key_pair, "disabled", 1, 1), at(1));
    let disabled = find(&state, AlertKind::StreamDisabled).id;
    let ended = state.apply(Update::SessionEnded { key: key() }, at(30));
    let alert = find(&state, AlertKind::StreamDisabled);
    assert_eq!(alert.unwatched_at, Some(at(30)));
    assert_eq!(alert.resolved_at, None, "nobody saw it end");
    assert!(!alert.is_active());
    assert!(
        ended.alerts.iter().any(|a| a.id == disabled),
        "the record is told: {:?}",
        ended.alerts
    );
    let banner: Vec<_> = state.banner_alerts().map(|a| a.id).collect();
    assert_eq!(banner, [disabled], "still waits to be acknowledged");
    // Started again and disabled again: a new alert, not the old one seen again.
    let label = "demo".to_owned();
    state.apply(Update::StreamAdded { key: key(), label }, at(40));
    let raised = state
        .apply(told(&key_pair, "disabled", 2, 41), at(41))
        .raised;
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_ne!(raised[0].id, disabled);
    assert!(raised[0].is_active());
}

/// A session that ends leaves no alert of another stream behind, and ends only active ones.
#[test]
fn the_end_of_a_session_leaves_other_streams_and_resolved_alerts_alone() {
    let key_pair = TestKey::es256("k1");
    let mut state = watched();
    state.apply(told(&key_pair, "disabled", 1, 1), at(1));
    state.apply(told(&key_pair, "enabled", 2, 5), at(5));
    let other = StreamKey("other".to_owned());
    let label = "other".to_owned();
    state.apply(
        Update::StreamAdded {
            key: other.clone(),
            label,
        },
        at(6),
    );
    let failed = Update::Connection {
        key: other.clone(),
        connection: Connection::Failed("connection refused".to_owned()),
        exchange: None,
    };
    state.apply(failed, at(7));
    state.apply(Update::SessionEnded { key: key() }, at(30));
    let disabled = find(&state, AlertKind::StreamDisabled);
    assert_eq!(disabled.resolved_at, Some(at(5)));
    assert_eq!(
        disabled.unwatched_at, None,
        "already over when the session ended"
    );
    let failed = find(&state, AlertKind::SetupFailed);
    assert!(failed.is_active(), "another stream's session goes on");
}
