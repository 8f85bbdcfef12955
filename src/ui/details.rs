//! The right panel: one SET in full — verdict and its reason, the receiver's answer, the decoded
//! header and claims as trees, and the raw token.

use egui::RichText;

use super::view::DetailsTab;
use super::{Action, ViewState, json_tree, theme};
use crate::core::record::SetRecord;

/// The details of a SET held only compact: being read from the record, or why it cannot be.
pub fn not_loaded_ui(ui: &mut egui::Ui, seq: u64, unavailable: Option<&String>) {
    ui.heading(format!("SET #{seq}"));
    match unavailable {
        Some(reason) => {
            ui.label(format!("It cannot be read from the record: {reason}"));
        }
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading it from the record…");
            });
        }
    }
}

/// Draw the details of `record`.
pub fn details_ui(
    ui: &mut egui::Ui,
    record: &SetRecord,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
    now: crate::core::time::UnixMillis,
) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.heading(record.title());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("✖")
                .on_hover_text("Close the details (Esc)")
                .clicked()
            {
                actions.push(Action::Select(None));
            }
            if ui
                .button("Replay…")
                .on_hover_text("Send this SET once more to a push endpoint")
                .clicked()
            {
                view.replay_form = Some(super::view::ReplayDraft {
                    seq: record.seq,
                    raw: record.raw.clone(),
                    stream: Some(record.stream.clone()),
                    ..super::view::ReplayDraft::default()
                });
            }
        });
    });
    for event in &record.events {
        let uri = RichText::new(&event.uri)
            .monospace()
            .small()
            .color(theme::family(dark, event.family));
        let link = ui
            .link(uri)
            .on_hover_text("Filter the timeline by this event type");
        if link.clicked() {
            actions.push(Action::AddFilterTerm("type", event.uri.clone()));
        }
    }
    egui::Grid::new("set_facts")
        .num_columns(2)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            let verdict = record.verification.verdict;
            ui.label("Verdict");
            ui.label(
                RichText::new(verdict.label())
                    .color(theme::verdict(dark, verdict))
                    .strong(),
            );
            ui.end_row();
            ui.label("");
            ui.add(egui::Label::new(&record.verification.detail).wrap());
            ui.end_row();
            ui.label("Answer");
            match &record.rejection {
                None => ui.label(format!("accepted ({})", record.transport.as_str())),
                Some(r) => ui.add(
                    egui::Label::new(
                        RichText::new(format!("rejected {}: {}", r.err, r.description))
                            .color(theme::bad(dark)),
                    )
                    .wrap(),
                ),
            };
            ui.end_row();
            ui.label("Received");
            ui.label(format!(
                "{} · #{} · stream {}",
                record.received_at.rfc3339(),
                record.seq,
                record.stream
            ));
            ui.end_row();
            if let Some(id) = record.exchange {
                ui.label("Carried by");
                if ui
                    .link(format!("exchange #{id}"))
                    .on_hover_text("Show the HTTP exchange that delivered this SET")
                    .clicked()
                {
                    actions.push(Action::ShowExchange(id));
                }
                ui.end_row();
            }
            ui.label("Subject");
            let (subject, hover) = if view.presenter {
                let masked = crate::core::redact::subject_line(&record.subject);
                (masked, "Filter the timeline by this subject".to_owned())
            } else {
                let value = subject_value(record).unwrap_or_default();
                (
                    record.subject.clone(),
                    format!("Filter the timeline by subject:{value}"),
                )
            };
            ui.horizontal_wrapped(|ui| {
                match subject_value(record) {
                    Some(value) => {
                        let link = ui.link(subject).on_hover_text(hover);
                        if link.clicked() {
                            actions.push(Action::AddFilterTerm("subject", value));
                        }
                    }
                    None => {
                        ui.add(egui::Label::new(subject).wrap());
                    }
                }
                if record.subject != "-"
                    && ui
                        .small_button("History")
                        .on_hover_text("Every SET about this subject, across streams")
                        .clicked()
                {
                    actions.push(Action::OpenSubjectHistory(record.subject.clone()));
                }
            });
            ui.end_row();
            ui.label("jti");
            ui.label(RichText::new(record.jti.as_deref().unwrap_or("(none)")).monospace());
            ui.end_row();
            if record.redelivered {
                ui.label("");
                ui.label(
                    RichText::new("redelivered: this iss + jti was received before")
                        .color(theme::warn(dark)),
                );
                ui.end_row();
            }
        });
    if let Some(error) = &record.decode_error {
        ui.label(RichText::new(format!("Cannot decode: {error}")).color(theme::bad(dark)));
    }
    findings_ui(ui, record, dark, view.presenter);
    ui.separator();
    ui.horizontal(|ui| {
        ui.selectable_value(&mut view.details_tab, DetailsTab::Claims, "Claims");
        ui.selectable_value(&mut view.details_tab, DetailsTab::Header, "Header");
        ui.selectable_value(&mut view.details_tab, DetailsTab::Raw, "Raw token");
    });
    ui.separator();
    egui::ScrollArea::both()
        .auto_shrink([false; 2])
        .show(ui, |ui| match view.details_tab {
            DetailsTab::Claims => match &record.jws {
                Some(jws) if view.presenter => {
                    // Presenter mode: the subjects in the claims are masked where they are drawn.
                    let mut claims = serde_json::Value::Object(jws.claims.clone());
                    crate::core::redact::json(&mut claims);
                    if let serde_json::Value::Object(claims) = &claims {
                        let id = format!("claims{}", record.seq);
                        json_tree::json_object_ui(ui, &id, claims, now);
                    }
                }
                Some(jws) => {
                    json_tree::json_object_ui(
                        ui,
                        &format!("claims{}", record.seq),
                        &jws.claims,
                        now,
                    );
                }
                None => {
                    ui.label("The token did not decode; see the raw token");
                }
            },
            DetailsTab::Header => match &record.jws {
                Some(jws) => {
                    json_tree::json_object_ui(
                        ui,
                        &format!("header{}", record.seq),
                        &jws.header,
                        now,
                    );
                }
                None => {
                    ui.label("The token did not decode; see the raw token");
                }
            },
            DetailsTab::Raw if view.presenter => {
                ui.label(format!(
                    "Raw token ({} bytes): hidden in presenter mode, since it carries the                      subject (turn presenter mode off in the View menu to see it)",
                    record.raw.len()
                ));
            }
            DetailsTab::Raw => raw_ui(ui, record),
        });
}

