//! The transmitter's keys as the receiver holds them: fetched from the validated `jwks_uri`,
//! fetched again when a SET names a `kid` the receiver does not have (at most once per interval,
//! so a flood of unknown kids cannot make it hammer the transmitter).

use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Mutex, RwLock};

use super::exchange_log::{ExchangeLog, Unchanged};
use crate::core::discovery::TransmitterMetadata;
use crate::core::keys::KeyInfo;
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::core::verify::KeySet;

/// Shortest time between two fetches caused by unknown kids.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(10);

/// Where to fetch the keys again.
struct Source {
    client: reqwest::Client,
    metadata: TransmitterMetadata,
    log: ExchangeLog,
    /// The last JWKS fetched, by hash: an unchanged one is not recorded again.
    seen: Unchanged,
}

/// A stream's key set, refreshed on demand.
pub struct KeyCache {
    keys: RwLock<Arc<KeySet>>,
    source: Option<Source>,
    last_fetch: Mutex<Option<Instant>>,
    interval: Duration,
}

impl KeyCache {
    /// Keys that are never fetched again (tests, files).
    pub fn fixed(keys: KeySet) -> Self {
        Self {
            keys: RwLock::new(Arc::new(keys)),
            source: None,
            last_fetch: Mutex::new(None),
            interval: REFETCH_INTERVAL,
        }
    }

    /// Fetch the transmitter's keys now, and keep where they came from for later refreshes.
    /// The fetch is sent through `log` (the set-up's: its failure is the set-up's evidence);
    /// later fetches go through a clone of it.
    pub async fn fetch(
        client: reqwest::Client,
        metadata: TransmitterMetadata,
        log: &ExchangeLog,
    ) -> anyhow::Result<Self> {
        let seen = Unchanged::default();
        let fetched = super::discovery::fetch_keys(log, &client, &metadata, Some(&seen)).await;
        let keys = match fetched {
            Ok((keys, listed)) => {
                tell(log, Ok(listed)).await;
                keys
            }
            Err(err) => {
                tell(log, Err(&err)).await;
                return Err(err);
            }
        };
        Ok(Self {
            keys: RwLock::new(Arc::new(keys)),
            source: Some(Source {
                client,
                metadata,
                log: log.clone(),
                seen,
            }),
            // Only fetches caused by unknown kids count against the interval.
            last_fetch: Mutex::new(None),
            interval: REFETCH_INTERVAL,
        })
    }

    /// The same, with another refetch interval (tests).
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The keys held now.
    pub fn current(&self) -> Arc<KeySet> {
        Arc::clone(&self.keys.read())
    }

    /// Fetch again if allowed (not within the interval of the last fetch). True when a new set
    /// was fetched; the old one stays if the fetch fails.
    pub async fn refresh(&self) -> bool {
        if self.source.is_none() {
            return false;
        }
        {
            let mut last = self.last_fetch.lock();
            if last.is_some_and(|at| at.elapsed() < self.interval) {
                return false;
            }
            *last = Some(Instant::now());
        }
        self.fetch_again("after an unknown kid").await
    }

    /// Fetch again now (the periodic check that the keys in use are still published).
    pub async fn check(&self) -> bool {
        self.fetch_again("on the periodic check").await
    }

    async fn fetch_again(&self, why: &str) -> bool {
        let Some(source) = &self.source else {
            return false;
        };
        // A log of this fetch's own: a fetch after an unknown kid and the periodic one may
        // run at once, and each tells what its own exchange found.
        let log = source.log.clone();
        let fetched = super::discovery::fetch_keys(
            &log,
            &source.client,
            &source.metadata,
            Some(&source.seen),
        );
        match fetched.await {
            Ok((keys, listed)) => {
                tracing::info!(kids = ?keys.kids(), "signing keys fetched again {why}");
                *self.keys.write() = Arc::new(keys);
                tell(&log, Ok(listed)).await;
                true
            }
            Err(err) => {
                tracing::warn!("fetching the signing keys again {why} failed: {err:#}");
                tell(&log, Err(&err)).await;
                false
            }
        }
    }
}

/// Tell the window (and the watchdog) what the JWKS lists now, or that it could not be
/// fetched, with the fetch's exchange (the last `log` sent).
async fn tell(log: &ExchangeLog, outcome: Result<Vec<KeyInfo>, &anyhow::Error>) {
    let Some(key) = log.stream.clone() else {
        return;
    };
    let at = UnixMillis::now();
    let exchange = log.last_sent();
    let update = match outcome {
        Ok(keys) => Update::Keys {
            key,
            keys,
            at,
            exchange,
        },
        Err(err) => Update::KeysUnreachable {
            key,
            error: format!("{err:#}"),
            at,
            exchange,
        },
    };
    log.updates.send(update).await.ok();
}
