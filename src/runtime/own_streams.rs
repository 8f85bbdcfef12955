//! Which stream each profile made at which transmitter, remembered beside the profiles
//! (`own-streams.json`, 0600): a stream created with `--no-description` (a transmitter that
//! refuses one) or kept with `--keep-stream` is found again as the receiver's own, by its id,
//! by the next run, the window and the `stream` commands alike.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::core::time::UnixMillis;

const FILE: &str = "own-streams.json";

/// One stream a profile made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnStream {
    /// The profile that made it.
    pub profile: String,
    /// At which transmitter (its issuer).
    pub issuer: String,
    /// Its id there.
    pub stream_id: String,
    /// When it was made (milliseconds since the epoch).
    pub created_at: i64,
}

/// The streams the profiles of one config folder made.
#[derive(Clone, Debug)]
pub struct OwnStreams {
    path: PathBuf,
}

impl OwnStreams {
    /// Remembered in `dir` (the profiles' folder).
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join(FILE),
        }
    }

    fn all(&self) -> anyhow::Result<Vec<OwnStream>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| {
                format!("{} is not a valid own-streams file", self.path.display())
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", self.path.display())),
        }
    }

    fn save(&self, streams: &[OwnStream]) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(streams)?;
        crate::runtime::profiles::write_atomically(&self.path, text.as_bytes())
    }

    /// The stream `profile` made at `issuer` and still remembers, if any.
    pub fn recall(&self, profile: &str, issuer: &str) -> Option<String> {
        let all = self.all().unwrap_or_else(|err| {
            tracing::warn!("{err:#}");
            Vec::new()
        });
        all.into_iter()
            .rev()
            .find(|s| s.profile == profile && s.issuer == issuer)
            .map(|s| s.stream_id)
    }

    /// `profile` made `stream_id` at `issuer` (an earlier memory of it there is replaced).
    pub fn remember(&self, profile: &str, issuer: &str, stream_id: &str) -> anyhow::Result<()> {
        let mut all = self.all()?;
        all.retain(|s| !(s.profile == profile && s.issuer == issuer));
        all.push(OwnStream {
            profile: profile.to_owned(),
            issuer: issuer.to_owned(),
            stream_id: stream_id.to_owned(),
            created_at: UnixMillis::now().0,
        });
        self.save(&all)
    }

    /// `stream_id` is gone (deleted, or found gone): forgotten wherever it is remembered.
    pub fn forget(&self, issuer: &str, stream_id: &str) -> anyhow::Result<()> {
        let mut all = self.all()?;
        let before = all.len();
        all.retain(|s| !(s.issuer == issuer && s.stream_id == stream_id));
        if all.len() == before {
            return Ok(());
        }
        self.save(&all)
    }
}
