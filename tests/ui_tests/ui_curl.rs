//! *Copy as curl* on an exchange (egui_kittest, no GPU): the command reaches the clipboard with
//! the credential as a placeholder, never its value.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, state_with};
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::update::Update;
use ssf_inspector::ui::view::{CentralView, ExchangeView};

fn status_change() -> Exchange {
    Exchange {
        id: 7,
        at: NOW,
        stream: Some(StreamKey("demo".to_owned())),
        method: "POST".to_owned(),
        url: "http://127.0.0.1:9/ssf/status".to_owned(),
        status: Some(200),
        request_headers: vec![
            (
                "authorization".to_owned(),
                "Bearer ui-curl-t0ken".to_owned(),
            ),
            ("content-type".to_owned(), "application/json".to_owned()),
        ],
        request_body: r#"{"stream_id":"s1","status":"paused"}"#.to_owned(),
        response_headers: Vec::new(),
        response_body: String::new(),
        duration_millis: 3,
    }
}

fn copied(output: &egui::FullOutput) -> Vec<String> {
    output
        .platform_output
        .commands
        .iter()
        .filter_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            egui::OutputCommand::CopyImage(_)
            | egui::OutputCommand::OpenUrl(_)
            | egui::OutputCommand::TextSelectionSettled(_) => None,
        })
        .collect()
}

#[test]
fn copy_as_curl_copies_the_request_with_a_placeholder_for_the_token() {
    let exchange = Arc::new(status_change());
    let mut state = state_with(Vec::new());
    state.apply(Update::Exchange(Arc::clone(&exchange)), NOW);
    let mut harness = kit::harness(state, NOW);
    {
        let view = &mut harness.state_mut().view;
        view.central = CentralView::Exchanges;
        view.selected_exchange = Some(ExchangeView::new(
            exchange,
            &state_with(Vec::new()).timeline,
        ));
    }
    harness.run();
    harness.get_by_label("Copy as curl").click();
    harness.step();
    let copied = copied(harness.output());
    assert_eq!(copied.len(), 1, "{copied:?}");
    let text = &copied[0];
    assert!(
        text.starts_with("curl -sS -i -X POST 'http://127.0.0.1:9/ssf/status'"),
        "{text}"
    );
    assert!(
        text.contains("-H 'authorization: '\"$SSF_AUTHORIZATION\""),
        "{text}"
    );
    assert!(
        text.contains(r#"--data-raw '{"stream_id":"s1","status":"paused"}'"#),
        "{text}"
    );
    assert!(!text.contains("ui-curl-t0ken"), "{text}");
}
