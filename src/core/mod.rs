//! The inspector's domain model: SET decoding and verification, the event catalogue, subjects,
//! stream state, alert rules and the one reducer. Pure: no egui, no tokio, no reqwest.

pub mod alert_changes;
pub mod alerts;
pub mod audit;
pub mod bundle;
pub mod capture;
pub mod connection_test;
pub mod coverage;
pub mod curl;
pub mod discovery;
pub mod effects;
pub mod events;
pub mod exchange;
pub mod filter;
pub mod host;
pub mod incident_story;
pub mod ingest;
pub mod input;
pub mod jose;
pub mod json;
pub mod key_watch;
pub mod keys;
pub mod lint;
pub mod marker;
pub mod opened;
pub mod opened_info;
pub mod own_action;
mod own_events;
pub mod pasted;
pub mod poll_answer;
pub mod profile;
pub mod profile_stream;
pub mod record;
mod record_events;
pub mod record_health;
pub mod redact;
pub mod refusal;
pub mod remedy;
pub mod replay;
pub mod restore;
pub mod retention;
pub mod secrets;
pub mod session_events;
pub mod set_rules;
pub mod set_summary;
pub mod state;
pub mod stream;
pub mod stream_choice;
pub mod stream_identity;
pub mod stream_op;
pub mod subject;
pub mod subject_history;
pub mod subject_query;
pub mod time;
pub mod timeline;
pub mod tls_rule;
pub mod update;
pub mod verify;
pub mod vocab;
/// The vocabularies' round trips, beside `vocab` rather than in it: the enums they test use
/// `vocab`, so tests inside it made an import circle.
#[cfg(test)]
mod vocab_tests;
pub mod watchdog;
