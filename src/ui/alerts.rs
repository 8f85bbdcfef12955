//! The alert list: every alert raised, newest first, with what it concerns and its state.

use egui::RichText;

use super::{Action, theme};
use crate::core::alerts::{Alert, Severity};
use crate::core::incident_story::{has_story, of_incident};
use crate::core::state::InspectorState;
use crate::core::time::{UnixMillis, human_duration};

/// Draw the alert list.
pub fn alerts_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut super::ViewState,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    let active = state.alerts.iter().filter(|a| a.is_active()).count();
    ui.horizontal(|ui| {
        ui.heading(format!(
            "Alerts ({active} active, {} in all)",
            state.alerts.len()
        ));
        ui.checkbox(&mut view.alerts_active_only, "Active only");
    });
    if state.alerts.is_empty() {
        ui.label("None: every stream says it is delivering");
    } else {
        ui.horizontal(|ui| {
            ui.checkbox(&mut view.alerts_critical_only, "Critical only");
            let label = ui.label("Find");
            ui.add(
                egui::TextEdit::singleline(&mut view.alerts_filter)
                    .hint_text("kind, stream, cause…")
                    .desired_width(140.0),
            )
            .labelled_by(label.id);
        });
    }
    let needle = view.alerts_filter.trim().to_lowercase();
    let shown = |alert: &&Alert| {
        (!view.alerts_active_only || alert.is_active())
            && (!view.alerts_critical_only || alert.severity == Severity::Critical)
            && (needle.is_empty()
                || [
                    alert.kind.title(),
                    alert.kind.as_str(),
                    &alert.stream.0,
                    &alert.cause,
                ]
                .iter()
                .any(|text| text.to_lowercase().contains(&needle)))
    };
    let listed: Vec<_> = state.alerts.iter().rev().filter(shown).collect();
    if listed.is_empty() && !state.alerts.is_empty() {
        ui.label("No alert matches");
    }
    let is_listed = |id: u64| listed.iter().any(|a| a.id == id);
    for alert in &listed {
        // A consequence is drawn under its cause when that is listed too: one incident.
        if alert.folded_under.is_some_and(is_listed) {
            continue;
        }
        // Ids per alert: the newest is listed first, and an alert arriving must not hand its
        // place (and a click aimed at the one below) to another alert.
        super::keyed_ui(ui, ("alert", alert.id), |ui| {
            alert_ui(ui, alert, dark, now, actions);
            if has_story(alert) {
                story_ui(ui, state, alert, view, actions);
            }
            if let Some(cause) = alert.folded_under {
                ui.label(RichText::new(format!("follows from alert #{cause}")).small());
            }
            let consequences: Vec<_> = state
                .consequences_of(alert.id)
                .filter(|c| is_listed(c.id))
                .collect();
            if !consequences.is_empty() {
                consequences_ui(ui, &consequences, dark, now, actions);
            }
        });
        ui.add_space(4.0);
    }
}

/// The incident's story under its head, folded until opened.
fn story_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    head: &Alert,
    view: &mut super::ViewState,
    actions: &mut Vec<Action>,
) {
    egui::CollapsingHeader::new(RichText::new("What happened"))
        .id_salt(("story", head.id))
        .default_open(false)
        .show(ui, |ui| {
            let story = of_incident(state, head, &mut view.stories, view.presenter);
            ui.add(egui::Label::new(RichText::new(story).small()).wrap());
            super::banner::evidence_button(ui, head, actions);
        });
}

/// What a stop brought on, indented under it.
fn consequences_ui(
    ui: &mut egui::Ui,
    consequences: &[&Alert],
    dark: bool,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    let count = consequences.len();
    ui.label(
        RichText::new(format!(
            "{count} consequence{} of this stop:",
            if count == 1 { "" } else { "s" }
        ))
        .small()
        .italics(),
    );
    ui.indent("consequences", |ui| {
        for consequence in consequences {
            super::keyed_ui(ui, ("consequence", consequence.id), |ui| {
                alert_ui(ui, consequence, dark, now, actions);
            });
        }
    });
}

