//! The stream card never contradicts what is known (issue 23, item 3): a stream the transmitter
//! no longer has is not shown "enabled" and "listening", and a stream that is not being
//! received (gone, stopped, deleted by the receiver) has no red silence count-up and no
//! "watching for".

use crate::fixtures;
use crate::kit;

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use fixtures::{NOW, state_with};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::stream::{Connection, Watch};
use ssf_inspector::core::update::Update;

fn key() -> StreamKey {
    StreamKey("demo".to_owned())
}

/// The fixture stream (connected, enabled, watched two minutes) with a 12 s silence limit.
fn watched() -> ssf_inspector::core::state::InspectorState {
    let mut state = state_with(Vec::new());
    let watch = Watch {
        silence_after_millis: Some(12_000),
        verification_timeout_millis: 10_000,
    };
    state.apply(Update::Watch { key: key(), watch }, NOW);
    state
}

/// The card of the watched stream after `update`, drawn once.
fn card_after(update: Update) -> egui_kittest::Harness<'static, kit::TestUi> {
    let mut state = watched();
    state.apply(update, NOW);
    let mut harness = kit::harness(state, NOW);
    harness.run();
    harness
}

/// Nothing on the card counts silence or waits for a first SET.
fn counts_nothing(harness: &egui_kittest::Harness<'static, kit::TestUi>) {
    assert!(harness.query_by_label_contains("silent for").is_none());
    assert!(harness.query_by_label_contains("watching for").is_none());
}

#[test]
fn a_stream_gone_at_the_transmitter_is_shown_gone_not_enabled_and_listening() {
    let harness = card_after(Update::StreamGone {
        key: key(),
        why: "reading the stream configuration answered HTTP 404".to_owned(),
        at: NOW,
        exchange: Some(3),
    });
    harness.get_by_label_contains("gone at the transmitter since");
    harness.get_by_label("listening, but the transmitter no longer has the stream");
    harness.get_by_label("not counted: the stream is not being received");
    counts_nothing(&harness);
    assert!(harness.query_by_label_contains("enabled since").is_none());
}

#[test]
fn a_stopped_stream_counts_no_silence() {
    let harness = card_after(Update::Connection {
        key: key(),
        connection: Connection::Stopped,
        exchange: None,
    });
    harness.get_by_label("not counted: the stream is not being received");
    counts_nothing(&harness);
}

#[test]
fn a_stream_the_receiver_deleted_counts_no_silence() {
    let harness = card_after(Update::DeletedByReceiver {
        key: key(),
        at: NOW,
    });
    harness.get_by_label("deleted by this receiver");
    counts_nothing(&harness);
}

#[test]
fn a_declined_stream_is_not_watched_for_its_first_set() {
    let harness = card_after(Update::Connection {
        key: key(),
        connection: Connection::Declined("the stream is another receiver's".to_owned()),
        exchange: None,
    });
    counts_nothing(&harness);
}

#[test]
fn after_its_own_delete_the_stream_offers_only_stop() {
    let mut harness = kit::harness(watched(), NOW);
    harness.run();
    assert!(!harness.get_by_label("Pause").accesskit_node().is_disabled());
    let mut state = watched();
    state.apply(
        Update::DeletedByReceiver {
            key: key(),
            at: NOW,
        },
        NOW,
    );
    let mut harness = kit::harness(state, NOW);
    harness.run();
    for button in [
        "Pause",
        "Enable",
        "Disable",
        "Verify",
        "Read config",
        "Read status",
        "More…",
    ] {
        assert!(
            harness.get_by_label(button).accesskit_node().is_disabled(),
            "{button} is offered on a deleted stream"
        );
    }
    assert!(!harness.get_by_label("Stop").accesskit_node().is_disabled());
}

/// *Reset demo* stops every stream: offered under the demo only, and refused (saying why) while
/// a stream the user started runs beside it.
#[test]
fn reset_demo_is_offered_under_the_demo_and_not_while_another_stream_runs() {
    use ssf_inspector::ui::view::DemoReset;
    let mut state = watched();
    let other = StreamKey("acme".to_owned());
    let label = "Acme IdP".to_owned();
    state.apply(
        Update::StreamAdded {
            key: other.clone(),
            label,
        },
        NOW,
    );
    let connected = Update::Connection {
        key: other.clone(),
        connection: Connection::Connected,
        exchange: None,
    };
    state.apply(connected, NOW);
    let mut harness = kit::harness(state, NOW);
    harness.run();
    assert!(
        harness.query_by_label("Reset demo").is_none(),
        "not offered on a runtime the window did not start"
    );
    harness.state_mut().view.demo_reset = DemoReset::Ready;
    harness.run();
    let buttons: Vec<_> = harness.query_all_by_label("Reset demo").collect();
    assert_eq!(buttons.len(), 1, "under the demo only");
    assert!(
        buttons[0].accesskit_node().is_disabled(),
        "Acme IdP runs: a reset would stop it"
    );
    drop(buttons);
    harness
        .state_mut()
        .state
        .apply(Update::SessionEnded { key: other }, NOW);
    harness.run();
    harness.get_by_label("Reset demo").click();
    harness.run();
    assert!(
        harness.state().commands.is_empty(),
        "the app starts its runtime again; no command goes to the old one"
    );
}
