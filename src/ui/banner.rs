//! The full-width red banner for critical incidents: a stop and what is folded under it, shown
//! until acknowledged, and said to be over once it is.

use egui::RichText;

use super::{Action, theme};
use crate::core::alerts::Alert;
use crate::core::incident_story::{StoryCounts, has_story, of_incident};
use crate::core::state::InspectorState;
use crate::core::time::{UnixMillis, human_duration};

/// Draw the banner when a critical alert waits for acknowledgement.
pub fn banner_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    presenter: bool,
    stories: &mut StoryCounts,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    let mut pending = state.banner_alerts();
    let Some(alert) = pending.next() else {
        return;
    };
    let more = pending.count();
    let frame = egui::Frame::new()
        .fill(theme::banner_fill())
        .inner_margin(egui::Margin::symmetric(16, 10));
    egui::Panel::bottom("alert_banner")
        .frame(frame)
        .show(ui, |ui| {
            theme::banner_buttons(ui.visuals_mut());
            let title = RichText::new(format!("⚠  {}", alert.kind.title()))
                .size(22.0)
                .strong();
            // The buttons' ids carry the alert's: should another alert take the banner
            // between the frame a click was aimed at and the next, the click is dropped
            // rather than applied to an alert nobody has read.
            let buttons = |ui: &mut egui::Ui, actions: &mut Vec<Action>| {
                super::keyed_ui(ui, ("banner", alert.id), |ui| {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        buttons_ui(ui, alert, actions);
                    });
                });
            };
            // Title and buttons on one line when both fit; else the title (wrapped if need
            // be) and the buttons on the line below, never one over the other.
            if fits_on_one_line(ui, &title, alert) {
                ui.horizontal(|ui| {
                    ui.label(title);
                    buttons(ui, actions);
                });
            } else {
                ui.add(egui::Label::new(title).wrap());
                ui.horizontal(|ui| buttons(ui, actions));
            }
            // "reason:" only where the transmitter gave one.
            let reason = alert.reason.as_deref().map_or_else(String::new, |r| {
                // A transmitter's reason may name people: masked in presenter mode.
                let r = if presenter {
                    crate::core::redact::text(r)
                } else {
                    r.to_owned()
                };
                format!(" · reason: {r}")
            });
            let ago = human_duration(now.millis_since(alert.first_seen));
            ui.label(
                RichText::new(format!(
                    "Stream \"{}\"{reason} · at {} UTC ({ago} ago)",
                    alert.stream,
                    alert.first_seen.time_of_day()
                ))
                .size(15.0),
            );
            match alert.resolved_at {
                // Once over, the banner says so rather than what no longer holds.
                Some(resolved) => {
                    ui.label(
                        RichText::new(format!(
                            "✔ Resolved at {} UTC ({} ago): {}",
                            resolved.time_of_day(),
                            human_duration(now.millis_since(resolved)),
                            alert.kind.resolution()
                        ))
                        .strong(),
                    );
                    let was = crate::core::remedy::for_window(&alert.cause);
                    ui.label(RichText::new(format!("Was: {was}")).small());
                }
                None => match alert.unwatched_at {
                    // The session ended with the stop in force: nobody looks any more, and
                    // nothing says it is over.
                    Some(unwatched) => {
                        ui.label(
                            RichText::new(format!(
                                "◼ No longer watched since {} UTC ({} ago): the session ended \
                                 while this held; start the profile again to learn whether it \
                                 still does",
                                unwatched.time_of_day(),
                                human_duration(now.millis_since(unwatched)),
                            ))
                            .strong(),
                        );
                        let was = crate::core::remedy::for_window(&alert.cause);
                        ui.label(RichText::new(format!("Last known: {was}")).small());
                    }
                    None => {
                        ui.label(crate::core::remedy::for_window(&alert.cause));
                    }
                },
            }
            let consequences: Vec<&str> = state
                .consequences_of(alert.id)
                .map(|a| a.kind.title())
                .collect();
            if !consequences.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "+{} consequence{} folded under it: {}",
                        consequences.len(),
                        if consequences.len() == 1 { "" } else { "s" },
                        consequences.join(", ")
                    ))
                    .small(),
                );
            }
            // The incident in one line: how it began, the SETs around it, what followed, how
            // it ended.
            if has_story(alert) {
                let story = of_incident(state, alert, stories, presenter);
                ui.add(egui::Label::new(RichText::new(format!("What happened: {story}"))).wrap());
            }
            if more > 0 {
                ui.label(
                    RichText::new(format!(
                        "+{more} other incident{} waiting",
                        if more == 1 { "" } else { "s" }
                    ))
                    .italics(),
                );
            }
        });
}

/// The banner's buttons, right to left: Acknowledge, then the evidence.
fn buttons_ui(ui: &mut egui::Ui, alert: &Alert, actions: &mut Vec<Action>) {
    let hint = super::shortcuts::hint(
        ui.ctx(),
        "Acknowledge this incident: it leaves the banner",
        &super::command_keys::ACKNOWLEDGE,
    );
    if ui
        .button(RichText::new("Acknowledge").strong())
        .on_hover_text(hint)
        .clicked()
    {
        actions.push(Action::Acknowledge(alert.id));
    }
    if has_story(alert) {
        evidence_button(ui, alert, actions);
    }
    if let Some(seq) = alert.evidence_seq
        && ui
            .button("Show evidence")
            .on_hover_text("Select the SET that raised this alert")
            .clicked()
    {
        actions.push(Action::ShowEvidence(seq));
    }
    if let Some(id) = alert.evidence_exchange
        && ui
            .button("Show exchange")
            .on_hover_text("Show the HTTP exchange that is the evidence")
            .clicked()
    {
        actions.push(Action::ShowExchange(id));
    }
}

/// Whether the title and the buttons fit side by side in the banner's width, from the widths
/// of their texts as laid out in this frame.
fn fits_on_one_line(ui: &egui::Ui, title: &RichText, alert: &Alert) -> bool {
    let style = ui.style();
    let width = |text: egui::WidgetText| {
        text.into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Button,
        )
        .size()
        .x
    };
    let mut buttons = vec![egui::WidgetText::from(
        RichText::new("Acknowledge").strong(),
    )];
    if alert.evidence_seq.is_some() {
        buttons.push("Show evidence".into());
    }
    if alert.evidence_exchange.is_some() {
        buttons.push("Show exchange".into());
    }
    let spacing = style.spacing.item_spacing.x;
    let padding = 2.0 * style.spacing.button_padding.x;
    let buttons: f32 = buttons
        .into_iter()
        .map(|text| width(text) + padding + spacing)
        .sum();
    width(title.clone().into()) + spacing + buttons <= ui.available_width()
}

/// *Export evidence…*: opens the Export window on the incident `head` heads as a bundle (the
/// banner's and the alert list's).
pub fn evidence_button(ui: &mut egui::Ui, head: &Alert, actions: &mut Vec<Action>) {
    if ui
        .button("Export evidence…")
        .on_hover_text(
            "This incident as an evidence bundle (a zip): its SETs, exchanges, alerts, status \
             changes and markers, a summary and a SHA-256 manifest",
        )
        .clicked()
    {
        actions.push(Action::OpenEvidence(
            crate::core::bundle::incident::IncidentRef::of(head),
        ));
    }
}
