//! The only place colors are made: semantic colors for verdicts, stream status, severities and
//! event families, each picked for dark or light mode.
#![expect(
    clippy::disallowed_methods,
    reason = "colors are declared here and nowhere else"
)]

use egui::Color32;

use crate::core::alerts::Severity;
use crate::core::events::Family;
use crate::core::lint::Level;
use crate::core::stream::StreamStatus;
use crate::core::verify::Verdict;

const fn pick(dark: bool, on_dark: Color32, on_light: Color32) -> Color32 {
    if dark { on_dark } else { on_light }
}

/// WCAG 2 contrast ratio of two colours (1 to 21; text wants at least 4.5).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    fn channel(c: u8) -> f32 {
        let c = f32::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    let luminance =
        |c: Color32| 0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b());
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Give both of egui's themes this app's text colours where egui's own are too faint: weak
/// text (row numbers, hints, secondary labels) is [`muted`], which reaches 4.5:1 on panels,
/// windows and striped rows (egui's default weak text reaches 2.9:1 dark and 2.7:1 light).
pub fn install(ctx: &egui::Context) {
    for (theme, dark) in [(egui::Theme::Dark, true), (egui::Theme::Light, false)] {
        ctx.style_mut_of(theme, |style| {
            style.visuals.weak_text_color = Some(muted(dark));
        });
    }
}

/// Buttons on the red banners: a deeper red, so their white text stays readable in both
/// themes (the theme's own light-grey button would leave white on light grey).
pub fn banner_button_fill(hovered: bool) -> Color32 {
    if hovered {
        Color32::from_rgb(0x8c, 0x0e, 0x16)
    } else {
        Color32::from_rgb(0x6e, 0x0b, 0x11)
    }
}

/// Give the banner's buttons [`banner_button_fill`] and white text, whatever the theme.
pub fn banner_buttons(visuals: &mut egui::Visuals) {
    visuals.override_text_color = Some(banner_text());
    for (widget, hovered) in [
        (&mut visuals.widgets.inactive, false),
        (&mut visuals.widgets.hovered, true),
        (&mut visuals.widgets.active, true),
    ] {
        widget.weak_bg_fill = banner_button_fill(hovered);
        widget.bg_fill = banner_button_fill(hovered);
        widget.fg_stroke.color = banner_text();
    }
}

/// Green for good news.
pub fn good(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(0x5c, 0xd6, 0x7a),
        Color32::from_rgb(0x1a, 0x7f, 0x37),
    )
}

/// Amber for warnings.
pub fn warn(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(0xf2, 0xb8, 0x3d),
        Color32::from_rgb(0x9a, 0x67, 0x00),
    )
}

/// Red for errors.
pub fn bad(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(0xff, 0x6b, 0x6b),
        Color32::from_rgb(0xc0, 0x1c, 0x28),
    )
}

/// Grey for unknown.
pub fn muted(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(0x9a, 0xa0, 0xa6),
        Color32::from_rgb(0x5f, 0x63, 0x68),
    )
}

/// The critical banner's fill (the same in both modes: it must shout).
pub fn banner_fill() -> Color32 {
    Color32::from_rgb(0xb0, 0x12, 0x1b)
}

/// Text on the banner.
pub fn banner_text() -> Color32 {
    Color32::WHITE
}

/// Fill of a selected-but-acknowledged alert row, and other quiet warnings.
pub fn warning_fill(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(0x4a, 0x3b, 0x10),
        Color32::from_rgb(0xff, 0xf1, 0xc7),
    )
}

/// The badge of an opened file (not the live streams): its fill and its text.
pub fn opened_badge(dark: bool) -> (Color32, Color32) {
    if dark {
        (Color32::from_rgb(0x2b, 0x3d, 0x5c), Color32::WHITE)
    } else {
        (Color32::from_rgb(0xd6, 0xe4, 0xf7), Color32::BLACK)
    }
}

/// A verdict's color.
pub fn verdict(dark: bool, verdict: Verdict) -> Color32 {
    match verdict {
        Verdict::Valid => good(dark),
        Verdict::NotVerified => muted(dark),
        Verdict::UnknownKey | Verdict::Unsecured => warn(dark),
        Verdict::BadSignature
        | Verdict::AlgNotAllowed
        | Verdict::Malformed
        | Verdict::CritUnsupported => bad(dark),
    }
}

/// A stream status light.
pub fn status(dark: bool, status: StreamStatus) -> Color32 {
    match status {
        StreamStatus::Enabled => good(dark),
        StreamStatus::Paused => warn(dark),
        StreamStatus::Disabled => bad(dark),
        StreamStatus::Unknown => muted(dark),
    }
}

/// A severity's color.
pub fn severity(dark: bool, severity: Severity) -> Color32 {
    match severity {
        Severity::Info => muted(dark),
        Severity::Warning => warn(dark),
        Severity::Critical => bad(dark),
    }
}

/// A lint finding's color.
pub fn finding(dark: bool, level: Level) -> Color32 {
    match level {
        Level::Info => muted(dark),
        Level::Warning => warn(dark),
        Level::Error => bad(dark),
    }
}

/// An event family's tag color.
pub fn family(dark: bool, family: Family) -> Color32 {
    match family {
        Family::Ssf => pick(
            dark,
            Color32::from_rgb(0x8a, 0xb4, 0xf8),
            Color32::from_rgb(0x1a, 0x56, 0xc4),
        ),
        Family::Caep => pick(
            dark,
            Color32::from_rgb(0xc5, 0x8a, 0xf9),
            Color32::from_rgb(0x7b, 0x2c, 0xbf),
        ),
        Family::Risc => pick(
            dark,
            Color32::from_rgb(0xf2, 0x8b, 0x82),
            Color32::from_rgb(0xb3, 0x26, 0x1e),
        ),
        Family::Scim => pick(
            dark,
            Color32::from_rgb(0x7f, 0xd1, 0xc7),
            Color32::from_rgb(0x0b, 0x6e, 0x63),
        ),
        Family::Oidc => pick(
            dark,
            Color32::from_rgb(0xe6, 0xc0, 0x7b),
            Color32::from_rgb(0x85, 0x5d, 0x0f),
        ),
        Family::Unknown => muted(dark),
    }
}

/// An HTTP status's color (`None`: no answer came).
pub fn http_status(dark: bool, status: Option<u16>) -> Color32 {
    match status {
        Some(200..=299) => good(dark),
        Some(300..=399) => muted(dark),
        Some(400..=499) => warn(dark),
        Some(_) | None => bad(dark),
    }
}
