//! Receiver markers: when the receiver started and stopped watching a stream. The timeline shows
//! them so a gap in coverage is seen as a gap, never read as a transmitter that had nothing to say.

use super::record::StreamKey;
use super::time::UnixMillis;

/// What happened to the receiver; its name is the one kept in the record.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum MarkerKind {
    /// The receiver started watching the stream.
    #[strum(serialize = "receiver_started")]
    Started,
    /// The receiver stopped watching it (the profile was stopped, or the app quit).
    #[strum(serialize = "receiver_stopped")]
    Stopped,
    /// The receiver ended without stopping (the app was killed or crashed): found at the next
    /// start, placed at the last thing recorded for the stream.
    #[strum(serialize = "receiver_lost")]
    Lost,
}

impl MarkerKind {
    /// The name kept in the record.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind for a stored name (`None` for a name this version does not know).
    pub fn parse(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    /// A short title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Started => "Receiver started",
            Self::Stopped => "Receiver stopped",
            Self::Lost => "Receiver lost (quit or crash)",
        }
    }

    /// What it means for coverage.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Started => "watching from here",
            Self::Stopped | Self::Lost => {
                "nothing was received from here until the receiver started again: this is a gap in coverage, not transmitter silence"
            }
        }
    }

    /// Title and meaning in one sentence.
    pub fn describe(self) -> String {
        format!("{}: {}", self.title(), self.meaning())
    }

    /// True when coverage ends here.
    pub fn ends_coverage(self) -> bool {
        !matches!(self, Self::Started)
    }
}

/// One marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// Stream.
    pub stream: StreamKey,
    /// What happened.
    pub kind: MarkerKind,
    /// When.
    pub at: UnixMillis,
}
