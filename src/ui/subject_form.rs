//! Add or remove a subject on a stream: the Subject Identifier typed as JSON, checked against
//! RFC 9493 / SSF (errors block sending) and shown on one line before it is sent. From the
//! keyboard: Tab and Shift+Tab leave the JSON box, Ctrl+Enter (⌘+Enter) sends.

use egui::RichText;
use serde_json::Value;

use super::{Action, ViewState, shortcuts, theme};
use crate::core::lint::{Finding, Level, subjects};
use crate::core::stream_op::StreamOp;
use crate::core::subject;

/// Draw the subject form when it is open.
pub fn subject_form_ui(
    ui: &mut egui::Ui,
    state: &crate::core::state::InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let Some(draft) = view.subject_form.as_mut() else {
        return;
    };
    let focus = std::mem::take(&mut view.focus_form);
    let (title, verb) = if draft.remove {
        (format!("Remove a subject from {}", draft.key), "Remove")
    } else {
        (format!("Add a subject to {}", draft.key), "Add")
    };
    let dark = ui.visuals().dark_mode;
    let mut open = true;
    let mut done = false;
    egui::Window::new(title)
        .id(egui::Id::unique("subject_form"))
        .open(&mut open)
        .collapsible(false)
        .default_width(440.0)
        .show(ui.ctx(), |ui| {
            if draft.remove {
                super::subject_picker::seen_ui(ui, state, draft, presenter);
            }
            super::subject_picker::by_format_ui(ui, draft);
            let label = ui.label("Subject (JSON)");
            let id = super::subject_picker::json_box_id();
            let masked = masked_json(&draft.text);
            // In presenter mode a subject picked (or written from the fields) is shown masked
            // and not editable (an edit of the masked text could not be told back onto the real
            // one), unless it is being typed here.
            let typing = ui.memory(|m| m.has_focus(id));
            if presenter && masked != draft.text && !typing {
                let mut shown = masked.as_str();
                let edit = egui::TextEdit::multiline(&mut shown)
                    .id(id)
                    .interactive(false)
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY);
                ui.add(edit).labelled_by(label.id).on_hover_text(
                    "Shown masked in presenter mode, and not editable; the real subject is \
                     sent (Clear to type another)",
                );
                if ui.small_button("Clear").clicked() {
                    draft.text.clear();
                    draft.fields.iter_mut().for_each(String::clear);
                }
            } else {
                // Monospace, but not a code editor: Tab and Shift+Tab move the focus on (a
                // subject needs no tab characters), Enter still starts a new line.
                let edit = egui::TextEdit::multiline(&mut draft.text)
                    .id(id)
                    .font(egui::TextStyle::Monospace)
                    .lock_focus(false)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .hint_text(HINT);
                let response = ui.add(edit).labelled_by(label.id);
                if focus {
                    response.request_focus();
                }
            }
            let checked = check(&draft.text);
            match &checked {
                Err(why) => {
                    ui.label(RichText::new(why).color(theme::muted(dark)));
                }
                Ok((value, findings)) => {
                    let line = subject::describe(value);
                    let line = if presenter {
                        crate::core::redact::subject_line(&line)
                    } else {
                        line
                    };
                    ui.label(format!("Subject: {line}"));
                    for finding in findings {
                        let text = format!("{} {}", finding.severity.as_str(), finding.message);
                        ui.add(
                            egui::Label::new(
                                RichText::new(text).color(theme::finding(dark, finding.severity)),
                            )
                            .wrap(),
                        );
                    }
                }
            }
            let sendable = checked
                .as_ref()
                .ok()
                .filter(|(_, findings)| findings.iter().all(|f| f.severity != Level::Error));
            // Ctrl+Enter (⌘+Enter) sends from anywhere in the form, the JSON box included.
            let submit = ui.input_mut(|i| i.consume_shortcut(&shortcuts::SUBMIT));
            ui.horizontal(|ui| {
                let send = ui
                    .add_enabled(sendable.is_some(), egui::Button::new(verb))
                    .on_hover_text(shortcuts::hint(
                        ui.ctx(),
                        &format!("{verb} this subject"),
                        &shortcuts::SUBMIT,
                    ));
                if (send.clicked() || submit)
                    && let Some((value, _)) = sendable
                {
                    let op = if draft.remove {
                        StreamOp::RemoveSubject(value.clone())
                    } else {
                        StreamOp::AddSubject(value.clone())
                    };
                    actions.push(Action::StreamOp {
                        key: draft.key.clone(),
                        op,
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
    if !open || done {
        view.subject_form = None;
    }
}

/// The JSON box's example: a subject no demo scenario sends (`runtime/transmitter/sets.rs`), so
/// a presenter's screen never shows a real-looking one in clear.
const HINT: &str = r#"{"format": "email", "email": "user@example.com"}"#;

/// The typed subject as presenter mode shows it: JSON with its subject members masked, any other
/// text as free text.
fn masked_json(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(mut value) => {
            crate::core::redact::json(&mut value);
            serde_json::to_string(&value).unwrap_or_default()
        }
        Err(_) => crate::core::redact::text(text),
    }
}

/// Parse and validate the typed subject.
fn check(text: &str) -> Result<(Value, Vec<Finding>), String> {
    if text.trim().is_empty() {
        return Err("Type a Subject Identifier, e.g. an email or opaque subject".to_owned());
    }
    let value: Value = serde_json::from_str(text).map_err(|err| format!("Not JSON yet: {err}"))?;
    let mut findings = Vec::new();
    subjects::validate(&value, "subject", &mut findings);
    Ok((value, findings))
}
