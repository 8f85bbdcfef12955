//! The record's stream status history (issue 22, 1): every status change the reducer takes is
//! written once, with its own time and source, however many land between two reads of the
//! ledger (the window reads it once a frame).

use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::status_ledger::StatusLedger;
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
fn two_changes_between_two_reads_are_both_written_with_their_own_times() {
    let mut state = stream();
    let mut ledger = StatusLedger::default();
    state.apply(status(StreamStatus::Enabled, 0), at(0));
    let first = ledger.changes(&state.streams);
    assert_eq!(first.len(), 1, "{first:?}");
    // One frame: disabled, then enabled again.
    state.apply(status(StreamStatus::Disabled, 100), at(100));
    state.apply(status(StreamStatus::Enabled, 200), at(200));
    let changes = ledger.changes(&state.streams);
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
    assert!(ledger.changes(&state.streams).is_empty(), "each once");
    // The same status read again is no change.
    state.apply(status(StreamStatus::Enabled, 300), at(300));
    assert!(ledger.changes(&state.streams).is_empty());
}
