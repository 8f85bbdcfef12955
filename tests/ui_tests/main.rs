//! The window's tests (egui_kittest), and secrets kept out of every sink.
//! One test binary for the group (issue 22: one binary per file linked the whole library and
//! egui/wgpu 64 times). Each file is a module; the shared helpers are the folders beside.

#[path = "../fixtures/mod.rs"]
mod fixtures;
#[path = "../kit/mod.rs"]
mod kit;
#[path = "../receiving/mod.rs"]
mod receiving;

mod secrets_in_sinks;
mod ui_curl;
mod ui_filters;
mod ui_follow;
mod ui_incident_story;
mod ui_incidents;
mod ui_keys;
mod ui_layout;
mod ui_links;
mod ui_notify;
mod ui_opened;
mod ui_own_actions;
mod ui_paste;
mod ui_presenter;
mod ui_profiles;
mod ui_replay;
mod ui_snapshots;
mod ui_stream_card;
mod ui_streams;
mod ui_subject_history;
mod ui_theme;
mod ui_transmitter;
mod ui_window;
