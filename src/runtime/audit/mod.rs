//! Running the audit (issue 25) against a profile's transmitter: the metadata (the SSF
//! location first, then the legacy ones, every answer kept), the JWKS it names, then the pure
//! checks of `core::audit` over what came back. Every call is an exchange kept (redacted) and
//! referenced as evidence. Only GETs: nothing is created, changed or deleted at the transmitter.
//!
//! Progress is told step by step to a callback (the window will draw a bar); the cancellation
//! token ends the run between or during calls.

use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::bridge::{no_wake, update_channel};
use crate::core::audit::keys::JwksFetch;
use crate::core::audit::metadata::{Attempt, Fetched};
use crate::core::audit::{self, Report};
use crate::core::discovery::{self, SSF_WELL_KNOWN};
use crate::core::exchange::Exchange;
use crate::core::time::UnixMillis;
use crate::core::tls_rule::check_url;
use crate::core::update::Update;
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::receiver::exchange_log::ExchangeLog;
use crate::runtime::record::RecordStore;

/// The metadata locations tried after SSF's, in order (SSF §7.2.2; SSE ID1).
pub const LEGACY_LOCATIONS: [&str; 2] = ["sse-configuration", "risc-configuration"];

/// What is audited.
#[derive(Clone, Debug)]
pub struct Target {
    /// The profile's name (for the report).
    pub profile: String,
    /// The issuer asked for.
    pub issuer: String,
    /// The profile's metadata URL, tried after the well-known locations.
    pub metadata_url: Option<String>,
    /// The profile allows plain http to other machines.
    pub allow_insecure_http: bool,
}

/// How far the audit is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Steps done.
    pub done: usize,
    /// Steps in all.
    pub of: usize,
    /// What is being done now.
    pub doing: String,
}

/// The steps of this slice: metadata, keys, the checks.
const STEPS: usize = 3;

/// The run ended on the cancellation token; nothing was changed at the transmitter.
#[derive(Debug, thiserror::Error)]
#[error("the audit was cancelled; nothing was changed at the transmitter")]
pub struct Cancelled;

/// The report and the exchanges it refers to (redacted, scrubbed).
pub struct Audited {
    /// The report.
    pub report: Report,
    /// Every exchange of the audit, in order; the report's evidence names them by id.
    pub exchanges: Vec<Exchange>,
}

/// One audit: the client, where its exchanges go, and what it saw.
struct Run<'a> {
    client: &'a reqwest::Client,
    log: ExchangeLog,
    kept: mpsc::Receiver<Update>,
    exchanges: Vec<Exchange>,
    cancel: &'a CancellationToken,
}

/// One GET's answer as the checks read it.
struct Got {
    exchange: u64,
    status: Option<u16>,
    error: Option<String>,
    document: Option<Value>,
}

