//! The runtime tests on 127.0.0.1: the transmitter, receiving sessions, push, poll, record, profiles.
//! One test binary for the group (issue 22: one binary per file linked the whole library and
//! egui/wgpu 64 times). Each file is a module; the shared helpers are the folders beside.

#[path = "../fixtures/mod.rs"]
mod fixtures;
#[path = "../peer/mod.rs"]
mod peer;
#[path = "../receiving/mod.rs"]
mod receiving;

mod hostile_push;
mod net_cause;
mod push_held_sockets;
mod record_unusable;
mod runtime_audit;
mod runtime_capture;
mod runtime_connection_test;
mod runtime_discovery;
mod runtime_fetch_limits;
mod runtime_history;
mod runtime_no_harm;
mod runtime_opened;
mod runtime_operations;
mod runtime_outbox;
mod runtime_own_files;
mod runtime_paste;
mod runtime_poll_bends;
mod runtime_poll_empty_jti;
mod runtime_poll_host;
mod runtime_profiles;
mod runtime_push;
mod runtime_push_tls;
mod runtime_quirks;
mod runtime_quirks_documents;
mod runtime_quirks_poll;
mod runtime_reading;
mod runtime_record;
mod runtime_redirects;
mod runtime_replay;
mod runtime_retention;
mod runtime_setup;
mod runtime_source;
mod runtime_stop_detection;
mod runtime_tls_rule;
mod transmitter_delivery;
mod transmitter_management;
mod transmitter_quirks;
