//! Filters that keep evidence in view (egui_kittest): the record's search of the claims is told
//! in the table with its progress, and nothing in the toolbar or the table's top moves as the
//! filter is typed, fails or searches.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use fixtures::{NOW, TestKey, inspect, session_revoked};
use ssf_inspector::core::set_summary::SetSummary;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

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
