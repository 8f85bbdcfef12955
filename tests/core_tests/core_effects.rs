//! The reducer's effects (issue 22): every stream status change an update makes is one of its
//! effects, with its own time, source and evidence, however many land in one frame of the
//! window (which hands a frame's effects to the record at once); alerts raised or changed
//! likewise.

use ssf_inspector::core::effects::Effects;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{StatusSource, StreamStatus};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

const T0: UnixMillis = UnixMillis(1_795_424_340_000);

fn at(millis: i64) -> UnixMillis {
    UnixMillis(T0.0 + millis)
}

fn status(status: StreamStatus, millis: i64) -> Update {
    Update::Status {
        key: StreamKey("s".to_owned()),
        status,
        reason: None,
        source: StatusSource::StatusRead,
        at: at(millis),
        exchange: None,
    }
}

fn stream() -> InspectorState {
    let mut state = InspectorState::default();
    state.apply(
        Update::StreamAdded {
            key: StreamKey("s".to_owned()),
            label: "s".to_owned(),
        },
        T0,
    );
    state
}

#[test]
fn two_changes_in_one_frame_are_both_effects_with_their_own_times() {
    let mut state = stream();
    let first = state.apply(status(StreamStatus::Enabled, 0), at(0));
    assert_eq!(first.statuses.len(), 1, "{first:?}");
    // One frame: disabled, then enabled again; the window gathers the frame's effects.
    let mut frame = Effects::default();
    frame.extend(state.apply(status(StreamStatus::Disabled, 100), at(100)));
    frame.extend(state.apply(status(StreamStatus::Enabled, 200), at(200)));
    let changes = frame.statuses;
    let seen: Vec<(StreamStatus, UnixMillis)> = changes.iter().map(|c| (c.status, c.at)).collect();
    assert_eq!(
        seen,
        [
            (StreamStatus::Disabled, at(100)),
            (StreamStatus::Enabled, at(200))
        ],
        "both, in order"
    );
    assert!(changes.iter().all(|c| c.source == "status_read"));
    // The same status read again is no change.
    let again = state.apply(status(StreamStatus::Enabled, 300), at(300));
    assert!(again.statuses.is_empty());
}

#[test]
fn a_status_change_carries_the_exchange_that_told_it() {
    let mut state = stream();
    let _ = state.apply(status(StreamStatus::Enabled, 0), at(0));
    let read = Update::Status {
        key: StreamKey("s".to_owned()),
        status: StreamStatus::Disabled,
        reason: Some("admin".to_owned()),
        source: StatusSource::StatusRead,
        at: at(50),
        exchange: Some(41),
    };
    let effects = state.apply(read, at(50));
    assert_eq!(effects.statuses.len(), 1);
    assert_eq!(effects.statuses[0].exchange, Some(41));
    assert_eq!(effects.statuses[0].reason.as_deref(), Some("admin"));
    // The stop it found is an alert, raised and written: both are effects of the same call.
    assert_eq!(effects.raised.len(), 1, "{:?}", effects.raised);
    assert_eq!(effects.alerts.len(), 1);
    assert_eq!(effects.alerts[0].id, effects.raised[0].id);
}
