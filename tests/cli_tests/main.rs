//! The command line tests, running the real binary.
//! One test binary for the group (issue 22: one binary per file linked the whole library and
//! egui/wgpu 64 times). Each file is a module; the shared helpers are the folders beside.

#[path = "../cli_kit/mod.rs"]
mod cli_kit;
#[path = "../fixtures/mod.rs"]
mod fixtures;

mod cli_audit;
mod cli_capture;
mod cli_decode;
mod cli_export;
mod cli_no_harm;
mod cli_query;
mod cli_stream;
mod cli_watch;