/// One alert of this run: severity and title, when and its state, evidence links, Acknowledge
/// (critical alerts are acknowledged in the banner).
fn alert_ui(
    ui: &mut egui::Ui,
    alert: &Alert,
    dark: bool,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        let color = theme::severity(dark, alert.severity);
        ui.label(
            RichText::new(alert.severity.as_str().to_uppercase())
                .color(color)
                .strong(),
        );
        ui.label(RichText::new(alert.kind.title()).strong());
    });
    let mut state_words = vec![format!(
        "{} UTC, {} ago",
        alert.first_seen.time_of_day(),
        human_duration(now.millis_since(alert.first_seen))
    )];
    if alert.acknowledged {
        state_words.push("acknowledged".to_owned());
    }
    if let Some(resolved) = alert.resolved_at {
        state_words.push(format!("resolved {} UTC", resolved.time_of_day()));
    }
    if let Some(unwatched) = alert.unwatched_at {
        state_words.push(format!(
            "no longer watched since {} UTC (session ended)",
            unwatched.time_of_day()
        ));
    }
    ui.label(RichText::new(state_words.join(" · ")).small());
    ui.horizontal(|ui| {
        evidence_links_ui(ui, alert, actions);
        // A consequence is acknowledged with its cause; a banner alert in the banner.
        let elsewhere = alert.wants_banner() || alert.folded_under.is_some();
        if !alert.acknowledged && !elsewhere && ui.small_button("Acknowledge").clicked() {
            actions.push(Action::Acknowledge(alert.id));
        }
    });
}

/// The alert's evidence: the SET, the HTTP exchange.
fn evidence_links_ui(ui: &mut egui::Ui, alert: &Alert, actions: &mut Vec<Action>) {
    if let Some(seq) = alert.evidence_seq
        && ui
            .small_button(format!("Evidence #{seq}"))
            .on_hover_text("Select the SET that raised this alert")
            .clicked()
    {
        actions.push(Action::ShowEvidence(seq));
    }
    if let Some(id) = alert.evidence_exchange
        && ui
            .small_button(format!("Exchange #{id}"))
            .on_hover_text("Show the HTTP exchange that is the evidence")
            .clicked()
    {
        actions.push(Action::ShowExchange(id));
    }
}

/// Alerts of earlier runs, from the record: listed for the incident history, never raised again.
pub fn earlier_alerts_ui(ui: &mut egui::Ui, state: &InspectorState, actions: &mut Vec<Action>) {
    listed_alerts_ui(ui, &state.earlier_alerts, "Earlier runs", actions);
}

/// Alerts listed as history (an earlier run's, an opened file's), newest first, folded under
/// `heading` and their count; nothing when there are none.
pub fn listed_alerts_ui(
    ui: &mut egui::Ui,
    alerts: &[Alert],
    heading: &str,
    actions: &mut Vec<Action>,
) {
    if alerts.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    let count = alerts.len();
    let title = format!(
        "{heading} ({count} alert{})",
        if count == 1 { "" } else { "s" }
    );
    egui::CollapsingHeader::new(title)
        .id_salt(("listed_alerts", heading))
        .default_open(false)
        .show(ui, |ui| {
            for (index, alert) in alerts.iter().enumerate().rev() {
                super::keyed_ui(ui, ("listed_alert", index), |ui| {
                    earlier_alert_ui(ui, alert, dark, actions);
                });
            }
        });
}

/// One alert of an earlier run: what, where, when, whether it was acknowledged, its evidence.
fn earlier_alert_ui(ui: &mut egui::Ui, alert: &Alert, dark: bool, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(alert.severity.as_str().to_uppercase())
                .color(theme::severity(dark, alert.severity))
                .small(),
        );
        ui.label(alert.kind.title());
    });
    let mut words = vec![alert.stream.0.clone(), alert.first_seen.rfc3339()];
    words.push(if alert.acknowledged {
        "acknowledged".to_owned()
    } else {
        "never acknowledged".to_owned()
    });
    if let Some(resolved) = alert.resolved_at {
        words.push(format!("resolved {}", resolved.rfc3339()));
    } else if let Some(unwatched) = alert.unwatched_at {
        words.push(format!("no longer watched from {}", unwatched.rfc3339()));
    } else {
        // In force when that run ended without saying so (a crash, a kill).
        words.push("never seen to end".to_owned());
    }
    ui.label(RichText::new(words.join(" · ")).small().weak())
        .on_hover_text(crate::core::remedy::for_window(&alert.cause));
    ui.horizontal(|ui| evidence_links_ui(ui, alert, actions));
}
