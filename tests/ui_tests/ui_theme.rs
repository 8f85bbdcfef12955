//! Contrast (issue 14): every semantic text colour of `ui::theme` reaches WCAG's 4.5:1 against
//! the panels and striped rows it is drawn on, in the dark and the light theme, and the red
//! banners' text and buttons do too.

use egui::Color32;
use ssf_inspector::core::alerts::Severity;
use ssf_inspector::core::events::Family;
use ssf_inspector::core::lint::Level;
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::core::verify::Verdict;
use ssf_inspector::ui::theme;

const AT_LEAST: f32 = 4.5;

fn colours(dark: bool) -> Vec<(String, Color32)> {
    let mut all = vec![
        ("good".to_owned(), theme::good(dark)),
        ("warn".to_owned(), theme::warn(dark)),
        ("bad".to_owned(), theme::bad(dark)),
        ("muted".to_owned(), theme::muted(dark)),
    ];
    all.extend(
        Verdict::ALL
            .iter()
            .map(|&v| (format!("verdict {v:?}"), theme::verdict(dark, v))),
    );
    for status in [
        StreamStatus::Enabled,
        StreamStatus::Paused,
        StreamStatus::Disabled,
        StreamStatus::Unknown,
    ] {
        all.push((format!("status {status:?}"), theme::status(dark, status)));
    }
    for severity in [Severity::Info, Severity::Warning, Severity::Critical] {
        all.push((
            format!("severity {severity:?}"),
            theme::severity(dark, severity),
        ));
    }
    for level in [Level::Info, Level::Warning, Level::Error] {
        all.push((format!("finding {level:?}"), theme::finding(dark, level)));
    }
    for family in [
        Family::Ssf,
        Family::Caep,
        Family::Risc,
        Family::Scim,
        Family::Oidc,
        Family::Unknown,
    ] {
        all.push((format!("family {family:?}"), theme::family(dark, family)));
    }
    for status in [Some(202), Some(302), Some(404), Some(500), None] {
        all.push((format!("http {status:?}"), theme::http_status(dark, status)));
    }
    all
}

/// A striped row: egui adds the faint colour (additive, no alpha) to the panel.
#[expect(
    clippy::disallowed_methods,
    reason = "the colour egui composes, not a colour of the app"
)]
fn striped(panel: Color32, faint: Color32) -> Color32 {
    let add = |a: u8, b: u8| a.saturating_add(b);
    Color32::from_rgb(
        add(panel.r(), faint.r()),
        add(panel.g(), faint.g()),
        add(panel.b(), faint.b()),
    )
}

#[test]
fn every_text_colour_reaches_4_5_to_1_in_both_themes() {
    let mut short = Vec::new();
    for dark in [true, false] {
        let visuals = if dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        };
        let grounds = [
            ("panel", visuals.panel_fill),
            ("window", visuals.window_fill),
            (
                "striped row",
                striped(visuals.panel_fill, visuals.faint_bg_color),
            ),
        ];
        for (name, colour) in colours(dark) {
            for (ground, fill) in grounds {
                let ratio = theme::contrast(colour, fill);
                if ratio < AT_LEAST {
                    short.push(format!(
                        "{} theme: {name} on the {ground}: {ratio:.2}",
                        if dark { "dark" } else { "light" }
                    ));
                }
            }
        }
    }
    assert!(short.is_empty(), "below 4.5:1:\n{}", short.join("\n"));
}

#[test]
fn the_banners_text_and_buttons_are_readable_in_both_themes() {
    let text = theme::banner_text();
    assert!(theme::contrast(text, theme::banner_fill()) >= AT_LEAST);
    for hovered in [false, true] {
        let ratio = theme::contrast(text, theme::banner_button_fill(hovered));
        assert!(ratio >= AT_LEAST, "button (hovered {hovered}): {ratio:.2}");
    }
    // Whatever the theme, the banner's buttons get those fills and white text.
    for mut visuals in [egui::Visuals::dark(), egui::Visuals::light()] {
        theme::banner_buttons(&mut visuals);
        let button = visuals.widgets.inactive;
        let ratio = theme::contrast(button.fg_stroke.color, button.weak_bg_fill);
        assert!(ratio >= AT_LEAST, "{ratio:.2}");
    }
    // The measure itself: black on white is 21, a colour on itself 1.
    assert!((theme::contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
    assert!((theme::contrast(Color32::GRAY, Color32::GRAY) - 1.0).abs() < 0.01);
}

#[test]
fn weak_text_reaches_4_5_to_1_in_both_themes_once_installed() {
    // egui's own weak text is 2.9:1 (dark) and 2.7:1 (light) on its panels: the timeline's row
    // numbers and every hint were hard to read (issue 23, item 9).
    let ctx = egui::Context::default();
    theme::install(&ctx);
    for (which, dark) in [(egui::Theme::Dark, true), (egui::Theme::Light, false)] {
        let visuals = ctx.style_of(which).visuals.clone();
        let weak = visuals.weak_text_color();
        for (ground, fill) in [
            ("panel", visuals.panel_fill),
            ("window", visuals.window_fill),
            (
                "striped row",
                striped(visuals.panel_fill, visuals.faint_bg_color),
            ),
        ] {
            let ratio = theme::contrast(weak, fill);
            assert!(
                ratio >= AT_LEAST,
                "{} theme: weak text on the {ground}: {ratio:.2}",
                if dark { "dark" } else { "light" }
            );
        }
    }
}
