//! Evidence links in the window (egui_kittest, no GPU): a SET names the exchange that carried
//! it, the exchange lists the SETs it carried, an alert jumps to the exchange that proves it, and
//! receiver start/stop markers show on the timeline as gaps in coverage.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, state_with};
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::stream::{StatusSource, StreamStatus};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::ui::view::CentralView;

const POLL_EXCHANGE: u64 = 5;

fn poll_answer() -> Exchange {
    Exchange {
        id: POLL_EXCHANGE,
        at: UnixMillis(NOW.0 - 5000),
        stream: Some(StreamKey("demo".to_owned())),
        method: "POST".to_owned(),
        url: "http://127.0.0.1:9/ssf/poll".to_owned(),
        status: Some(200),
        request_headers: Vec::new(),
        request_body: r#"{"maxEvents":10}"#.to_owned(),
        response_headers: Vec::new(),
        response_body: r#"{"sets":{}}"#.to_owned(),
        duration_millis: 4,
    }
}

fn linked_state() -> ssf_inspector::core::state::InspectorState {
    let key = TestKey::es256("k1");
    let mut record = fixtures::inspect(
        &key.sign(&fixtures::session_revoked("jti-1")),
        &key.jwks(),
        UnixMillis(NOW.0 - 4000),
    );
    record.seq = 1;
    record.exchange = Some(POLL_EXCHANGE);
    let mut state = state_with(Vec::new());
    state.apply(Update::Exchange(Arc::new(poll_answer())), NOW);
    state.apply(Update::Set(Arc::new(record)), NOW);
    state
}

/// The exchanges view is shown, with this exchange selected.
fn shown_exchange(harness: &egui_kittest::Harness<'_, kit::TestUi>) -> Option<u64> {
    let view = &harness.state().view;
    assert_eq!(view.central, CentralView::Exchanges);
    view.selected_exchange.as_ref().map(|v| v.exchange.id)
}

#[test]
fn a_set_and_the_exchange_that_carried_it_link_to_each_other() {
    let mut harness = kit::harness(linked_state(), NOW);
    harness.run();
    harness.get_by_label("Session revoked").click();
    harness.run();
    kit::click(&mut harness, "exchange #5");
    assert_eq!(shown_exchange(&harness), Some(POLL_EXCHANGE));
    assert_eq!(
        harness
            .state()
            .view
            .selected_exchange
            .as_ref()
            .map(|v| v.sets.clone()),
        Some(vec![1])
    );
    kit::click(&mut harness, "#1");
    assert_eq!(harness.state().view.central, CentralView::Timeline);
    assert_eq!(harness.state().view.selected, Some(1));
}

#[test]
fn an_alert_found_by_a_status_read_jumps_to_that_read() {
    let mut state = linked_state();
    state.apply(
        Update::Status {
            key: StreamKey("demo".to_owned()),
            status: StreamStatus::Enabled,
            reason: None,
            source: StatusSource::StatusRead,
            at: NOW,
            exchange: None,
        },
        NOW,
    );
    let mut read = poll_answer();
    read.id = 9;
    read.method = "GET".to_owned();
    read.url = "http://127.0.0.1:9/ssf/status?stream_id=s1".to_owned();
    state.apply(Update::Exchange(Arc::new(read)), NOW);
    let raised = state
        .apply(
            Update::Status {
                key: StreamKey("demo".to_owned()),
                status: StreamStatus::Disabled,
                reason: None,
                source: StatusSource::StatusRead,
                at: NOW,
                exchange: Some(9),
            },
            NOW,
        )
        .raised;
    assert_eq!(raised.len(), 1);
    let mut harness = kit::harness(state, NOW);
    harness.run();
    kit::click(&mut harness, "Exchange #9");
    assert_eq!(shown_exchange(&harness), Some(9));
    // The URL shows in the table row and in the details panel.
    assert_eq!(
        harness
            .query_all_by_label("http://127.0.0.1:9/ssf/status?stream_id=s1")
            .count(),
        2
    );
}

#[test]
fn receiver_markers_show_the_gap_and_survive_the_filter() {
    let mut state = linked_state();
    let marker = |kind, secs: i64| {
        Update::Marker(Marker {
            stream: StreamKey("demo".to_owned()),
            kind,
            at: UnixMillis(NOW.0 - secs * 1000),
        })
    };
    state.apply(marker(MarkerKind::Lost, 3), NOW);
    state.apply(marker(MarkerKind::Started, 1), NOW);
    let mut harness = kit::harness(state, NOW);
    harness.run();
    harness.get_by_label("Receiver lost (quit or crash)");
    harness.get_by_label("Receiver started");
    harness.state_mut().view.filter = "no such event".to_owned();
    harness
        .state_mut()
        .state
        .timeline
        .set_filter("no such event", UnixMillis::now());
    harness.run();
    // No SET matches, so the table gives way to the "no match" line.
    harness.get_by_label("No SET matches the filter");
    harness.state_mut().view.filter = "session".to_owned();
    harness
        .state_mut()
        .state
        .timeline
        .set_filter("session", UnixMillis::now());
    harness.run();
    harness.get_by_label("Session revoked");
    harness.get_by_label("Receiver lost (quit or crash)");
}

#[test]
fn the_alert_list_filters_by_severity_and_text() {
    let key = TestKey::es256("k1");
    let mut state = state_with(Vec::new());
    let refused = Update::PushRefused {
        key: StreamKey("demo".to_owned()),
        at: NOW,
        exchange: 3,
    };
    state.apply(refused, NOW);
    let record = fixtures::inspect(
        &key.sign(&fixtures::stream_updated("d", "disabled", "maintenance")),
        &key.jwks(),
        NOW,
    );
    state.apply(Update::Set(Arc::new(record)), NOW);
    // The banner is acknowledged so only the list shows the titles.
    let ids: Vec<u64> = state.alerts.iter().map(|a| a.id).collect();
    for id in ids {
        state.acknowledge(id);
    }
    let mut harness = kit::harness(state, NOW);
    harness.run();
    harness.get_by_label("Push with a wrong authorization");
    harness.get_by_label("Critical only").click();
    harness.run();
    assert!(
        harness
            .query_by_label("Push with a wrong authorization")
            .is_none()
    );
    harness.get_by_label("Stream disabled by transmitter");
    harness.get_by_label("Critical only").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Find")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Find")
        .type_text("authorization");
    harness.run();
    harness.get_by_label("Push with a wrong authorization");
    assert!(
        harness
            .query_by_label("Stream disabled by transmitter")
            .is_none()
    );
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Find")
        .type_text(" nothing like it");
    harness.run();
    harness.get_by_label("No alert matches");
}

#[test]
fn an_exchange_older_than_the_window_keeps_is_said_to_be_in_the_record() {
    let mut state = linked_state();
    let mut view = ssf_inspector::ui::ViewState::default();
    let action = ssf_inspector::ui::Action::ShowExchange(999);
    assert!(
        ssf_inspector::app::apply_action(&action, &mut state, &mut view)
            .command
            .is_none()
    );
    assert_eq!(view.central, CentralView::Timeline, "the view stays");
    let notice = state.notice.map(|n| n.text).unwrap_or_default();
    assert!(notice.contains("Exchange #999 is older than"), "{notice}");
    assert!(notice.contains("record.sqlite3"), "{notice}");
}
