//! Filters that keep evidence in view (egui_kittest): each central view has its own filter, a
//! jump to evidence a filter hides sets the filter aside (and says so, with *Restore filter*),
//! the record's search of the claims is told in the table with its progress, and nothing in
//! the toolbar or the table's top moves as the filter is typed, fails or searches.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use fixtures::{NOW, TestKey, inspect, session_revoked, state_with, stream_updated};
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::set_summary::SetSummary;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{StatusSource, StreamStatus};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::ui::ViewState;
use ssf_inspector::ui::view::CentralView;

fn exchange(id: u64, method: &str, url: &str) -> Exchange {
    Exchange {
        id,
        at: UnixMillis(NOW.0 - 5000),
        stream: Some(StreamKey("demo".to_owned())),
        method: method.to_owned(),
        url: url.to_owned(),
        status: Some(200),
        request_headers: Vec::new(),
        request_body: String::new(),
        response_headers: Vec::new(),
        response_body: String::new(),
        duration_millis: 4,
    }
}

const STATUS_URL: &str = "http://127.0.0.1:9/ssf/status?stream_id=s1";

/// A SET, a poll (#5), and a status read (#9) that found the stream disabled: the banner's
/// *Show exchange* leads to #9.
fn disabled_by_a_status_read() -> InspectorState {
    let key = TestKey::es256("k1");
    let record = inspect(
        &key.sign(&session_revoked("jti-1")),
        &key.jwks(),
        UnixMillis(NOW.0 - 4000),
    );
    let mut state = state_with(vec![record]);
    let poll = exchange(5, "POST", "http://127.0.0.1:9/ssf/poll");
    state.apply(Update::Exchange(Arc::new(poll)), NOW);
    let status = |status, exchange| Update::Status {
        key: StreamKey("demo".to_owned()),
        status,
        reason: None,
        source: StatusSource::StatusRead,
        at: NOW,
        exchange,
    };
    state.apply(status(StreamStatus::Enabled, None), NOW);
    state.apply(
        Update::Exchange(Arc::new(exchange(9, "GET", STATUS_URL))),
        NOW,
    );
    let raised = state
        .apply(status(StreamStatus::Disabled, Some(9)), NOW)
        .raised;
    assert_eq!(raised.len(), 1);
    state
}