impl Run<'_> {
    /// GET `url` (JSON asked for), keep the exchange, read the answer.
    async fn get(&mut self, url: &str) -> Result<Got, Cancelled> {
        let request = self
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json");
        let sent = tokio::select! {
            () = self.cancel.cancelled() => return Err(Cancelled),
            sent = self.log.send(self.client, request) => sent,
        };
        self.collect();
        let exchange = self.log.last_sent().unwrap_or_default();
        Ok(match sent {
            Ok(reply) => {
                let document = reply.json::<Value>().ok();
                let error = document
                    .is_none()
                    .then(|| "the body is not JSON".to_owned());
                Got {
                    exchange,
                    status: Some(reply.status.as_u16()),
                    error,
                    document,
                }
            }
            Err(err) => Got {
                exchange,
                status: None,
                error: Some(crate::core::secrets::scrub(&format!("{err:#}")).into_owned()),
                document: None,
            },
        })
    }

    /// Take the exchanges the log has told so far.
    fn collect(&mut self) {
        while let Ok(update) = self.kept.try_recv() {
            if let Update::Exchange(exchange) = update {
                self.exchanges.push((*exchange).clone());
            }
        }
    }

    /// The metadata: SSF's location, then the legacy ones, then the profile's URL, until one
    /// answers with a JSON object.
    async fn metadata(&mut self, target: &Target) -> Result<Fetched, Cancelled> {
        let mut fetched = Fetched {
            issuer: target.issuer.clone(),
            attempts: Vec::new(),
        };
        let mut locations: Vec<(String, String)> = Vec::new();
        for name in std::iter::once(SSF_WELL_KNOWN).chain(LEGACY_LOCATIONS) {
            if let Ok(url) = discovery::well_known_url(&target.issuer, name) {
                locations.push((name.to_owned(), url));
            }
        }
        if let Some(url) = &target.metadata_url {
            locations.push(("profile".to_owned(), url.clone()));
        }
        for (location, url) in locations {
            if let Err(refused) = check_url("metadata URL", &url, target.allow_insecure_http) {
                fetched.attempts.push(Attempt {
                    location,
                    url,
                    exchange: 0,
                    status: None,
                    error: Some(refused.to_string()),
                    document: None,
                });
                continue;
            }
            let got = self.get(&url).await?;
            let attempt = Attempt {
                location,
                url,
                exchange: got.exchange,
                status: got.status,
                error: got.error,
                document: got.document,
            };
            let found = attempt.found().is_some();
            fetched.attempts.push(attempt);
            if found {
                break;
            }
        }
        Ok(fetched)
    }

    /// The JWKS the metadata names (not asked when the TLS rule refuses its URL).
    async fn jwks(&mut self, fetched: &Fetched, target: &Target) -> Result<JwksFetch, Cancelled> {
        let url = fetched
            .found()
            .and_then(|(_, doc)| doc.get("jwks_uri"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(url) = url else {
            return Ok(JwksFetch {
                url: None,
                exchange: 0,
                status: None,
                error: None,
                document: None,
            });
        };
        if let Err(refused) = check_url("jwks_uri", &url, target.allow_insecure_http) {
            return Ok(JwksFetch {
                url: Some(url),
                exchange: 0,
                status: None,
                error: Some(format!("not asked: {refused}")),
                document: None,
            });
        }
        let got = self.get(&url).await?;
        Ok(JwksFetch {
            url: Some(url),
            exchange: got.exchange,
            status: got.status,
            error: got.error,
            document: got.document,
        })
    }
}

/// Audit `target`: its exchanges go to `store` (and come back in [`Audited::exchanges`]);
/// `progress` hears each step; `cancel` ends the run with [`Cancelled`].
pub async fn run(
    store: RecordStore,
    client: &reqwest::Client,
    target: &Target,
    policy: &AlgorithmPolicy,
    mut progress: impl FnMut(Progress),
    cancel: &CancellationToken,
) -> Result<Audited, Cancelled> {
    let (updates, kept) = update_channel(no_wake());
    let mut run = Run {
        client,
        log: ExchangeLog::new(store, updates, None),
        kept,
        exchanges: Vec::new(),
        cancel,
    };
    let mut tell = |done: usize, doing: &str| {
        progress(Progress {
            done,
            of: STEPS,
            doing: doing.to_owned(),
        });
    };
    tell(0, "fetching the metadata");
    let fetched = run.metadata(target).await?;
    tell(1, "fetching the signing keys");
    let jwks = run.jwks(&fetched, target).await?;
    tell(2, "checking");
    run.collect();
    let mut checks = audit::metadata::checks(&fetched);
    checks.extend(audit::keys::checks(&jwks, policy));
    checks.extend(audit::hygiene::checks(&run.exchanges));
    let report = Report::new(&target.issuer, &target.profile, UnixMillis::now(), checks)
        .with_exchanges(&run.exchanges);
    tell(3, "done");
    Ok(Audited {
        report,
        exchanges: run.exchanges,
    })
}
