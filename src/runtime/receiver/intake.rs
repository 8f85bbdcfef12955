//! One intake for every delivery method (push, poll, and any later one): a received SET is
//! inspected off the async workers (again with fresh keys after an unknown kid), stored durably,
//! and only then handed to the UI. The caller answers the transmitter from the outcome: accepted
//! (202 / ack), refused (400 / `setErrs`), or not stored (503 / no ack, so it comes again).

use std::sync::Arc;

use crate::bridge::UpdateSender;
use crate::core::exchange::Exchange;
use crate::core::ingest::{Arrival, Expectations};
use crate::core::record::{DeliveryError, SetRecord, Transport};
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::record::{BodyFor, RecordError, RecordStore};

use super::keys::KeyCache;

/// What a stream's intake checks SETs against, and where they go.
pub struct Intake<'a> {
    /// The durable record.
    pub store: &'a RecordStore,
    /// The UI.
    pub updates: &'a UpdateSender,
    /// The stream's keys.
    pub keys: &'a KeyCache,
    /// The algorithms accepted.
    pub policy: &'a AlgorithmPolicy,
    /// Issuer, audience and the stream's SET rules.
    pub expect: &'a Expectations,
    /// The stream's health: told the status a trusted stream-updated SET carries.
    pub health: &'a super::shared::Health,
    /// What other processes of this receiver did to the stream: read before a verification
    /// SET is told, so the one they asked for is expected.
    pub own: Option<&'a crate::runtime::journal::JournalReader>,
}

/// One SET as its delivery method received it.
pub struct Received {
    /// The token (or body) as received.
    pub raw: String,
    /// Where and when.
    pub arrival: Arrival,
    /// The exchange that carried it (none for a delivery method without HTTP).
    pub exchange: Option<u64>,
    /// A refusal the delivery method itself found (push: the media type); it is the answer
    /// whatever inspection concludes, and the SET is still inspected and kept.
    pub refused: Option<DeliveryError>,
}

/// A stored SET, and whether the UI took it (false once the window is gone).
pub struct Stored {
    /// The SET as stored (numbered).
    pub record: Arc<SetRecord>,
    /// The UI was told.
    pub shown: bool,
}

impl Intake<'_> {
    /// Inspect, store, show. An error means the SET is not stored: answer so it comes again.
    pub async fn take(&self, received: Received) -> Result<Stored, RecordError> {
        let record = self.inspect(received).await;
        self.keep(record, None).await
    }

    /// Inspect a received SET (the delivery method's own refusal is its answer): not stored
    /// yet, so its caller can make its answer before [`Self::keep`].
    pub async fn inspect(&self, received: Received) -> SetRecord {
        let Received {
            raw,
            arrival,
            exchange,
            refused,
        } = received;
        let mut record =
            super::inspect::inspect_set(raw, arrival, self.keys, self.policy, self.expect).await;
        record.exchange = exchange;
        if refused.is_some() {
            record.rejection = refused;
        }
        record
    }

    /// Store an inspected SET, with the exchange that carried it in the same commit when
    /// there is one (its request body made by `BodyFor` from the SET's number), then show both.
    /// An error means the SET is not stored: answer so it comes again.
    pub async fn keep(
        &self,
        record: SetRecord,
        carried: Option<(Exchange, BodyFor)>,
    ) -> Result<Stored, RecordError> {
        let (stream, transport) = (record.stream.clone(), record.transport);
        let stored = match carried {
            None => self.store.append(record).await.map(|record| (record, None)),
            Some((exchange, body_for)) => self
                .store
                .append_carried(record, exchange, body_for)
                .await
                .map(|(record, exchange)| (record, Some(exchange))),
        };
        let (record, exchange) = match stored {
            Ok(stored) => stored,
            Err(err) => {
                let consequence = match transport {
                    Transport::Push => "was refused with 503",
                    Transport::Poll | Transport::File => "was not acknowledged",
                };
                let text = format!(
                    "A {} SET on stream {stream} could not be stored and {consequence}: {err}",
                    transport.as_str()
                );
                self.updates.notice(NoticeLevel::Error, text).await;
                return Err(err);
            }
        };
        if let Some((status, _)) = record.told_status() {
            self.health.told(status);
        }
        if let Some(own) = self.own
            && record
                .events
                .iter()
                .any(|e| crate::core::events::is_verification(&e.uri))
        {
            own.tell(self.updates, &stream).await;
        }
        let shown = self
            .updates
            .send(Update::Set(Arc::clone(&record)))
            .await
            .is_ok();
        if let Some(exchange) = exchange {
            self.updates
                .send(Update::Exchange(Arc::new(exchange)))
                .await
                .ok();
        }
        Ok(Stored { record, shown })
    }
}
