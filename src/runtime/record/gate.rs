//! The record's health, shared by every handle on one store: whether SETs may be stored (and
//! so acknowledged), and the latest write failure. Changes are watched by the runtime, which
//! tells the window and `watch`.

use tokio::sync::watch;

use super::RecordError;
use crate::core::record_health::RecordHealth;
use crate::core::time::UnixMillis;

/// One store's health, behind every clone of its handle.
pub(super) struct Gate {
    /// The database file as shown, or "memory".
    place: String,
    /// Changed only inside `send_if_modified`, which holds the value's lock.
    health: watch::Sender<RecordHealth>,
}

impl Gate {
    /// A record on disk, usable.
    pub(super) fn durable(path: String) -> Self {
        Self::with(path.clone(), RecordHealth::Durable { path })
    }

    /// An in-memory record, usable.
    pub(super) fn memory() -> Self {
        Self::with("memory".to_owned(), RecordHealth::default())
    }

    /// A record that was asked for and could not be opened: SETs are refused.
    pub(super) fn unavailable(path: String, reason: String) -> Self {
        Self::with(path.clone(), RecordHealth::Unavailable { path, reason })
    }

    fn with(place: String, health: RecordHealth) -> Self {
        Self {
            place,
            health: watch::Sender::new(health),
        }
    }

    /// Follow the health (the current value is marked seen).
    pub(super) fn watch(&self) -> watch::Receiver<RecordHealth> {
        let mut receiver = self.health.subscribe();
        receiver.mark_unchanged();
        receiver
    }

    /// The health now.
    pub(super) fn now(&self) -> RecordHealth {
        self.health.borrow().clone()
    }

    /// Why a SET may not be stored now: only while the asked-for record is unavailable (a
    /// failing record is still tried, so that it recovers by itself).
    pub(super) fn refusal(&self) -> Option<RecordError> {
        match &*self.health.borrow() {
            RecordHealth::Unavailable { reason, .. } => {
                Some(RecordError::Unavailable(reason.clone()))
            }
            _ => None,
        }
    }

    /// Note a write's outcome: a failure (other than the writer having stopped) makes the
    /// record failing; a success after failures makes it durable again.
    pub(super) fn observe<T>(&self, result: &Result<T, RecordError>) {
        match result {
            Ok(_) => {
                self.health.send_if_modified(|health| {
                    if matches!(health, RecordHealth::Failing { .. }) {
                        *health = RecordHealth::Durable {
                            path: self.place.clone(),
                        };
                        return true;
                    }
                    false
                });
            }
            Err(RecordError::Closed | RecordError::Unavailable(_)) => {}
            Err(err) => {
                let reason = err.to_string();
                self.health.send_if_modified(|health| match health {
                    RecordHealth::Failing { reason: was, .. } if *was == reason => false,
                    RecordHealth::Failing { reason: was, .. } => {
                        *was = reason;
                        true
                    }
                    RecordHealth::Unavailable { .. } => false,
                    RecordHealth::Durable { .. } | RecordHealth::Memory { .. } => {
                        *health = RecordHealth::Failing {
                            path: self.place.clone(),
                            reason,
                            since: UnixMillis::now(),
                        };
                        true
                    }
                });
            }
        }
    }

    /// The user chose to keep SETs in memory instead of the unavailable record.
    pub(super) fn choose_memory(&self) -> bool {
        self.health.send_if_modified(|health| {
            if let RecordHealth::Unavailable { path, .. } = health {
                *health = RecordHealth::Memory {
                    instead_of: Some(path.clone()),
                };
                return true;
            }
            false
        })
    }
}
