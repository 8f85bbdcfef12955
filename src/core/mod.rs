//! The inspector's domain model: SET decoding and verification, the event catalogue, subjects,
//! stream state, alert rules and the one reducer. Pure: no egui, no tokio, no reqwest.

pub mod alerts;
pub mod coverage;
pub mod discovery;
pub mod events;
pub mod exchange;
pub mod filter;
pub mod host;
pub mod ingest;
pub mod input;
pub mod jose;
pub mod json;
pub mod key_watch;
pub mod keys;
pub mod lint;
pub mod marker;
pub mod poll_answer;
pub mod profile;
pub mod profile_stream;
pub mod record;
mod record_events;
pub mod record_health;
pub mod restore;
pub mod retention;
pub mod secrets;
pub mod session_events;
pub mod set_rules;
pub mod state;
pub mod status_ledger;
pub mod stream;
pub mod subject;
pub mod time;
pub mod timeline;
pub mod tls_rule;
pub mod update;
pub mod verify;
pub mod watchdog;