fn raw_ui(ui: &mut egui::Ui, record: &SetRecord) {
    ui.horizontal(|ui| {
        ui.label(format!("Raw token ({} bytes)", record.raw.len()));
        if ui
            .button("Copy")
            .on_hover_text("Copy the raw token to the clipboard")
            .clicked()
        {
            ui.ctx().copy_text(record.raw.clone());
        }
    });
    let mut text = record.raw.as_str();
    let edit = egui::TextEdit::multiline(&mut text)
        .font(egui::TextStyle::Monospace)
        .desired_width(f32::INFINITY)
        .hint_text("raw token");
    ui.add(edit);
}

fn findings_ui(ui: &mut egui::Ui, record: &SetRecord, dark: bool, presenter: bool) {
    if record.findings.is_empty() {
        if let Some(profile) = record.profile {
            ui.label(format!("Profile {}: no findings", profile.as_str()));
        }
        return;
    }
    let profile = record.profile.map_or("-", |p| p.as_str());
    let title = format!("Findings ({}) · profile {profile}", record.findings.len());
    egui::CollapsingHeader::new(title)
        .id_salt(("findings", record.seq))
        .default_open(true)
        .show(ui, |ui| {
            for finding in &record.findings {
                finding_ui(ui, finding, dark, presenter);
            }
        });
}

/// One finding on a line: severity, rule, message (masked in presenter mode), spec section.
pub(super) fn finding_ui(
    ui: &mut egui::Ui,
    finding: &crate::core::lint::Finding,
    dark: bool,
    presenter: bool,
) {
    ui.horizontal_wrapped(|ui| {
        let color = theme::finding(dark, finding.severity);
        ui.label(
            RichText::new(finding.severity.as_str())
                .color(color)
                .strong(),
        );
        ui.label(RichText::new(finding.rule).monospace());
        if presenter {
            ui.label(crate::core::redact::text(&finding.message));
        } else {
            ui.label(&finding.message);
        }
        ui.label(RichText::new(finding.reference).weak());
    });
}

/// The value that names the SET's primary subject, for a `subject:` filter: the first string
/// member of `sub_id` (or of a complex subject's parts) other than its format.
/// The subject member a click filters by (a complex subject's user first).
pub(super) fn subject_value(record: &SetRecord) -> Option<String> {
    fn first(value: &serde_json::Value) -> Option<String> {
        let object = value.as_object()?;
        // A complex subject's user names it better than its device or session.
        if let Some(found) = object.get("user").and_then(first) {
            return Some(found);
        }
        for (name, member) in object {
            match member {
                serde_json::Value::String(text)
                    if name != "format" && name != "subject_type" && !text.is_empty() =>
                {
                    return Some(text.clone());
                }
                serde_json::Value::Object(_) => {
                    if let Some(found) = first(member) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        None
    }
    first(record.jws.as_ref()?.claims.get("sub_id")?)
}
