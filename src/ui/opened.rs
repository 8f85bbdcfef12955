//! Files opened beside the live streams: the tabs that say which one the timeline shows (and a
//! badge that cannot be missed while it is not the live streams), and each file's card in the
//! left panel (what it is, who saved it and when, how far it is read, the lines that could not
//! be read, its signatures checked again, its alerts).

use egui::RichText;

use super::view::Source;
use super::{Action, ViewState, alerts, keyed_ui};
use crate::core::opened::{Loading, OpenedFile, OpenedFiles};
use crate::core::opened_info::OpenedKind;

/// The tabs above the timeline (only while a file is open) and, when a file is shown, its badge.
pub fn sources_ui(ui: &mut egui::Ui, opened: &OpenedFiles, view: &mut ViewState) {
    if opened.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Showing").weak());
        let live = ui
            .selectable_label(view.source == Source::Live, "Live streams")
            .on_hover_text("The streams received now");
        if live.clicked() {
            view.show_source(Source::Live);
        }
        for file in opened.iter() {
            let source = Source::Opened(file.id);
            let tab = ui
                .selectable_label(view.source == source, format!("📂 {}", file.header.name))
                .on_hover_text(format!("{} (read-only)", file.header.path));
            if tab.clicked() {
                view.show_source(source);
            }
        }
    });
    if let Source::Opened(id) = view.source
        && let Some(file) = opened.get(id)
    {
        badge_ui(ui, file);
    }
}

/// The strip that says the timeline shows a file, read-only, and not the live streams.
fn badge_ui(ui: &mut egui::Ui, file: &OpenedFile) {
    let dark = ui.visuals().dark_mode;
    let (fill, text) = super::theme::opened_badge(dark);
    egui::Frame::new()
        .fill(fill)
        .inner_margin(egui::Margin::symmetric(8, 4))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let kind = file.header.kind.map_or("file", OpenedKind::label);
                ui.label(
                    RichText::new(format!("📂 {} — read-only {kind}", file.header.name))
                        .strong()
                        .color(text),
                );
                ui.label(RichText::new(summary(file)).color(text));
            });
        });
}

/// What the file holds and how far it is read, in a line.
fn summary(file: &OpenedFile) -> String {
    let contents = &file.contents;
    let sets = crate::core::incident_story::thousands(contents.timeline.len());
    let mut words = vec![match &file.loading {
        Loading::Reading => format!("reading… {sets} SETs so far"),
        Loading::Done => format!("{sets} SETs"),
        Loading::Failed(_) => format!("{sets} SETs read before it failed"),
    }];
    let alerts = contents.earlier_alerts.len();
    if alerts > 0 {
        words.push(format!(
            "{alerts} alert{}",
            if alerts == 1 { "" } else { "s" }
        ));
    }
    if file.problem_count > 0 {
        words.push(format!(
            "⚠ {} line{} unreadable",
            file.problem_count,
            if file.problem_count == 1 { "" } else { "s" }
        ));
    }
    if file.manifest.as_ref().is_some_and(|check| !check.holds()) {
        words.push("⚠ its manifest does not hold".to_owned());
    }
    let differ = file.reverified.differ.len() - file.reverified.no_keys;
    if differ > 0 {
        words.push(format!(
            "⚠ {differ} signature verdict{} differ now",
            plural(differ)
        ));
    }
    words.join(" · ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The left panel's section of opened files: a card each.
pub fn opened_files_ui(
    ui: &mut egui::Ui,
    opened: &OpenedFiles,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    if opened.is_empty() {
        return;
    }
    ui.heading("Opened files");
    for file in opened.iter() {
        keyed_ui(ui, ("opened_file", file.id), |ui| {
            let mut asked = Vec::new();
            card_ui(ui, file, view, &mut asked);
            // What a card asks to show is in its file: shown there.
            for action in asked {
                if matches!(action, Action::ShowEvidence(_) | Action::ShowExchange(_)) {
                    view.show_source(Source::Opened(file.id));
                }
                actions.push(action);
            }
        });
    }
    ui.separator();
}

fn card_ui(ui: &mut egui::Ui, file: &OpenedFile, view: &mut ViewState, actions: &mut Vec<Action>) {
    let source = Source::Opened(file.id);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("📂 {}", file.header.name)).strong())
                .on_hover_text(&file.header.path);
            let kind = file.header.kind.map_or("opening…", OpenedKind::label);
            ui.label(RichText::new(kind).small().weak());
        });
        ui.horizontal(|ui| {
            let shown = view.source == source;
            if ui
                .add_enabled(!shown, egui::Button::new("Show"))
                .on_hover_text("Show its SETs in the timeline")
                .on_disabled_hover_text("The timeline shows it")
                .clicked()
            {
                view.show_source(source);
            }
            if ui
                .button("Close")
                .on_hover_text("Close the file (nothing in it is changed)")
                .clicked()
            {
                actions.push(Action::CloseFile(file.id));
            }
        });
        if let Some(saved) = &file.header.saved {
            let mut line = format!(
                "Saved {} by {} (version {}) from {}",
                saved.at, saved.by, saved.app_version, saved.source
            );
            match &saved.filter {
                // A filter may name a subject: masked in presenter mode.
                Some(filter) if view.presenter => {
                    let masked = crate::core::redact::filter_text(filter);
                    line.push_str(&format!(", the SETs of the filter “{masked}”"));
                }
                Some(filter) => line.push_str(&format!(", the SETs of the filter “{filter}”")),
                None => line.push_str(", whole"),
            }
            ui.label(RichText::new(line).small());
        }
        if file.header.kind == Some(OpenedKind::Record) {
            ui.label(
                RichText::new(
                    "Read without its lock: another instance may still be writing it; what it \
                     wrote after the file was opened is not shown",
                )
                .small(),
            );
        }
        match &file.loading {
            Loading::Reading => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(summary(file));
                });
            }
            Loading::Done => {
                ui.label(summary(file));
            }
            Loading::Failed(why) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("Could not be read: {why}"),
                );
            }
        }
        if let Some(check) = &file.manifest {
            let dark = ui.visuals().dark_mode;
            let color = if check.holds() {
                super::theme::good(dark)
            } else {
                super::theme::warn(dark)
            };
            ui.label(RichText::new(check.words()).color(color))
                .on_hover_text("Its MANIFEST.sha256 checked against its files when it was opened");
        }
        problems_ui(ui, file);
        reverified_ui(ui, file, actions);
        alerts::listed_alerts_ui(ui, &file.contents.earlier_alerts, "In the file", actions);
        super::status_history::recorded_status_ui(
            ui,
            &file.contents.earlier_status,
            view.presenter,
        );
    });
}

