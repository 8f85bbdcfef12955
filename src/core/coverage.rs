//! Coverage: which ways of noticing that a stream stopped are available for one stream, and why
//! a way is not. SSF makes the status, verification and even configuration endpoints optional,
//! so a transmitter without them degrades what the receiver can tell; it is never a failure.

use serde::Serialize;

/// One way of noticing a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    /// The transmitter's own stream-updated SETs (SSF §8.1.5).
    StreamUpdated,
    /// Reading the status endpoint (SSF §8.1.2).
    StatusReads,
    /// Reading the stream's configuration (narrowed, moved, deleted).
    ConfigReads,
    /// Verification heartbeats (SSF §8.1.4).
    Heartbeat,
    /// No SET for longer than expected.
    Silence,
}

impl Way {
    /// Every way, in the order shown.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// Short name for the stream panel.
    pub fn label(self) -> &'static str {
        match self {
            Self::StreamUpdated => "stream-updated",
            Self::StatusReads => "status reads",
            Self::ConfigReads => "configuration reads",
            Self::Heartbeat => "verification heartbeat",
            Self::Silence => "silence",
        }
    }
}

/// Which ways a stream has: each with `None` when available, or why not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The ways not available, with the reason.
    pub missing: Vec<(Way, String)>,
}

impl Coverage {
    /// Every way available.
    pub fn full() -> Self {
        Self::default()
    }

    /// Mark a way unavailable (the first reason given stays).
    pub fn lack(&mut self, way: Way, why: impl Into<String>) {
        if !self.missing.iter().any(|(w, _)| *w == way) {
            self.missing.push((way, why.into()));
        }
    }

    /// True when `way` is available.
    pub fn has(&self, way: Way) -> bool {
        !self.missing.iter().any(|(w, _)| *w == way)
    }

    /// The ways available.
    pub fn available(&self) -> Vec<Way> {
        Way::ALL.iter().copied().filter(|w| self.has(*w)).collect()
    }

    /// One line: what is watched, then what is not and why.
    pub fn line(&self) -> String {
        let have: Vec<&str> = self.available().into_iter().map(Way::label).collect();
        let mut text = format!("watched by {}", have.join(", "));
        for (way, why) in &self.missing {
            text.push_str(&format!("; no {}: {why}", way.label()));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_way_is_said_with_its_reason() {
        let mut coverage = Coverage::full();
        assert_eq!(coverage.available().len(), 5);
        coverage.lack(Way::StatusReads, "the metadata has no status_endpoint");
        coverage.lack(Way::StatusReads, "said twice");
        assert!(!coverage.has(Way::StatusReads));
        assert_eq!(
            coverage.line(),
            "watched by stream-updated, configuration reads, verification heartbeat, silence; \
             no status reads: the metadata has no status_endpoint"
        );
    }
}
