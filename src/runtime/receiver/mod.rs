//! The receiver side: discovery and keys, the RFC 8935 push endpoint, stream management calls,
//! and the session that ties them together for one stream.

pub mod auth;
pub mod checked;
mod confirm;
pub mod connection_test;
pub mod discovery;
mod established;
pub mod exchange_log;
mod inspect;
mod intake;
pub mod keys;
pub mod management;
pub mod operations;
pub mod paste_keys;
pub mod poll;
mod poll_source;
pub mod push;
mod push_answer;
mod push_checks;
pub mod push_guard;
pub mod push_refused;
mod push_serve;
mod push_source;
mod push_tls;
pub mod session;
mod session_config;
mod session_urls;
mod setup;
mod setup_create;
mod setup_plan;
mod shared;
pub mod source;
mod start;
mod undo;
mod upkeep;
