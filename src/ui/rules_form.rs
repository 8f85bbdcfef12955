//! The profile form's "SET rules" section: for each MUST a SET can break (no `jti`, wrong
//! `typ`, expired), refuse it (the default) or accept it and only flag it. Collapsed unless a
//! rule is relaxed.

use egui::RichText;

use super::profile_draft::ProfileDraft;
use super::theme;
use crate::core::set_rules::{OnBreak, SetRules};

/// Draw the section.
pub fn rules_ui(ui: &mut egui::Ui, draft: &mut ProfileDraft) {
    let relaxed = draft.rules != SetRules::default();
    egui::CollapsingHeader::new(RichText::new("SET rules").strong())
        .id_salt("profile_form_rules")
        .default_open(relaxed)
        .show(ui, |ui| {
            ui.label(
                "A SET that breaks one of these MUSTs is refused (invalid_request) and kept in \
                 the record; accept it only for a transmitter known to bend the rule.",
            );
            let rules = &mut draft.rules;
            rule_ui(
                ui,
                &mut rules.without_jti,
                "Accept SETs without jti",
                "RFC 8417 §2.2: jti is required; without it a SET cannot be acknowledged by poll or recognised when delivered again",
            );
            rule_ui(
                ui,
                &mut rules.wrong_typ,
                "Accept SETs whose typ is not secevent+jwt",
                "SSF §4.1.1, RFC 8725 §3.11: explicit typing is the defence against a JWT of another kind passed off as a SET",
            );
            rule_ui(
                ui,
                &mut rules.expired,
                "Accept expired SETs (exp in the past)",
                "RFC 7519 §4.1.4: a JWT must not be accepted after its exp; SSF SETs carry no exp at all",
            );
            if *rules != SetRules::default() {
                let dark = ui.visuals().dark_mode;
                ui.label(
                    RichText::new("⚠ accepted SETs that break these rules are only flagged")
                        .color(theme::warn(dark)),
                );
            }
        });
}

fn rule_ui(ui: &mut egui::Ui, rule: &mut OnBreak, label: &str, why: &str) {
    let mut accept = *rule == OnBreak::Flag;
    if ui.checkbox(&mut accept, label).on_hover_text(why).changed() {
        *rule = if accept {
            OnBreak::Flag
        } else {
            OnBreak::Refuse
        };
    }
}