/// The lines that could not be read, folded.
fn problems_ui(ui: &mut egui::Ui, file: &OpenedFile) {
    if file.problem_count == 0 {
        return;
    }
    let title = format!(
        "⚠ {} line{} could not be read (skipped; the rest was read)",
        file.problem_count,
        plural(file.problem_count)
    );
    egui::CollapsingHeader::new(title)
        .id_salt("problems")
        .show(ui, |ui| {
            for problem in &file.problems {
                ui.label(RichText::new(problem).small());
            }
            let more = file.problem_count.saturating_sub(file.problems.len());
            if more > 0 {
                ui.label(RichText::new(format!("… and {more} more")).small().weak());
            }
        });
}

/// The signatures checked again with the key sets the file carries.
fn reverified_ui(ui: &mut egui::Ui, file: &OpenedFile, actions: &mut Vec<Action>) {
    let checked = &file.reverified;
    if let Some(why) = &checked.unavailable {
        ui.label(RichText::new(format!("Signatures not checked again: {why}")).small());
        return;
    }
    if checked.total == 0 && !checked.done {
        return;
    }
    let differ = checked.differ.len() - checked.no_keys;
    let mut line = format!(
        "Signatures checked again with the file's keys: {} of {}",
        crate::core::incident_story::thousands(checked.checked),
        crate::core::incident_story::thousands(checked.total)
    );
    line.push_str(&format!(
        " — {} as when received, {differ} differ",
        crate::core::incident_story::thousands(checked.same)
    ));
    if checked.no_keys > 0 {
        line.push_str(&format!(
            ", {} without a key set for their stream",
            checked.no_keys
        ));
    }
    if !checked.done {
        line.push('…');
    }
    ui.label(RichText::new(line).small());
    if differ == 0 {
        return;
    }
    egui::CollapsingHeader::new(format!("SETs whose verdict differs ({differ})"))
        .id_salt("differ")
        .show(ui, |ui| {
            for (seq, (then, now)) in checked.differ.iter().take(200) {
                let Some(now) = now else { continue };
                let text = format!(
                    "#{seq}: {} now, {} when received",
                    now.label(),
                    then.label()
                );
                if ui.link(text).clicked() {
                    actions.push(Action::ShowEvidence(*seq));
                }
            }
        });
}