#[test]
fn each_view_keeps_its_own_filter() {
    let mut harness = kit::harness(disabled_by_a_status_read(), NOW);
    harness.run();
    kit::type_filter(&mut harness, "no such text");
    harness.get_by_label("0 of 1 SETs");
    harness.get_by_label("Exchanges").click();
    harness.run();
    assert_eq!(
        kit::filter_box(&harness),
        "",
        "the exchanges' own filter, empty"
    );
    harness.get_by_label("2 exchanges");
    kit::type_filter(&mut harness, "poll");
    harness.get_by_label("1 of 2 exchanges");
    harness.get_by_label("Timeline").click();
    harness.run();
    assert_eq!(kit::filter_box(&harness), "no such text");
    harness.get_by_label("0 of 1 SETs");
    let view = &harness.state().view;
    assert_eq!(
        (view.filter.as_str(), view.exchange_filter.as_str()),
        ("no such text", "poll")
    );

    // A view remembered before the exchanges had a filter of their own still loads, its
    // filter the timeline's.
    let old: ViewState =
        serde_json::from_str(r#"{"filter":"type:session-revoked","follow":false}"#).unwrap();
    assert_eq!(old.filter, "type:session-revoked");
    assert_eq!(old.exchange_filter, "");
    assert!(!old.follow);
}

#[test]
fn a_jump_to_an_exchange_the_filter_hides_sets_the_filter_aside_until_restored() {
    let mut harness = kit::harness(disabled_by_a_status_read(), NOW);
    harness.run();
    harness.get_by_label("Exchanges").click();
    harness.run();
    kit::type_filter(&mut harness, "poll");
    harness.get_by_label("1 of 2 exchanges");
    assert!(harness.query_by_label(STATUS_URL).is_none());

    harness.get_by_label("Show exchange").click();
    harness.run();
    let view = &harness.state().view;
    assert_eq!(view.central, CentralView::Exchanges);
    assert_eq!(
        view.selected_exchange.as_ref().map(|v| v.exchange.id),
        Some(9)
    );
    // Its row is in the table (and its URL in the details): not "1 of 2" beside it.
    assert_eq!(harness.query_all_by_label(STATUS_URL).count(), 2);
    harness.get_by_label("2 exchanges");
    assert_eq!(kit::filter_box(&harness), "");
    harness.get_by_label("Filter set aside to show exchange #9 —");

    harness.get_by_label("Restore filter").click();
    harness.run();
    assert_eq!(kit::filter_box(&harness), "poll");
    harness.get_by_label("1 of 2 exchanges");
    assert!(
        harness
            .query_by_label_contains("Filter set aside")
            .is_none()
    );
}

#[test]
fn a_jump_to_a_set_the_filter_hides_sets_the_filter_aside_until_restored() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let mut disable = inspect(
        &key.sign(&stream_updated("jti-off", "disabled", "maintenance")),
        &keys,
        UnixMillis(NOW.0 - 4000),
    );
    disable.seq = 2;
    let state = state_with(vec![
        inspect(
            &key.sign(&session_revoked("jti-1")),
            &keys,
            UnixMillis(NOW.0 - 9000),
        ),
        disable,
    ]);
    let mut harness = kit::harness(state, NOW);
    harness.run();
    kit::type_filter(&mut harness, "type:session-revoked");
    harness.get_by_label("1 of 2 SETs");

    harness.get_by_label("Show evidence").click();
    harness.run();
    assert_eq!(harness.state().view.selected, Some(2));
    harness.get_by_label("2 SETs");
    assert!(harness.state().state.timeline.visible_position(2).is_some());
    harness.get_by_label("Filter set aside to show SET #2 —");
    assert_eq!(kit::filter_box(&harness), "");

    // A filter typed replaces the one set aside: the note goes.
    kit::type_filter(&mut harness, "maint");
    assert!(
        harness
            .query_by_label_contains("Filter set aside")
            .is_none()
    );
    harness.state_mut().view.filter.clear();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Filter set aside")
            .is_none(),
        "emptied again, the box does not bring back an old note"
    );

    // Set aside again, and put back with one click.
    kit::type_filter(&mut harness, "type:session-revoked");
    harness.get_by_label("Show evidence").click();
    harness.run();
    harness.get_by_label("Restore filter").click();
    harness.run();
    assert_eq!(harness.state().view.filter, "type:session-revoked");
    harness.get_by_label("1 of 2 SETs");
}

/// `count` SETs read back from the record (compact: free text over their claims is asked of
/// the record).
fn reopened(count: u64) -> InspectorState {
    let key = TestKey::es256("k1");
    let mut state = InspectorState::default();
    state.apply(
        Update::Reloading {
            total: count as usize,
        },
        NOW,
    );
    let summaries = (1..=count)
        .map(|n| {
            let mut record = inspect(
                &key.sign(&session_revoked(&format!("jti-{n}"))),
                &key.jwks(),
                UnixMillis(NOW.0 - 9000 + n as i64),
            );
            record.seq = n;
            SetSummary::of(&record)
        })
        .collect();
    state.apply(Update::Reloaded(summaries), NOW);
    state
}

/// The record answers for the first `count` SETs of the pending search; the first of them
/// matches.
fn answer(harness: &mut Harness<'_, kit::TestUi>, count: usize) {
    let timeline = &mut harness.state_mut().state.timeline;
    let job = timeline
        .take_unresolved()
        .expect("a search of the claims is pending");
    let answers: Vec<(u64, bool)> = job
        .seqs
        .iter()
        .take(count)
        .enumerate()
        .map(|(i, seq)| (*seq, i == 0))
        .collect();
    timeline.resolve(job.generation, &answers);
}

