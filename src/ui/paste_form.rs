//! *Decode*: a token, a claims object or JSON Lines pasted into the window (Ctrl+V where no
//! field has focus, or typed into this window) decoded, verified with a chosen profile's keys
//! and linted, as `ssf-inspector decode` does. Nothing leaves the machine but the profile's own
//! metadata and key reads. In presenter mode subjects and tokens are shown masked.

use egui::RichText;

use super::view::PasteDraft;
use super::{Action, ViewState, json_tree, theme};
use crate::core::pasted::{PASTE_LIMIT, Pasted, PastedKeys, PastedSet};
use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;

/// Text pasted where no field has focus and no dialog is open: the window opens on it and
/// decodes it at once (without keys; a profile can be chosen after).
pub fn paste_anywhere(ctx: &egui::Context, view: &mut ViewState) -> Option<Action> {
    if ctx.egui_wants_keyboard_input() || super::shortcuts::modal_open(view) {
        return None;
    }
    let pasted = ctx.input_mut(|i| {
        let at = i
            .events
            .iter()
            .position(|e| matches!(e, egui::Event::Paste(text) if !text.trim().is_empty()))?;
        match i.events.remove(at) {
            egui::Event::Paste(text) => Some(text),
            _ => None,
        }
    })?;
    let draft = PasteDraft {
        text: pasted,
        profile: None,
        waiting: true,
    };
    let action = Action::DecodePasted {
        text: draft.text.clone(),
        profile: None,
    };
    view.paste_form = Some(draft);
    Some(action)
}

/// Draw the window while it is open.
pub fn paste_form_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let Some(draft) = view.paste_form.as_mut() else {
        return;
    };
    if draft.waiting && state.pasted.is_some() {
        draft.waiting = false;
    }
    let mut open = true;
    egui::Window::new("Decode a SET")
        .id(egui::Id::unique("paste_form"))
        .open(&mut open)
        .collapsible(false)
        .default_width(640.0)
        .default_height(520.0)
        .show(ui.ctx(), |ui| {
            input_ui(ui, state, draft, presenter, actions);
            ui.separator();
            if draft.waiting {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(match &draft.profile {
                        Some(name) => format!("Reading the keys of \"{name}\" and decoding…"),
                        None => "Decoding…".to_owned(),
                    });
                });
            } else if let Some(pasted) = &state.pasted {
                egui::ScrollArea::vertical()
                    .id_salt("pasted_results")
                    .show(ui, |ui| results_ui(ui, pasted, presenter, now));
            }
        });
    if !open {
        view.paste_form = None;
    }
}

/// The text, the keys to verify with, and *Decode*.
fn input_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    draft: &mut PasteDraft,
    presenter: bool,
    actions: &mut Vec<Action>,
) {
    ui.label(
        RichText::new(
            "A compact token, a claims object, or JSON Lines of either (an export's lines too). \
             Decoded here: the text is sent nowhere.",
        )
        .weak(),
    );
    let label = ui.label("Text");
    let id = egui::Id::unique("paste_text");
    let typing = ui.memory(|m| m.has_focus(id));
    let response = if presenter && !typing && !draft.text.is_empty() {
        // Tokens and addresses masked while presenting; a click in it edits the real text.
        let mut shown = crate::core::redact::text(&draft.text);
        let edit = egui::TextEdit::multiline(&mut shown)
            .id(id)
            .font(egui::TextStyle::Monospace)
            .desired_rows(4)
            .desired_width(f32::INFINITY);
        ui.add(edit)
    } else {
        let edit = egui::TextEdit::multiline(&mut draft.text)
            .id(id)
            .font(egui::TextStyle::Monospace)
            .hint_text("eyJhbGciOi…")
            .lock_focus(false)
            .desired_rows(4)
            .desired_width(f32::INFINITY);
        ui.add(edit)
    };
    response.labelled_by(label.id);
    let decode_key = ui.input_mut(|i| i.consume_shortcut(&super::shortcuts::SUBMIT));
    ui.horizontal(|ui| {
        let label = ui.label("Verify with");
        let chosen = draft
            .profile
            .clone()
            .unwrap_or_else(|| "no keys (decode only)".to_owned());
        egui::ComboBox::from_id_salt("paste_keys")
            .selected_text(chosen)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.profile, None, "no keys (decode only)");
                for profile in &state.profiles {
                    ui.selectable_value(
                        &mut draft.profile,
                        Some(profile.name.clone()),
                        format!("{}'s transmitter keys", profile.name),
                    );
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "A saved profile's transmitter: its metadata and JWKS are read (as a session \
                 reads them), and the SETs are checked against its issuer and audience",
            );
        let hint = super::shortcuts::hint(ui.ctx(), "Decode", &super::shortcuts::SUBMIT);
        let ready = !draft.text.trim().is_empty() && !draft.waiting;
        let clicked = ui
            .add_enabled(ready, egui::Button::new("Decode"))
            .on_hover_text(hint)
            .clicked();
        if (clicked || decode_key) && ready {
            draft.waiting = true;
            actions.push(Action::DecodePasted {
                text: draft.text.clone(),
                profile: draft.profile.clone(),
            });
        }
    });
}

