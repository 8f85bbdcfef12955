//! The domain tests: SET decode and verify, lint, catalogue, filter, reducer, the fuzz corpus, layering.
//! One test binary for the group (issue 22: one binary per file linked the whole library and
//! egui/wgpu 64 times). Each file is a module; the shared helpers are the folders beside.

#[path = "../fixtures/mod.rs"]
mod fixtures;

mod core_algorithms;
mod core_audit;
mod core_bundle;
mod core_capture;
mod core_catalogue;
mod core_effects;
mod core_filter;
mod core_incident_story;
mod core_incidents;
mod core_keys;
mod core_lint;
mod core_no_panic;
mod core_own_actions;
mod core_poll_answer;
mod core_set;
mod core_set_rules;
mod core_spec_examples;
mod core_subject_history;
mod core_timeline;
mod core_watchdog;
mod fuzz_corpus;
mod layering;
