//! The command shortcuts (egui_kittest, no GPU): each does what its button does, the buttons
//! say their keys, none acts behind a dialog, and nothing typed into the filter box fires one.

use crate::fixtures;
use crate::kit;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, inspect, state_with, stream_updated};
use kit::{TestUi, type_filter};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::ui::command_keys::{ACKNOWLEDGE, EXCHANGES, EXPORT, NEW_PROFILE, TIMELINE};
use ssf_inspector::ui::view::CentralView;

const BANNER: &str = "⚠  Stream disabled by transmitter";

/// A stream the transmitter disabled: its incident waits in the banner.
fn disabled() -> InspectorState {
    let key = TestKey::es256("k1");
    state_with(vec![inspect(
        &key.sign(&stream_updated("jti-keys-1", "disabled", "maintenance")),
        &key.jwks(),
        UnixMillis(NOW.0 - 4000),
    )])
}

fn press(harness: &mut Harness<'_, TestUi>, shortcut: egui::KeyboardShortcut) {
    harness.key_press_modifiers(shortcut.modifiers, shortcut.logical_key);
    harness.run();
}

#[test]
fn each_command_shortcut_does_what_its_button_does() {
    let mut harness = kit::harness(disabled(), NOW);
    harness.run();
    harness.get_by_label(BANNER);

    press(&mut harness, EXCHANGES);
    assert_eq!(harness.state().view.central, CentralView::Exchanges);
    press(&mut harness, TIMELINE);
    assert_eq!(harness.state().view.central, CentralView::Timeline);

    press(&mut harness, NEW_PROFILE);
    assert!(harness.state().view.profile_form.is_some(), "New profile…");
    // Behind the form, the others wait: the banner is not acknowledged from under it.
    press(&mut harness, ACKNOWLEDGE);
    press(&mut harness, EXCHANGES);
    assert!(!harness.state().state.alerts[0].acknowledged);
    assert_eq!(harness.state().view.central, CentralView::Timeline);
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().view.profile_form.is_none());

    press(&mut harness, EXPORT);
    assert!(harness.state().view.export_form.is_some(), "Export…");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().view.export_form.is_none());

    press(&mut harness, ACKNOWLEDGE);
    assert!(harness.state().state.alerts[0].acknowledged);
    assert!(
        harness.query_by_label(BANNER).is_none(),
        "the incident left the banner"
    );
    assert!(harness.state().commands.is_empty());
}

#[test]
fn the_buttons_say_their_shortcuts() {
    let mut harness = kit::harness(disabled(), NOW);
    harness.run();
    let label = |shortcut| harness.ctx.format_shortcut(&shortcut);
    let said = [
        ("Acknowledge", label(ACKNOWLEDGE)),
        ("Timeline", label(TIMELINE)),
        ("Exchanges", label(EXCHANGES)),
        ("New profile…", label(NEW_PROFILE)),
        ("Export…", label(EXPORT)),
    ];
    for (button, keys) in said {
        harness.get_by_label(button).hover();
        harness.run();
        harness.get_by_label_contains(&format!("({keys})"));
    }
}

#[test]
fn nothing_typed_into_the_filter_box_fires_a_shortcut() {
    let mut harness = kit::harness(disabled(), NOW);
    harness.run();
    // Every key of the shortcuts, without their modifier, and the help's "?".
    type_filter(&mut harness, "a1 2 n e ?");
    for key in [Key::A, Key::Num1, Key::Num2, Key::N, Key::E] {
        harness.key_press(key);
        harness.key_press_modifiers(Modifiers::SHIFT, key);
    }
    harness.run();
    let s = harness.state();
    assert_eq!(s.view.filter, "a1 2 n e ?");
    assert_eq!(s.view.central, CentralView::Timeline);
    assert!(s.view.profile_form.is_none());
    assert!(s.view.export_form.is_none());
    assert!(!s.view.help_open);
    assert!(!s.state.alerts[0].acknowledged);
    assert!(
        harness
            .get_by_role_and_label(Role::TextInput, "Filter")
            .is_focused(),
        "still typing"
    );
    // With its modifier a shortcut works from the filter box too, as Ctrl+F does.
    press(&mut harness, EXCHANGES);
    assert_eq!(harness.state().view.central, CentralView::Exchanges);
}

#[test]
fn a_menu_item_chosen_from_the_keyboard_closes_the_menu() {
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.run();
    harness.get_by_label("More…").focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Add subject…");
    // Down to the last item, then Enter.
    for _ in 0..6 {
        harness.key_press(Key::ArrowDown);
        harness.run();
    }
    assert!(
        harness
            .get_by_label("Delete stream at transmitter…")
            .is_focused()
    );
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Delete the stream demo at its transmitter?");
    assert!(
        harness.query_by_label("Add subject…").is_none(),
        "the menu closed: its items would still act on the stream"
    );
}
