//! A card's facts, a name and its value per line, laid out from this frame's sizes alone: the
//! names' column as wide as the widest name the card can have, each value wrapped in the rest
//! of the width. (An `egui::Grid` places each line from the sizes of the frame before: in the
//! frame a card appears or a line comes, its lines were drawn on top of each other, issue 23.)

/// Between a name and its value.
const GAP: f32 = 8.0;

/// The names' column of one card.
pub struct Facts {
    name_width: f32,
    /// The card's width when it began: a line that cannot wrap (a long URL) widens the layout
    /// for whatever follows, and values wrapped in that wider width ran under the panel's edge.
    width: f32,
}

/// Draw a card's facts; `names` are every name it can show, so its values start at the same
/// place whichever lines are shown.
pub fn facts_ui<R>(
    ui: &mut egui::Ui,
    names: &[&str],
    add_contents: impl FnOnce(&Facts, &mut egui::Ui) -> R,
) -> R {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let name_width = ui.ctx().fonts_mut(|fonts| {
        names
            .iter()
            .map(|name| {
                fonts
                    .layout_no_wrap((*name).to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
                    .size()
                    .x
            })
            .fold(0.0, f32::max)
    });
    let facts = Facts {
        name_width: name_width.ceil(),
        width: ui.available_width(),
    };
    ui.scope(|ui| {
        ui.spacing_mut().item_spacing.y = 2.0;
        add_contents(&facts, ui)
    })
    .inner
}

impl Facts {
    /// One line: `name`, then what `value` draws in the width left (labels wrap there).
    pub fn row<R>(
        &self,
        ui: &mut egui::Ui,
        name: &str,
        value: impl FnOnce(&mut egui::Ui) -> R,
    ) -> R {
        let value_width = (self.width.min(ui.available_width()) - self.name_width - GAP).max(0.0);
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = GAP;
            ui.allocate_ui_with_layout(
                egui::vec2(self.name_width, 0.0),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_width(self.name_width);
                    if !name.is_empty() {
                        ui.label(name);
                    }
                },
            );
            ui.vertical(|ui| {
                ui.set_max_width(value_width);
                value(ui)
            })
            .inner
        })
        .inner
    }
}
