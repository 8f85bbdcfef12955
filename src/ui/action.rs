//! Every intent the UI can express, in one place. The UI returns these; `App::dispatch` runs
//! them (view changes, reducer calls, runtime commands).

/// A user intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Select a SET by record seq (or clear the selection).
    Select(Option<u64>),
    /// Acknowledge an alert: it leaves the banner.
    Acknowledge(u64),
    /// Select the SET that is an alert's evidence and scroll to it.
    ShowEvidence(u64),
    /// Export the record as JSON Lines (a save dialog asks where).
    Export,
}
