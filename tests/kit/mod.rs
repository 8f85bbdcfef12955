//! The window under egui_kittest with the real dispatcher: a test drives `root_ui` as a person
//! would, and the runtime commands the actions produce are collected (in their redacting Debug
//! form) instead of being sent.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the kit"
)]

pub mod app;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use ssf_inspector::app::{apply_action, filter_timeline};
use ssf_inspector::core::opened::OpenedFiles;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::ui::input_order::hold_back_after_typing;
use ssf_inspector::ui::{ViewState, root_ui};

/// The state a test window draws, and what it asked of the runtime.
pub struct TestUi {
    /// Domain state.
    pub state: InspectorState,
    /// View state.
    pub view: ViewState,
    /// Files opened beside the live streams.
    pub opened: OpenedFiles,
    /// Runtime commands, oldest first.
    pub commands: Vec<String>,
    /// Every action the window returned (Debug form), oldest first: those the app itself runs
    /// (opening and closing files) give no command here.
    pub actions: Vec<String>,
}

/// A 1280×900 window over `state`, drawn as at `now`.
pub fn harness(state: InspectorState, now: UnixMillis) -> Harness<'static, TestUi> {
    let test_ui = TestUi {
        state,
        view: ViewState::default(),
        opened: OpenedFiles::default(),
        commands: Vec::new(),
        actions: Vec::new(),
    };
    Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(
            move |ui, s: &mut TestUi| {
                let actions = root_ui(ui, &s.state, &s.opened, &mut s.view, now);
                for action in &actions {
                    s.actions.push(format!("{action:?}"));
                    if let Some(command) = apply_action(action, &mut s.state, &mut s.view).command {
                        s.commands.push(format!("{command:?}"));
                    }
                }
                filter_timeline(&mut s.state, &s.view, now);
            },
            test_ui,
        )
}

/// Click the widget labelled `label`, let the window settle, and take the commands it caused.
pub fn click(harness: &mut Harness<'_, TestUi>, label: &str) -> Vec<String> {
    harness.get_by_label(label).click();
    harness.run();
    std::mem::take(&mut harness.state_mut().commands)
}

/// What the filter box holds.
pub fn filter_box<S>(harness: &Harness<'_, S>) -> String {
    use egui_kittest::kittest::NodeT as _;
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter")
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

/// Focus the filter box and type `text` into it, as a person would.
pub fn type_filter<S>(harness: &mut Harness<'_, S>, text: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter")
        .type_text(text);
    harness.run();
}

/// One slow frame: `events` arrive together, as on a software-rendered desktop where a frame
/// takes 100 ms a key, and go through the app's input hook (`ui::input_order`, which kittest
/// does not call) as the real window's do; frames run until nothing is held back.
pub fn one_slow_frame<S>(harness: &mut Harness<'_, S>, events: Vec<egui::Event>) {
    let mut held = Vec::new();
    harness.input_mut().events.extend(events);
    loop {
        let more = hold_back_after_typing(&mut held, harness.input_mut());
        harness.step();
        if !more {
            break;
        }
    }
    harness.run();
}

/// The key events of pressing and releasing `key`.
pub fn key_events(key: egui::Key, modifiers: egui::Modifiers) -> [egui::Event; 2] {
    [true, false].map(|pressed| egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    })
}
