//! The right panel for one HTTP exchange: status and timing, then the request and the response
//! (headers and bodies, credentials already replaced by the runtime).

use egui::RichText;

use super::view::ExchangeView;
use super::{Action, theme};

/// Draw the details of the selected exchange.
pub fn exchange_details_ui(
    ui: &mut egui::Ui,
    view: &ExchangeView,
    presenter: bool,
    actions: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    let exchange = &view.exchange;
    ui.horizontal(|ui| {
        ui.heading(format!("{} exchange", exchange.method));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("✖")
                .on_hover_text("Close the details (Esc)")
                .clicked()
            {
                actions.push(Action::SelectExchange(None));
            }
            if ui
                .button("Copy as curl")
                .on_hover_text(
                    "Copy a curl command that sends this request again; credentials are \
                     $SSF_… variables to set, never their values",
                )
                .clicked()
            {
                ui.ctx()
                    .copy_text(crate::core::curl::curl_command(exchange));
            }
        });
    });
    ui.add(egui::Label::new(RichText::new(&exchange.url).monospace()).wrap());
    egui::Grid::new("exchange_facts")
        .num_columns(2)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            ui.label("Status");
            let status = exchange
                .status
                .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
            ui.label(
                RichText::new(status)
                    .strong()
                    .color(theme::http_status(dark, exchange.status)),
            );
            ui.end_row();
            ui.label("At");
            ui.label(exchange.at.rfc3339());
            ui.end_row();
            ui.label("Duration");
            ui.label(format!("{} ms", exchange.duration_millis));
            ui.end_row();
            ui.label("Stream");
            ui.label(exchange.stream.as_ref().map_or("-", |s| s.0.as_str()));
            ui.end_row();
            if exchange.id != 0 {
                ui.label("Record id");
                ui.label(format!("#{}", exchange.id));
                ui.end_row();
            }
            if !view.sets.is_empty() {
                ui.label("SETs carried");
                ui.horizontal_wrapped(|ui| {
                    for seq in &view.sets {
                        if ui
                            .link(format!("#{seq}"))
                            .on_hover_text("Show this SET on the timeline")
                            .clicked()
                        {
                            actions.push(Action::ShowEvidence(*seq));
                        }
                    }
                });
                ui.end_row();
            }
        });
    ui.separator();
    let (request_body, response_body) = if presenter {
        (&view.masked_bodies.0, &view.masked_bodies.1)
    } else {
        (&view.request_body, &view.response_body)
    };
    egui::ScrollArea::vertical()
        .auto_shrink([false; 2])
        .show(ui, |ui| {
            ui.strong("Request");
            headers_ui(ui, "request_headers", &exchange.request_headers);
            body_ui(ui, "Request body", request_body);
            ui.add_space(8.0);
            ui.strong("Response");
            headers_ui(ui, "response_headers", &exchange.response_headers);
            body_ui(ui, "Response body", response_body);
        });
}

fn headers_ui(ui: &mut egui::Ui, id: &str, headers: &[(String, String)]) {
    egui::CollapsingHeader::new(format!("Headers ({})", headers.len()))
        .id_salt(id)
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new(id)
                .num_columns(2)
                .spacing([8.0, 2.0])
                .show(ui, |ui| {
                    for (name, value) in headers {
                        ui.label(RichText::new(name).monospace().strong());
                        ui.add(egui::Label::new(RichText::new(value).monospace()).wrap());
                        ui.end_row();
                    }
                });
        });
}

fn body_ui(ui: &mut egui::Ui, title: &str, body: &str) {
    let label = ui.horizontal(|ui| {
        let label = ui.label(title);
        if body.is_empty() {
            ui.label(RichText::new("(empty)").weak());
        }
        label
    });
    if body.is_empty() {
        return;
    }
    let mut text = body;
    let edit = egui::TextEdit::multiline(&mut text)
        .code_editor()
        .desired_rows(1)
        .desired_width(f32::INFINITY);
    ui.add(edit).labelled_by(label.inner.id);
}
