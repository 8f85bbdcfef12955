//! The keys a paste is verified with (the window's *Decode*): a profile's transmitter metadata
//! and JWKS read as a session would read them (the TLS rule first, the exchanges logged), and
//! what its SETs are expected to say (issuer, audience, rules). Nothing else is asked.

use crate::core::ingest::Expectations;
use crate::core::pasted::PastedKeys;
use crate::core::verify::KeySet;

use super::exchange_log::ExchangeLog;
use super::session_config::SessionConfig;
use super::{discovery, session_urls};

/// The keys, the expectations and how to say which keys they are; or why there are none.
pub async fn read(
    config: &SessionConfig,
    client: &reqwest::Client,
    log: &ExchangeLog,
) -> Result<(KeySet, Expectations, PastedKeys), String> {
    let mut no_tls = session_urls::before_discovery(config).map_err(|e| format!("{e}"))?;
    let (metadata, _) =
        discovery::fetch_metadata(log, client, &config.issuer, config.metadata_url.as_deref())
            .await
            .map_err(|e| format!("{e:#}"))?;
    session_urls::of_metadata(config, &metadata, &mut no_tls).map_err(|e| format!("{e}"))?;
    let (keys, listed) = discovery::fetch_keys(log, client, &metadata, None)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let expect = Expectations {
        issuer: Some(metadata.issuer.clone()),
        audience: config.audience.clone(),
        rules: config.rules,
    };
    let used = PastedKeys::Profile {
        name: config.label.clone(),
        issuer: metadata.issuer,
        kids: listed.into_iter().map(|k| k.kid).collect(),
    };
    Ok((keys, expect, used))
}
