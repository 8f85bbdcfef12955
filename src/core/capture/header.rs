//! The capture's first line: what format it is, who wrote it and when, what was watched (the
//! profiles, secrets removed) and the transmitter's metadata, keys and stream descriptions as
//! fetched, each with its time.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::super::exchange::{Exchange, redact_members};
use super::super::profile::Profile;
use super::super::record::StreamKey;
use super::super::secrets::scrub_json;
use super::super::time::UnixMillis;

/// The format this version writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The header's `kind`.
pub const HEADER_KIND: &str = "capture";

/// What a snapshot is of.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum SnapshotKind {
    /// The transmitter's SSF metadata (`/.well-known/ssf-configuration`).
    Metadata,
    /// Its signing keys (the `jwks_uri` answer).
    Jwks,
    /// A stream's configuration as the transmitter answered it.
    Stream,
}

super::super::vocab::serde_by_name!(SnapshotKind);

/// A document the transmitter answered, as fetched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Metadata, keys or a stream's configuration.
    pub kind: SnapshotKind,
    /// The stream it was fetched for, if any.
    pub stream: Option<StreamKey>,
    /// Where it was fetched.
    pub url: String,
    /// When (RFC 3339, for people and `jq`).
    pub fetched_at: String,
    /// When, in milliseconds since the epoch.
    pub fetched_at_ms: i64,
    /// The exchange that fetched it, by record id.
    pub exchange: u64,
    /// The answer, credentials and known secrets removed.
    pub body: Value,
}

impl Snapshot {
    /// The snapshot an exchange holds: a successful GET of the metadata (a well-known
    /// configuration URL), of a key set (a body with a `keys` array), or of a stream's
    /// configuration (a body with `stream_id` and `delivery`); `None` for any other exchange.
    pub fn from_exchange(exchange: &Exchange) -> Option<Self> {
        if exchange.method != "GET" || !exchange.status.is_some_and(|s| (200..300).contains(&s)) {
            return None;
        }
        let mut body: Value = serde_json::from_str(&exchange.response_body).ok()?;
        let path = exchange.url.split(['?', '#']).next().unwrap_or_default();
        let kind = if path.contains("/.well-known/ssf-configuration")
            || path.contains("/.well-known/sse-configuration")
        {
            SnapshotKind::Metadata
        } else if body.get("keys").is_some_and(Value::is_array) {
            SnapshotKind::Jwks
        } else if body.get("stream_id").is_some() && body.get("delivery").is_some() {
            SnapshotKind::Stream
        } else {
            return None;
        };
        redact_members(&mut body);
        scrub_json(&mut body);
        let mut url = exchange.url.clone();
        super::super::secrets::scrub_string(&mut url);
        Some(Self {
            kind,
            stream: exchange.stream.clone(),
            url,
            fetched_at: exchange.at.rfc3339(),
            fetched_at_ms: exchange.at.0,
            exchange: exchange.id,
            body,
        })
    }

    /// The same document fetched from the same place (a later fetch that changed nothing).
    pub fn same_as(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.stream == other.stream
            && self.url == other.url
            && self.body == other.body
    }
}

/// The first line of a capture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`HEADER_KIND`].
    pub kind: String,
    /// The format version ([`FORMAT_VERSION`] when written by this version).
    pub format: u32,
    /// The version of the app that wrote it.
    pub app_version: String,
    /// When it was saved (RFC 3339).
    pub saved_at: String,
    /// When it was saved, in milliseconds since the epoch.
    pub saved_at_ms: i64,
    /// By what: `ssf-inspector capture` (the command line) or the window.
    pub saved_by: String,
    /// The record it was read from (its file name, not its folder).
    pub source: String,
    /// The filter that chose its SETs; `None` when no filter did.
    pub filter: Option<String>,
    /// What part of the record it holds beyond the filter, in words (an evidence bundle's
    /// span or incident); absent when it holds every SET the filter matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// The transmitter profiles (secrets are references there; any value scrubbed).
    pub profiles: Vec<Value>,
    /// Metadata, keys and stream descriptions as fetched, each change once, oldest first.
    pub snapshots: Vec<Snapshot>,
}

impl Header {
    /// A header for a capture saved now by `saved_by` from `source`.
    pub fn new(saved_by: &str, source: &str, filter: Option<&str>, now: UnixMillis) -> Self {
        Self {
            kind: HEADER_KIND.to_owned(),
            format: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            saved_at: now.rfc3339(),
            saved_at_ms: now.0,
            saved_by: saved_by.to_owned(),
            source: source.to_owned(),
            filter: filter.map(str::to_owned),
            selection: None,
            profiles: Vec::new(),
            snapshots: Vec::new(),
        }
    }

    /// Say what part of the record it holds beyond the filter (a span, an incident).
    pub fn with_selection(mut self, selection: Option<&str>) -> Self {
        self.selection = selection.map(str::to_owned);
        self
    }

    /// Add the profiles: written as saved (secrets are references), credential members
    /// replaced and every known secret value scrubbed all the same.
    pub fn with_profiles(mut self, profiles: &[Profile]) -> Self {
        self.profiles = profiles
            .iter()
            .filter_map(|profile| serde_json::to_value(profile).ok())
            .map(|mut value| {
                redact_members(&mut value);
                scrub_json(&mut value);
                value
            })
            .collect();
        self
    }

    /// Add the snapshot an exchange holds, unless the same document was the last one kept from
    /// that place.
    pub fn add_snapshot(&mut self, exchange: &Exchange) {
        let Some(snapshot) = Snapshot::from_exchange(exchange) else {
            return;
        };
        let last = self.snapshots.iter().rev().find(|kept| {
            kept.kind == snapshot.kind && kept.stream == snapshot.stream && kept.url == snapshot.url
        });
        if !last.is_some_and(|kept| kept.same_as(&snapshot)) {
            self.snapshots.push(snapshot);
        }
    }

    /// The header as one line (no newline).
    pub fn line(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        scrub_json(&mut value);
        value.to_string()
    }
}