/// What the paste was decoded into: the keys used, then each SET.
fn results_ui(ui: &mut egui::Ui, pasted: &Pasted, presenter: bool, now: UnixMillis) {
    let dark = ui.visuals().dark_mode;
    let keys = match &pasted.keys {
        PastedKeys::None => "Signatures not checked: no keys chosen".to_owned(),
        PastedKeys::Profile { name, issuer, kids } => format!(
            "Verified with the keys of \"{name}\" ({issuer}: {})",
            kids.join(", ")
        ),
        PastedKeys::Failed { name, why } => format!(
            "Signatures not checked: the keys of \"{name}\" could not be read: {}",
            crate::core::remedy::for_window(why)
        ),
    };
    let failed = matches!(pasted.keys, PastedKeys::Failed { .. });
    let keys = RichText::new(keys);
    ui.add(
        egui::Label::new(if failed {
            keys.color(theme::bad(dark))
        } else {
            keys
        })
        .wrap(),
    );
    let count = pasted.items.len();
    let mut summary = format!(
        "{count} SET{} · {} with errors",
        if count == 1 { "" } else { "s" },
        pasted.with_errors()
    );
    if pasted.more > 0 {
        summary.push_str(&format!(
            " · {} more not decoded (at most {PASTE_LIMIT} per paste: use `decode` for a file)",
            pasted.more
        ));
    }
    if count == 0 {
        summary = "No SET in the text".to_owned();
    }
    ui.label(RichText::new(summary).strong());
    for (n, item) in pasted.items.iter().enumerate() {
        super::keyed_ui(ui, ("pasted", n), |ui| {
            item_ui(ui, item, dark, presenter, now);
        });
    }
}

/// One SET: line, verdict, events, subject, findings, then header and claims.
fn item_ui(ui: &mut egui::Ui, item: &PastedSet, dark: bool, presenter: bool, now: UnixMillis) {
    let record = &item.record;
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Line {}", item.line)).weak());
        let verdict = record.verification.verdict;
        ui.label(
            RichText::new(verdict.label())
                .color(theme::verdict(dark, verdict))
                .strong(),
        );
        ui.label(record.title());
    });
    if !record.verification.detail.is_empty() {
        ui.add(egui::Label::new(RichText::new(&record.verification.detail).small()).wrap());
    }
    let subject = if presenter {
        crate::core::redact::subject_line(&record.subject)
    } else {
        record.subject.clone()
    };
    ui.add(egui::Label::new(format!("Subject: {subject}")).wrap());
    for finding in &record.findings {
        super::details::finding_ui(ui, finding, dark, presenter);
    }
    if record.findings.is_empty()
        && let Some(profile) = record.profile
    {
        ui.label(format!("Profile {}: no findings", profile.as_str()));
    }
    if let Some(jws) = &record.jws {
        let salt = format!("pasted{}", item.line);
        if !jws.header.is_empty() {
            egui::CollapsingHeader::new("Header")
                .id_salt((&salt, "header"))
                .show(ui, |ui| {
                    json_tree::json_object_ui(ui, &format!("{salt}h"), &jws.header, now);
                });
        }
        egui::CollapsingHeader::new("Claims")
            .id_salt((&salt, "claims"))
            .default_open(true)
            .show(ui, |ui| {
                if presenter {
                    let mut claims = serde_json::Value::Object(jws.claims.clone());
                    crate::core::redact::json(&mut claims);
                    if let serde_json::Value::Object(masked) = &claims {
                        json_tree::json_object_ui(ui, &format!("{salt}c"), masked, now);
                    }
                } else {
                    json_tree::json_object_ui(ui, &format!("{salt}c"), &jws.claims, now);
                }
            });
    }
}
