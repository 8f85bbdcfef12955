//! The window's command shortcuts: acknowledge the incident in the banner, Timeline or
//! Exchanges, *New profile…*, *Export…*, *Decode…*. Each is pressed with Ctrl (⌘ on a Mac), so no key typed
//! into a text field fires one, and each works while one has the focus (as Ctrl+F does). None
//! acts behind an open dialog.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::profile_draft::ProfileDraft;
use super::view::CentralView;
use super::{Action, ViewState};
use crate::core::state::InspectorState;

/// Acknowledge the incident in the banner.
pub const ACKNOWLEDGE: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::A);
/// Show the timeline.
pub const TIMELINE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num1);
/// Show the exchanges.
pub const EXCHANGES: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num2);
/// Open the form for a new profile.
pub const NEW_PROFILE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// Open the Export window.
pub const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
/// Open a capture, a bundle or a record beside the live streams.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// Open the Decode window.
pub const DECODE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::D);
/// Paste, listed with the shortcuts: outside a text field it opens the Decode window on the
/// text (`paste_form::paste_anywhere` reads the paste event, not this key).
pub const PASTE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::V);

/// Read this frame's command shortcuts (none while `modal`, a dialog being open): `None` when
/// none was pressed, else what the one pressed asks (view changes are made here).
pub fn handle(
    ctx: &egui::Context,
    state: &InspectorState,
    view: &mut ViewState,
    modal: bool,
) -> Option<Option<Action>> {
    if modal {
        return None;
    }
    let pressed = |shortcut: &KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(shortcut));
    // Ctrl+Shift+A before anything that Ctrl+A alone would match.
    if pressed(&ACKNOWLEDGE) {
        // The incident the banner shows; with none there, nothing waits to be acknowledged.
        return Some(
            state
                .banner_alerts()
                .next()
                .map(|a| Action::Acknowledge(a.id)),
        );
    }
    if pressed(&TIMELINE) {
        view.central = CentralView::Timeline;
    } else if pressed(&EXCHANGES) {
        view.central = CentralView::Exchanges;
    } else if pressed(&NEW_PROFILE) {
        open_new_profile(view);
    } else if pressed(&EXPORT) {
        open_export(view);
    } else if pressed(&DECODE) {
        open_decode(view);
    } else if pressed(&OPEN) {
        return Some(Some(Action::OpenFile(None)));
    } else {
        return None;
    }
    Some(None)
}

/// Open the form for a new profile, its first field focused (*New profile…*, [`NEW_PROFILE`]).
pub fn open_new_profile(view: &mut ViewState) {
    view.profile_form = Some(ProfileDraft::default());
    view.focus_form = true;
}

/// Open the Decode window, empty (*Decode…*, [`DECODE`]).
pub fn open_decode(view: &mut ViewState) {
    view.paste_form = Some(super::view::PasteDraft::default());
}

/// Open the Export window (*Export…*, [`EXPORT`]).
pub fn open_export(view: &mut ViewState) {
    view.export_form = Some(super::export_form::DEFAULT_PATH.to_owned());
    view.export_kind = super::view::ExportKind::Sets;
    view.export_incident = None;
}

/// Open the Export window on a capture (*Save capture…*).
pub fn open_capture(view: &mut ViewState) {
    view.export_form = Some(super::export_form::CAPTURE_PATH.to_owned());
    view.export_kind = super::view::ExportKind::Capture;
    view.export_incident = None;
}

/// Open the Export window on an incident's evidence bundle (its *Export evidence…*).
pub fn open_evidence(view: &mut ViewState, incident: crate::core::bundle::incident::IncidentRef) {
    view.export_form = Some(super::export_form::BUNDLE_PATH.to_owned());
    view.export_kind = super::view::ExportKind::Bundle;
    view.export_incident = Some(incident);
}
