//! `Source`: one delivery method (RFC 8935 push, RFC 8936 poll, or any other), as set-up sees
//! it. Set-up asks it the `delivery` member to ask the transmitter for, where the stream's
//! SETs then come from and whether they reach this receiver, what it cannot watch, and to start
//! receiving; it never asks which method it is. Every source hands what it receives to the one
//! intake (`Intake::take`), which inspects, stores and shows it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::exchange_log::ExchangeLog;
pub use super::intake::{Intake, Received, Stored};
use super::keys::KeyCache;
use super::push::PushFault;
pub use super::push_serve::TlsRefusals;
pub use super::session_config::SessionConfig;
pub use super::shared::{Health, SessionDeps};
use crate::core::coverage::Coverage;
use crate::core::discovery::TransmitterMetadata;
use crate::core::ingest::Expectations;
use crate::core::record::Transport;
use crate::core::tls_rule::NoTls;
use crate::runtime::journal::JournalReader;

/// A future a source returns (sources are used as `Box<dyn Source>`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a source is given at set-up: the session's parts, as far as set-up has them.
pub struct Setting<'a> {
    /// The session's configuration.
    pub config: &'a SessionConfig,
    /// Client, record, UI.
    pub deps: &'a SessionDeps,
    /// Fires when the session stops: whatever the source started ends with it.
    pub cancel: &'a CancellationToken,
    /// The session's exchange log.
    pub log: &'a ExchangeLog,
    /// The transmitter's metadata.
    pub metadata: &'a TransmitterMetadata,
    /// The stream's keys.
    pub keys: &'a Arc<KeyCache>,
    /// Issuer, audience (the profile's, until the stream names its own) and SET rules.
    pub expect: &'a Expectations,
    /// How delivery is going, and the status the transmitter last told.
    pub health: &'a Arc<Health>,
    /// What other processes of this receiver do to the stream.
    pub own: Option<&'a Arc<JournalReader>>,
}

/// Where a stream's SETs come from, once its configuration is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reach {
    /// Where they come from, as shown (the push endpoint, the poll URL).
    pub endpoint: String,
    /// The stream's delivery reaches this receiver (an attached push stream may deliver to
    /// another receiver: then no verification is asked of it).
    pub delivers_here: bool,
}

/// One delivery method of a session.
pub trait Source: Send + Sync {
    /// How its SETs arrive, as recorded and shown.
    fn transport(&self) -> Transport;

    /// Before the stream is found or made: open what receives (push opens its endpoint, so the
    /// transmitter can deliver as soon as the stream exists), and say the `delivery` member to
    /// ask the transmitter for.
    fn open<'a>(&'a mut self, at: &'a Setting<'a>) -> BoxFuture<'a, anyhow::Result<Value>>;

    /// TLS handshakes refused while the stream was made (a transmitter that does not trust
    /// the push endpoint's certificate), for the words of a refused create.
    fn tls_refusals(&self) -> Option<Arc<TlsRefusals>> {
        None
    }

    /// The stream's configuration is known (`stream` as the transmitter has it, `audience` the
    /// one its SETs must carry): where its SETs come from and whether they reach this receiver.
    /// An error ends set-up (a poll stream without a poll URL); `no_tls` is told each URL the
    /// source will call over plain http.
    fn reach<'a>(
        &'a mut self,
        at: &'a Setting<'a>,
        stream: &'a Value,
        audience: Option<&'a str>,
        no_tls: &'a mut Vec<NoTls>,
    ) -> BoxFuture<'a, anyhow::Result<Reach>>;

    /// What this source cannot watch, said in the coverage (nothing by default).
    fn limit_coverage(&self, _coverage: &mut Coverage) {}

    /// Start receiving, until `at.cancel` fires (push already receives since `open`).
    fn start(&mut self, at: &Setting<'_>);

    /// Make the push endpoint answer with a fault; false when this source has none.
    fn set_push_fault(&self, _fault: PushFault) -> bool {
        false
    }
}
