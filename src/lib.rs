//! ssf-inspector: watch OpenID Shared Signals streams live, verify and decode their SETs, and
//! raise an unmissable alert when a stream stops telling.
//!
//! Layers: [`core`] is pure domain, [`runtime`] is the tokio side, [`ui`] draws and returns
//! actions; [`app`] ties them into an `eframe::App` ([`restart`] starts its runtime again), [`cli`] runs the same runtime headless.

pub mod app;
pub mod bridge;
pub mod cli;
pub mod core;
pub mod restart;
pub mod runtime;
pub mod ui;
