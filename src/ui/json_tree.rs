//! A collapsible JSON tree (objects and arrays fold; leaves show their JSON value), with a
//! context menu to copy a value or its JSON pointer. Time claims in seconds since the epoch
//! (`iat`, `exp`, `event_timestamp`, …) also show their date and how long ago it is.

use serde_json::{Map, Value};

use crate::core::time::{UnixMillis, human_duration};

/// Members whose number is a time in seconds since the epoch (RFC 7519, RFC 8417, CAEP).
const TIME_MEMBERS: [&str; 6] = ["iat", "exp", "nbf", "toe", "event_timestamp", "auth_time"];

/// Draw the members of a JSON object as a tree. `id_salt` keeps trees of different SETs apart;
/// `now` is what time claims are told against.
pub fn json_object_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    object: &Map<String, Value>,
    now: UnixMillis,
) {
    let tree = Tree { id_salt, now };
    for (key, value) in object {
        tree.node_ui(ui, key, value, &format!("/{}", escape(key)), 0);
    }
}

/// The date and the distance from `now` of a time claim, when `key` names one and its value is
/// a plausible number of seconds (years 2001 to 5138).
pub fn time_claim(key: &str, value: &Value, now: UnixMillis) -> Option<String> {
    if !TIME_MEMBERS.contains(&key) {
        return None;
    }
    let secs = value
        .as_i64()
        .filter(|s| (1_000_000_000..100_000_000_000).contains(s))?;
    let at = UnixMillis::from_secs(secs);
    let apart = now.millis_since(at);
    let when = if apart >= 0 {
        format!("{} ago", human_duration(apart))
    } else {
        format!("in {}", human_duration(-apart))
    };
    Some(format!(
        "{} UTC, {when}",
        at.rfc3339().trim_end_matches('Z')
    ))
}

struct Tree<'a> {
    id_salt: &'a str,
    now: UnixMillis,
}

/// RFC 6901 escaping of one reference token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

impl Tree<'_> {
    fn node_ui(&self, ui: &mut egui::Ui, key: &str, value: &Value, pointer: &str, depth: usize) {
        let id_salt = self.id_salt;
        match value {
            Value::Object(map) => {
                let title = format!("{key}  {{{}}}", map.len());
                egui::CollapsingHeader::new(title)
                    .id_salt((id_salt, pointer))
                    .default_open(depth < 3)
                    .show(ui, |ui| {
                        for (k, v) in map {
                            self.node_ui(ui, k, v, &format!("{pointer}/{}", escape(k)), depth + 1);
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
                            self.node_ui(
                                ui,
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
                let response =
                    ui.add(egui::Label::new(egui::RichText::new(text).monospace()).wrap());
                if let Some(date) = time_claim(key, leaf, self.now) {
                    ui.label(egui::RichText::new(date).weak().small());
                }
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
}
