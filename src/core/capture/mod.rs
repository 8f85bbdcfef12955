//! Capture files, the unit a responder hands over: JSON Lines, first a header line (format
//! version, app version, when and by what saved, profiles and snapshots with secrets removed),
//! then one line per SET, exchange, alert, status change and marker, each with a `kind` member
//! (`jq 'select(.kind=="set")'`). Written a line at a time by whoever reads the record; read a
//! line at a time by [`read::Reader`], which reports a truncated or corrupt line and goes on.

pub mod header;
pub mod keys;
pub mod lines;
pub mod read;
pub mod scope;

pub use header::{FORMAT_VERSION, Header, Snapshot, SnapshotKind};
pub use keys::CaptureKeys;
pub use lines::Item;
pub use read::{OpenError, Problem, Reader};
pub use scope::Scope;
