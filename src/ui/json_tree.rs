//! A collapsible JSON tree (objects and arrays fold; leaves show their JSON value), with a
//! context menu to copy a value or its JSON pointer.

use serde_json::{Map, Value};

/// Draw the members of a JSON object as a tree. `id_salt` keeps trees of different SETs apart.
pub fn json_object_ui(ui: &mut egui::Ui, id_salt: &str, object: &Map<String, Value>) {
    for (key, value) in object {
        node_ui(ui, id_salt, key, value, &format!("/{}", escape(key)), 0);
    }
}

/// RFC 6901 escaping of one reference token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn node_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    key: &str,
    value: &Value,
    pointer: &str,
    depth: usize,
) {
    match value {
        Value::Object(map) => {
            let title = format!("{key}  {{{}}}", map.len());
            egui::CollapsingHeader::new(title)
                .id_salt((id_salt, pointer))
                .default_open(depth < 3)
                .show(ui, |ui| {
                    for (k, v) in map {
                        node_ui(
                            ui,
                            id_salt,
                            k,
                            v,
                            &format!("{pointer}/{}", escape(k)),
                            depth + 1,
                        );
                    }
                });
        }
        Value::Array(items) => {
            let title = format!("{key}  [{}]", items.len());
            egui::CollapsingHeader::new(title)
                .id_salt((id_salt, pointer))
                .default_open(depth < 3)
                .show(ui, |ui| {
                    for (i, v) in items.iter().enumerate() {
                        node_ui(
                            ui,
                            id_salt,
                            &i.to_string(),
                            v,
                            &format!("{pointer}/{i}"),
                            depth + 1,
                        );
                    }
                });
        }
        leaf => {
            let text = format!("{key}: {leaf}");
            let response = ui.add(egui::Label::new(egui::RichText::new(text).monospace()).wrap());
            response.context_menu(|ui| {
                if ui.button("Copy value").clicked() {
                    let value = leaf
                        .as_str()
                        .map_or_else(|| leaf.to_string(), str::to_owned);
                    ui.ctx().copy_text(value);
                }
                if ui.button("Copy JSON pointer").clicked() {
                    ui.ctx().copy_text(pointer.to_owned());
                }
            });
        }
    }
}
