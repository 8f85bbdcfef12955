//! What stream set-up works with: what the session wants of its stream, what it found or made
//! there, what to undo on stop, and the words of a set-up the receiver declined.

use std::sync::Arc;

use serde_json::Value;

use super::push_serve::TlsRefusals;
use crate::core::profile::{SetupOptions, StreamSetup};

/// The receiver declined to set the stream up, so as not to harm a stream it did not make.
#[derive(Debug)]
pub(super) struct Declined(pub(super) String);

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Declined {}

/// Decline with this text.
pub(super) fn declined(text: String) -> anyhow::Error {
    Declined(text).into()
}

/// A create that failed, after which streams listed before it were no longer listed: the
/// failed create took them away (solarssk/ssf-transmitter drops its one stream before a create
/// it then fails).
#[derive(Debug)]
pub(super) struct TookStreams {
    /// The streams no longer listed (`id (description)`).
    pub(super) vanished: Vec<String>,
    /// The create's exchange, the evidence.
    pub(super) exchange: Option<u64>,
    /// Why the create failed, with what to change.
    pub(super) cause: anyhow::Error,
}

impl std::fmt::Display for TookStreams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:#}; and the transmitter no longer lists {}, which it listed before this create: the failed create took {} away",
            self.cause,
            self.vanished.join(", "),
            if self.vanished.len() == 1 {
                "it"
            } else {
                "them"
            }
        )
    }
}

impl std::error::Error for TookStreams {}

/// How a changed configuration is put back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RestoreBy {
    /// PATCH of the receiver-supplied members.
    Patch,
    /// PUT of the whole receiver-supplied configuration.
    Put,
    /// POST to the configuration endpoint: a transmitter with one configuration per token
    /// updates it so (the pre-2023 drafts).
    Post,
}

/// What to undo when the session stops.
pub(super) enum Undo {
    /// Nothing: the words say what is left at the transmitter and why.
    Nothing(String),
    /// This run created the stream with this id (not listed before): delete it, once the
    /// transmitter's answer says it still has it, delivering to `delivers_to`.
    Delete {
        /// The stream.
        stream_id: String,
        /// Where it delivers as created (push: this run's endpoint).
        delivers_to: Option<String>,
    },
    /// This run changed a configuration it did not create: put back what it read before.
    Restore {
        /// The configuration as read before the change.
        previous: Value,
        /// How.
        by: RestoreBy,
    },
}

/// The stream the session receives from.
pub(super) struct Found {
    /// Its configuration as the transmitter answered.
    pub(super) config: Value,
    /// What to undo on stop.
    pub(super) undo: Undo,
    /// What was done to get it, in words (for the status bar and `watch`).
    pub(super) done: String,
    /// Streams that vanished when this run created its own (`id (description)`).
    pub(super) replaced: Vec<String>,
    /// The create's exchange, the evidence of a replacement.
    pub(super) create_exchange: Option<u64>,
}

impl Found {
    /// A stream provisioned out of band, received from without a management call.
    pub(super) fn listened_only(delivery: &Value) -> Self {
        Self {
            config: serde_json::json!({"delivery": delivery}),
            undo: Undo::Nothing(
                "listened only: the stream was provisioned out of band and is left as it is"
                    .to_owned(),
            ),
            done: "listening only: no management call is made".to_owned(),
            replaced: Vec::new(),
            create_exchange: None,
        }
    }
}

/// What the session wants of its stream.
pub(super) struct Want<'a> {
    /// How to get it.
    pub(super) setup: &'a StreamSetup,
    /// How to bend the create.
    pub(super) options: &'a SetupOptions,
    /// The delivery to ask for (push: our endpoint; poll: the method alone).
    pub(super) delivery: Value,
    /// The event types the profile asks for (empty: what the transmitter lists).
    pub(super) events: Vec<String>,
    /// The event types the metadata says the transmitter supports (may be empty).
    pub(super) supported: Vec<String>,
    /// The receiver's own description.
    pub(super) description: String,
    /// The id of the stream this profile made at this transmitter, as remembered.
    pub(super) remembered: Option<String>,
    /// Over TLS: the push listener's failed handshakes (linked to a create that fails).
    pub(super) tls_refusals: Option<Arc<TlsRefusals>>,
}
