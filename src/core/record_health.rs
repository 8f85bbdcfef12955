//! Whether SETs reach the durable record, and so whether the receiver may acknowledge them.
//! A push is answered 202 and a polled SET acknowledged only once it is stored; when the record
//! that was asked for cannot be used, nothing is acknowledged until the user chooses memory.

use super::time::UnixMillis;

/// The record as the receiver last found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordHealth {
    /// SETs are committed to this file before they are acknowledged.
    Durable {
        /// The database file.
        path: String,
    },
    /// SETs are kept in memory only: no record was asked for, or the user chose memory after
    /// the record could not be used (`instead_of` names it).
    Memory {
        /// The record that could not be used, when memory was chosen instead of it.
        instead_of: Option<String>,
    },
    /// A record was asked for and cannot be opened. Pushes are answered 503 and polled SETs
    /// are not acknowledged (the transmitter keeps them) until the user chooses memory.
    Unavailable {
        /// The database file.
        path: String,
        /// Why, with what to do.
        reason: String,
    },
    /// A write to the record failed (disk full, a failed commit): SETs are refused (503, no
    /// acknowledgement) until a write succeeds again.
    Failing {
        /// The database file.
        path: String,
        /// The latest failure, with what to do.
        reason: String,
        /// When the first of these failures happened.
        since: UnixMillis,
    },
}

impl RecordHealth {
    /// True when received SETs are refused rather than acknowledged.
    pub fn refuses_sets(&self) -> bool {
        matches!(self, Self::Unavailable { .. } | Self::Failing { .. })
    }

    /// One line for the status bar and `watch`.
    pub fn summary(&self) -> String {
        match self {
            Self::Durable { path } => format!("record: {path}"),
            Self::Memory { instead_of: None } => "record: in memory only".to_owned(),
            Self::Memory {
                instead_of: Some(path),
            } => format!("record: in memory only (chosen instead of {path})"),
            Self::Unavailable { path, reason } => {
                format!("record {path} cannot be used: {reason}")
            }
            Self::Failing { path, reason, .. } => {
                format!("record {path} is failing: {reason}")
            }
        }
    }
}

impl Default for RecordHealth {
    fn default() -> Self {
        Self::Memory { instead_of: None }
    }
}
