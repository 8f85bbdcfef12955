//! The View menu: presenter mode, the UI scale (1.0–2.0×, Ctrl+= / Ctrl+- / Ctrl+0) and the
//! theme, each remembered across restarts with the rest of the view.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::ViewState;

/// The smallest scale.
pub const MIN_SCALE: f32 = 1.0;
/// The largest scale: 1280×720 at 2.0× still lays out without overlap.
pub const MAX_SCALE: f32 = 2.0;
/// One step of the keyboard shortcuts.
const STEP: f32 = 0.1;
/// The scale presenter mode starts at when it is turned on at 1.0×.
pub const PRESENTER_SCALE: f32 = 1.5;

/// Make everything larger.
pub const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
/// Make everything larger (the `+` key, Shift+= on most layouts).
pub const ZOOM_IN_PLUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
/// Make everything smaller.
pub const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
/// Back to 1.0×.
pub const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);

/// A scale kept within 1.0–2.0 and to one decimal.
pub fn clamp(scale: f32) -> f32 {
    if scale.is_finite() {
        ((scale * 10.0).round() / 10.0).clamp(MIN_SCALE, MAX_SCALE)
    } else {
        MIN_SCALE
    }
}

/// The scale shortcuts of this frame; true when one was pressed.
pub fn handle_shortcuts(ctx: &egui::Context, view: &mut ViewState) -> bool {
    let pressed = |shortcut: &KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(shortcut));
    let scale = if pressed(&ZOOM_RESET) {
        MIN_SCALE
    } else if pressed(&ZOOM_IN) || pressed(&ZOOM_IN_PLUS) {
        view.ui_scale + STEP
    } else if pressed(&ZOOM_OUT) {
        view.ui_scale - STEP
    } else {
        return false;
    };
    view.ui_scale = clamp(scale);
    true
}

/// Apply the view's scale to the window (egui's own zoom keys are left to this module).
pub fn apply(ctx: &egui::Context, view: &mut ViewState) {
    view.ui_scale = clamp(view.ui_scale);
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
    if (ctx.zoom_factor() - view.ui_scale).abs() > f32::EPSILON {
        ctx.set_zoom_factor(view.ui_scale);
    }
}

/// Turn presenter mode on or off; on at 1.0×, the type grows to the presenter scale.
pub fn set_presenter(view: &mut ViewState, on: bool) {
    view.presenter = on;
    if on && view.ui_scale <= MIN_SCALE {
        view.ui_scale = PRESENTER_SCALE;
    }
}

/// The menu's contents.
pub fn view_menu_ui(ui: &mut egui::Ui, view: &mut ViewState) {
    let mut presenter = view.presenter;
    if ui
        .checkbox(&mut presenter, "Presenter mode")
        .on_hover_text(
            "Large type, a large state tile per stream, and subjects masked everywhere \
             (a•••@example.com); the record and exports keep the values",
        )
        .changed()
    {
        set_presenter(view, presenter);
    }
    ui.separator();
    ui.label(format!("UI scale: {:.1}×", view.ui_scale));
    ui.horizontal(|ui| {
        let ctx = ui.ctx().clone();
        let smaller = super::shortcuts::hint(&ctx, "Smaller", &ZOOM_OUT);
        if ui
            .add_enabled(view.ui_scale > MIN_SCALE, egui::Button::new("A−"))
            .on_hover_text(smaller)
            .clicked()
        {
            view.ui_scale = clamp(view.ui_scale - STEP);
        }
        let larger = super::shortcuts::hint(&ctx, "Larger", &ZOOM_IN);
        if ui
            .add_enabled(view.ui_scale < MAX_SCALE, egui::Button::new("A+"))
            .on_hover_text(larger)
            .clicked()
        {
            view.ui_scale = clamp(view.ui_scale + STEP);
        }
        let reset = super::shortcuts::hint(&ctx, "Back to 1.0×", &ZOOM_RESET);
        if ui.button("1.0×").on_hover_text(reset).clicked() {
            view.ui_scale = MIN_SCALE;
        }
    });
    ui.separator();
    theme_ui(ui);
}

/// Dark, light, or follow the system; egui remembers the choice across restarts.
fn theme_ui(ui: &mut egui::Ui) {
    let mut preference = ui.ctx().options(|o| o.theme_preference);
    let before = preference;
    ui.horizontal(|ui| {
        ui.label("Theme");
        for (value, text) in [
            (egui::ThemePreference::System, "System"),
            (egui::ThemePreference::Light, "Light"),
            (egui::ThemePreference::Dark, "Dark"),
        ] {
            ui.selectable_value(&mut preference, value, text);
        }
    });
    if preference != before {
        ui.ctx().set_theme(preference);
    }
}
