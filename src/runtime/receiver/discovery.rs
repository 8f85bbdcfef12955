//! Fetch and validate transmitter metadata (SSF §7.2) and its JWKS.

use anyhow::Context as _;
use serde_json::Value;

use crate::core::discovery::{self, DiscoveryError, SSF_WELL_KNOWN, TransmitterMetadata};
use crate::core::keys::KeyInfo;
use crate::core::verify::KeySet;

use super::exchange_log::{ExchangeLog, Reading, Unchanged};

/// GET a JSON document, with an error that names the URL and the status.
pub async fn get_json(
    log: &ExchangeLog,
    client: &reqwest::Client,
    url: &str,
) -> anyhow::Result<Value> {
    get_json_reading(log, client, url, Reading::default()).await
}

/// [`get_json`], reading the answer as `reading` says.
async fn get_json_reading(
    log: &ExchangeLog,
    client: &reqwest::Client,
    url: &str,
    reading: Reading<'_>,
) -> anyhow::Result<Value> {
    let request = client
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json");
    let reply = log.send_reading(client, request, reading).await?;
    if !reply.status.is_success() {
        anyhow::bail!("GET {url} answered HTTP {}", reply.status);
    }
    reply
        .json()
        .with_context(|| format!("GET {url} did not return JSON"))
}

/// Fetch the SSF metadata of `issuer` (from `metadata_url` when the transmitter serves it
/// elsewhere) and check its `issuer` member (exact match). When the SSF location answers 404,
/// the older `sse-configuration` and `risc-configuration` locations are tried; the second value
/// names the legacy location used.
pub async fn fetch_metadata(
    log: &ExchangeLog,
    client: &reqwest::Client,
    issuer: &str,
    metadata_url: Option<&str>,
) -> anyhow::Result<(TransmitterMetadata, Option<&'static str>)> {
    if let Some(url) = metadata_url {
        let document = get_json(log, client, url).await?;
        return Ok((parse(issuer, document, url)?, None));
    }
    let mut tried = Vec::new();
    for (name, legacy) in [
        (SSF_WELL_KNOWN, None),
        ("sse-configuration", Some("sse-configuration")),
        ("risc-configuration", Some("risc-configuration")),
    ] {
        let url = discovery::well_known_url(issuer, name)?;
        let request = client
            .get(&url)
            .header(reqwest::header::ACCEPT, "application/json");
        let reply = log.send(client, request).await?;
        if reply.status == reqwest::StatusCode::NOT_FOUND {
            tried.push(url);
            continue;
        }
        if !reply.status.is_success() {
            anyhow::bail!("GET {url} answered HTTP {}", reply.status);
        }
        let document = reply
            .json()
            .with_context(|| format!("GET {url} did not return JSON"))?;
        return Ok((parse(issuer, document, &url)?, legacy));
    }
    anyhow::bail!(
        "no transmitter metadata at {}: check the issuer URL, or give the metadata URL in the profile",
        tried.join(", ")
    )
}

/// Validate metadata fetched from `url`; an issuer mismatch ends with the profile that would
/// match it (the metadata's issuer, and the URL it came from).
fn parse(issuer: &str, document: Value, url: &str) -> anyhow::Result<TransmitterMetadata> {
    discovery::parse_metadata(issuer, document).map_err(|err| match &err {
        DiscoveryError::IssuerMismatch { found, .. } => anyhow::anyhow!(
            "{err}; if the transmitter's issuer is \"{found}\", save the profile with it: \
             ssf-inspector profile add … --issuer {found} --metadata-url {url}"
        ),
        DiscoveryError::BadIssuer(_) | DiscoveryError::BadDocument(_) => err.into(),
    })
}

/// Fetch the JWKS named by the metadata: the keys, and what it lists (for the window). With
/// `unchanged`, a JWKS the same as the one fetched before is recorded by its hash, not copied.
pub async fn fetch_keys(
    log: &ExchangeLog,
    client: &reqwest::Client,
    metadata: &TransmitterMetadata,
    unchanged: Option<&Unchanged>,
) -> anyhow::Result<(KeySet, Vec<KeyInfo>)> {
    let Some(jwks_uri) = &metadata.jwks_uri else {
        anyhow::bail!("the transmitter metadata has no jwks_uri, so no SET can be verified");
    };
    let reading = Reading {
        unchanged,
        ..Reading::default()
    };
    let document = get_json_reading(log, client, jwks_uri, reading).await?;
    let keys = KeySet::from_jwks(&document).with_context(|| format!("JWKS at {jwks_uri}"))?;
    for skipped in &keys.skipped {
        tracing::warn!("JWKS {jwks_uri}: {skipped}");
    }
    Ok((keys, crate::core::keys::describe_jwks(&document)))
}