#[test]
fn a_free_text_search_of_the_claims_is_told_in_the_table_with_its_progress() {
    let mut harness = kit::harness(reopened(4), NOW);
    harness.state_mut().view.filter = "reykjavik".to_owned();
    // The filter is applied after the frame that set it, and drawn by the next.
    harness.run_steps(2);
    // No row matches yet: the table says what is happening, not a bare "0 of 4".
    harness.get_by_label(
        "Searching the claims of 4 SETs for \"reykjavik\"… 0% — rows appear as they match",
    );
    assert!(
        harness
            .query_by_label("No SET matches the filter")
            .is_none()
    );
    assert_eq!(
        harness
            .query_all(egui_kittest::kittest::by().role(Role::ProgressIndicator))
            .count(),
        1
    );

    // Half answered, one match: its row is shown at once, the search goes on above the table.
    answer(&mut harness, 2);
    harness.run();
    harness.get_by_label("1 of 4 SETs");
    harness.get_by_label("Session revoked");
    harness.get_by_label(
        "Searching the claims of 4 SETs for \"reykjavik\"… 50% — rows appear as they match",
    );
}

/// Where the toolbar's controls and the table's top are, in each state of the filter.
fn positions(harness: &Harness<'_, kit::TestUi>) -> Vec<(String, egui::Rect)> {
    let mut found: Vec<(String, egui::Rect)> = [
        "Timeline",
        "Exchanges",
        "✖",
        "Follow live",
        "Export…",
        "Notify",
        "View",
        "?",
        "Received",
    ]
    .iter()
    .map(|label| (label.to_string(), harness.get_by_label(label).rect()))
    .collect();
    let filter = harness.get_by_role_and_label(Role::TextInput, "Filter");
    found.push(("the filter box".to_owned(), filter.rect()));
    found
}

#[test]
fn nothing_moves_as_the_filter_is_typed_fails_or_searches() {
    // Four SETs read back from the record (compact) and two received since (whole).
    let mut state = reopened(4);
    let key = TestKey::es256("k1");
    for n in 5..=6 {
        let mut record = inspect(
            &key.sign(&session_revoked(&format!("jti-{n}"))),
            &key.jwks(),
            UnixMillis(NOW.0 - 1000 + n as i64),
        );
        record.seq = n;
        state.apply(Update::Set(Arc::new(record)), NOW);
    }
    let mut harness = kit::harness(state, NOW);
    harness.run();
    let empty = positions(&harness);
    let mut states = Vec::new();
    // A field half typed, a key at a time: some keys make a mistake, some a search.
    for key in ["t", "y", "p", "e", ":"] {
        kit::type_filter(&mut harness, key);
        states.push((harness.state().view.filter.clone(), positions(&harness)));
    }
    assert_eq!(harness.state().view.filter, "type:");
    harness.get_by_label_contains("⚠ Filter:");
    harness.state_mut().view.filter.clear();
    kit::type_filter(&mut harness, "tpye:session-revoked");
    harness.get_by_label_contains("⚠ Filter:");
    states.push(("a mistake".to_owned(), positions(&harness)));
    // A free-text search of the claims, one row found so far.
    harness.state_mut().view.filter = "reykjavik".to_owned();
    harness.run_steps(2);
    answer(&mut harness, 2);
    harness.run();
    harness.get_by_label_contains("Searching the claims");
    states.push(("searching".to_owned(), positions(&harness)));
    // Cleared: the ✖ stays, disabled.
    harness.get_by_label("✖").click();
    harness.run();
    assert!(harness.get_by_label("✖").accesskit_node().is_disabled());
    states.push(("cleared".to_owned(), positions(&harness)));
    for (text, moved) in states {
        assert_eq!(moved, empty, "with the filter at {text:?}");
    }
}
