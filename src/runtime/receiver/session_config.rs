//! What a session needs to know (secrets already resolved) and how it watches its stream.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::auth::Auth;
use crate::core::profile::{DeliveryMode, ProfileWatch, SetupOptions, StreamSetup};
use crate::core::record::StreamKey;

/// What a session needs to know (secrets already resolved).
#[derive(Clone)]
pub struct SessionConfig {
    /// Local stream name.
    pub key: StreamKey,
    /// Label for the screen.
    pub label: String,
    /// Transmitter issuer URL.
    pub issuer: String,
    /// Metadata URL when not at the well-known location.
    pub metadata_url: Option<String>,
    /// Management bearer token (never logged).
    pub auth: Arc<Auth>,
    /// Push or poll.
    pub delivery: DeliveryMode,
    /// Push: where the listener binds (port 0 for any free port).
    pub listen: SocketAddr,
    /// Push: the Authorization value the transmitter must send (random when `None`).
    pub push_authorization: Option<String>,
    /// Audience to expect when the transmitter assigns none.
    pub audience: Option<String>,
    /// Event types to ask for.
    pub events_requested: Vec<String>,
    /// Allow a plain-http issuer on another machine.
    pub allow_insecure_http: bool,
    /// Which broken MUSTs of a SET are refused or only flagged.
    pub rules: crate::core::set_rules::SetRules,
    /// On stop, leave the transmitter as found (delete a created stream, restore a changed one).
    pub leave_as_found: bool,
    /// How the stream is watched when the transmitter does not tell.
    pub watch: WatchSettings,
    /// How the stream is found, created, attached to, or provisioned out of band.
    pub stream: StreamSetup,
    /// Ways to bend stream set-up (extra create members, poll URL, push path and TLS).
    pub setup: SetupOptions,
    /// The profiles' folder, where the streams profiles made are remembered and the journal of
    /// the receiver's own actions is kept (`None`: neither, as for the demo).
    pub profile_dir: Option<std::path::PathBuf>,
}

/// Intervals of the stream watch (status reads, verification heartbeats) and its thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WatchSettings {
    /// Read the stream status this often.
    pub status_interval: Duration,
    /// Request a verification SET this often (never more often than `min_verification_interval`).
    pub verification_interval: Duration,
    /// A requested verification SET must arrive within this time.
    pub verification_timeout: Duration,
    /// Alert when no SET came for this long (`None`: learn it from the traffic).
    pub silence_after: Option<Duration>,
    /// Poll: the wait after an empty answer that came at once.
    pub poll_interval: Duration,
}

impl Default for WatchSettings {
    fn default() -> Self {
        Self {
            status_interval: Duration::from_secs(60),
            verification_interval: Duration::from_secs(120),
            verification_timeout: Duration::from_secs(60),
            // Learned from the stream's own cadence (see core::stream::StreamState).
            silence_after: None,
            poll_interval: Duration::from_secs(5),
        }
    }
}

impl From<&ProfileWatch> for WatchSettings {
    /// A profile's watch section (checked by `Profile::check`) as durations.
    fn from(watch: &ProfileWatch) -> Self {
        Self {
            status_interval: Duration::from_secs(watch.status_every_secs),
            verification_interval: Duration::from_secs(watch.heartbeat_every_secs),
            verification_timeout: Duration::from_secs(watch.heartbeat_timeout_secs),
            silence_after: watch.silent_after_secs.map(Duration::from_secs),
            poll_interval: Duration::from_secs(watch.poll_every_secs),
        }
    }
}

impl std::fmt::Debug for SessionConfig {
    /// Tokens are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionConfig")
            .field("key", &self.key)
            .field("issuer", &self.issuer)
            .field("delivery", &self.delivery)
            .field("listen", &self.listen)
            .field("auth", &self.auth)
            .field("watch", &self.watch)
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_profile_watch_is_the_default_session_watch() {
        assert_eq!(
            WatchSettings::from(&ProfileWatch::default()),
            WatchSettings::default()
        );
        let set = ProfileWatch {
            silent_after_secs: Some(90),
            ..ProfileWatch::default()
        };
        assert_eq!(
            WatchSettings::from(&set).silence_after,
            Some(Duration::from_secs(90))
        );
    }
}
