//! The receiver's own actions on a stream, told between its processes: `ssf-inspector stream
//! pause` from a terminal while `watch` (or the window) runs on the same profile. Each process
//! writes what it asks before it asks and how it ended after; the others read it, so a change
//! this receiver made is never blamed on the transmitter (nor on "someone").

use serde::{Deserialize, Serialize};

use super::stream::StreamStatus;
use super::time::UnixMillis;

/// What was asked of the transmitter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OwnAction {
    /// A status change (`stream pause|enable|disable`).
    Status {
        /// The status asked for.
        status: StreamStatus,
    },
    /// A verification request with this `state`.
    Verification {
        /// The `state` sent.
        state: String,
    },
    /// The stream was deleted.
    Delete,
}

/// How far an action has gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// About to be sent (written before the request, so its effect is never seen first).
    Asked,
    /// The transmitter accepted it.
    Done,
    /// The transmitter refused it, or did not answer.
    Failed,
}

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnActionEntry {
    /// The profile acted with (the session's key).
    pub profile: String,
    /// The stream acted on (empty for a transmitter without ids).
    pub stream_id: String,
    /// What was asked.
    #[serde(flatten)]
    pub action: OwnAction,
    /// How far it went.
    pub phase: Phase,
    /// Who asked, in words (`stream pause`, the window).
    pub by: String,
    /// The process that asked (its own entries are not read back).
    pub pid: u32,
    /// When.
    pub at: UnixMillis,
}

#[cfg(test)]
mod tests {
    use super::{OwnAction, OwnActionEntry, Phase};
    use crate::core::stream::StreamStatus;
    use crate::core::time::UnixMillis;

    #[test]
    fn an_entry_is_one_json_line_and_reads_back() {
        let entry = OwnActionEntry {
            profile: "okta".to_owned(),
            stream_id: "s1".to_owned(),
            action: OwnAction::Status {
                status: StreamStatus::Paused,
            },
            phase: Phase::Asked,
            by: "stream pause".to_owned(),
            pid: 7,
            at: UnixMillis(1),
        };
        let line = serde_json::to_string(&entry).expect("JSON");
        assert!(
            line.contains(r#""action":"status","status":"paused""#),
            "{line}"
        );
        let back: OwnActionEntry = serde_json::from_str(&line).expect("read back");
        assert_eq!(back, entry);
        let verify: OwnActionEntry = serde_json::from_str(
            r#"{"profile":"p","stream_id":"","action":"verification","state":"x","phase":"done","by":"b","pid":1,"at":2}"#,
        )
        .expect("a verification line");
        assert_eq!(
            verify.action,
            OwnAction::Verification {
                state: "x".to_owned()
            }
        );
    }
}
