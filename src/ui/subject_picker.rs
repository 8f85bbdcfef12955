//! The subject form's helpers: a subject picked by format with a field per member (the JSON is
//! written from them), and for *Remove* the subjects this stream's SETs named, to pick from.

use serde_json::Value;

use super::view::SubjectDraft;
use crate::core::state::InspectorState;

/// The formats offered, with their members (RFC 9493 §3.2, SSF §3).
const FORMATS: [(&str, &[&str]); 6] = [
    ("email", &["email"]),
    ("phone_number", &["phone_number"]),
    ("opaque", &["id"]),
    ("iss_sub", &["iss", "sub"]),
    ("account", &["uri"]),
    ("uri", &["uri"]),
];

/// How many of the newest SETs are looked through for subjects, and how many are offered.
const SCANNED: usize = 5_000;
const OFFERED: usize = 12;

/// The form's JSON box, named so that a subject picked here can take the focus from it.
pub fn json_box_id() -> egui::Id {
    egui::Id::unique("subject_json")
}

/// Format and fields; any change writes the JSON below.
pub fn by_format_ui(ui: &mut egui::Ui, draft: &mut SubjectDraft) {
    let before = (draft.format.clone(), draft.fields.clone());
    ui.horizontal(|ui| {
        let label = ui.label("Format");
        egui::ComboBox::from_id_salt("subject_format")
            .selected_text(if draft.format.is_empty() {
                "pick one"
            } else {
                draft.format.as_str()
            })
            .show_ui(ui, |ui| {
                for (format, _) in FORMATS {
                    ui.selectable_value(&mut draft.format, format.to_owned(), format);
                }
            })
            .response
            .labelled_by(label.id);
    });
    let members = FORMATS
        .iter()
        .find(|(f, _)| *f == draft.format)
        .map_or(&[][..], |(_, m)| *m);
    draft.fields.resize(members.len(), String::new());
    for (member, value) in members.iter().zip(draft.fields.iter_mut()) {
        ui.horizontal(|ui| {
            let label = ui.label(*member);
            ui.add(egui::TextEdit::singleline(value).desired_width(300.0))
                .labelled_by(label.id);
        });
    }
    if (draft.format.clone(), draft.fields.clone()) != before && !members.is_empty() {
        let mut subject = serde_json::Map::new();
        subject.insert("format".to_owned(), Value::from(draft.format.as_str()));
        for (member, value) in members.iter().zip(&draft.fields) {
            subject.insert((*member).to_owned(), Value::from(value.trim()));
        }
        draft.text = serde_json::to_string(&Value::Object(subject)).unwrap_or_default();
    }
}

/// The distinct subjects the newest SETs of the stream named (simple formats), newest first.
pub fn seen_on(state: &InspectorState, stream: &str) -> Vec<(String, Value)> {
    let mut seen: Vec<(String, Value)> = Vec::new();
    let entries = state.timeline.entries();
    let skip = entries.len().saturating_sub(SCANNED);
    let newest: Vec<_> = entries.skip(skip).collect();
    for entry in newest.iter().rev() {
        if seen.len() >= OFFERED {
            break;
        }
        if entry.stream() != stream || seen.iter().any(|(line, _)| line == entry.subject()) {
            continue;
        }
        if let Some(value) = crate::core::subject::from_line(entry.subject()) {
            seen.push((entry.subject().to_owned(), value));
        }
    }
    seen
}

/// For *Remove*: a button per subject seen; a click puts it in the form.
pub fn seen_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    draft: &mut SubjectDraft,
    presenter: bool,
) {
    let key = draft.key.0.clone();
    let seen = draft
        .seen
        .get_or_insert_with(|| seen_on(state, &key))
        .clone();
    if seen.is_empty() {
        return;
    }
    ui.label("Seen on this stream:");
    ui.horizontal_wrapped(|ui| {
        for (line, value) in seen {
            let shown = if presenter {
                crate::core::redact::subject_line(&line)
            } else {
                line
            };
            if ui.small_button(shown).clicked() {
                draft.text = value.to_string();
                // Shown masked in presenter mode only while nobody types in the box.
                let id = json_box_id();
                ui.memory_mut(|m| m.surrender_focus(id));
            }
        }
    });
}
