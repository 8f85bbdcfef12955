//! The TLS rule (`core::tls_rule`) applied to every URL a session calls, before it calls it:
//! the profile's (issuer, metadata URL, token endpoint, poll URL) before discovery, the
//! metadata's (`jwks_uri` and endpoints) before keys are fetched, the stream's poll endpoint
//! before the first poll. The plain-http ones that are accepted are listed, one per URL.

use super::auth::Auth;
use super::session_config::SessionConfig;
use crate::core::discovery::TransmitterMetadata;
use crate::core::tls_rule::{self, NoTls, UrlRefused};

/// The profile's URLs, checked; the accepted plain-http ones.
pub(super) fn before_discovery(config: &SessionConfig) -> Result<Vec<NoTls>, UrlRefused> {
    let mut urls = vec![("issuer", config.issuer.as_str())];
    if let Some(url) = &config.metadata_url {
        urls.push(("metadata URL", url));
    }
    if let Auth::ClientCredentials(source) = &*config.auth {
        urls.push(("token endpoint", &source.token_endpoint));
    }
    if let Some(url) = &config.setup.poll_url {
        urls.push(("poll URL", url));
    }
    tls_rule::check_urls(urls, config.allow_insecure_http)
}

/// The metadata's URLs, checked; accepted plain-http ones are added to `plain`.
pub(super) fn of_metadata(
    config: &SessionConfig,
    metadata: &TransmitterMetadata,
    plain: &mut Vec<NoTls>,
) -> Result<(), UrlRefused> {
    let found = tls_rule::check_urls(
        tls_rule::metadata_urls(metadata),
        config.allow_insecure_http,
    )?;
    add(plain, found);
    Ok(())
}

/// The poll endpoint the stream names, checked; added to `plain` when plain http.
pub(super) fn of_poll_endpoint(
    config: &SessionConfig,
    endpoint: &str,
    plain: &mut Vec<NoTls>,
) -> Result<(), UrlRefused> {
    let found = tls_rule::check_url("poll endpoint", endpoint, config.allow_insecure_http)?;
    add(plain, found);
    Ok(())
}

/// Add what is not listed yet (the same URL under two names is listed once).
fn add(plain: &mut Vec<NoTls>, found: impl IntoIterator<Item = NoTls>) {
    for no_tls in found {
        if !plain.iter().any(|p| p.url == no_tls.url) {
            plain.push(no_tls);
        }
    }
}
