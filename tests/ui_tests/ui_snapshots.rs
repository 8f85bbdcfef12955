//! A few snapshot images of the main screens, rendered in software (lavapipe) so that every
//! machine draws the same pixels. `UPDATE_SNAPSHOTS=1` accepts new images.

use crate::fixtures;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, inspect, session_revoked, state_with, stream_updated};
use ssf_inspector::app::apply_action;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::ui::{ViewState, root_ui};

fn window(state: InspectorState) -> Harness<'static, (InspectorState, ViewState)> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .wgpu()
        .build_ui_state(
            |ui, (state, view): &mut (InspectorState, ViewState)| {
                ui.ctx().set_theme(egui::Theme::Dark);
                for action in root_ui(ui, state, &Default::default(), view, NOW) {
                    apply_action(&action, state, view);
                }
            },
            (state, ViewState::default()),
        )
}

#[test]
fn main_window_with_the_stop_banner_and_details() {
    let key = TestKey::es256("demo-es256-k1");
    let keys = key.jwks();
    let mut records = Vec::new();
    for i in 0..6 {
        let at = UnixMillis(NOW.0 - 30_000 + i * 2_000);
        records.push(inspect(
            &key.sign(&session_revoked(&format!("jti-{i:02}"))),
            &keys,
            at,
        ));
    }
    let disabled = stream_updated(
        "jti-99",
        "disabled",
        "Disabled by administrator mallory@example.com",
    );
    records.push(inspect(
        &key.sign(&disabled),
        &keys,
        UnixMillis(NOW.0 - 5_000),
    ));
    let mut state = state_with(records);
    state.apply(
        ssf_inspector::core::update::Update::Profiles(Vec::new()),
        NOW,
    );
    let mut harness = window(state);
    harness.run();
    harness.get_by_label("Show evidence").click();
    harness.run();
    harness.snapshot("main_window_stop_banner");
}
