//! How the receiver authorizes its calls to the transmitter: nothing, a static bearer token, or
//! OAuth 2.0 client credentials (RFC 6749 §4.4) with the token cached and fetched again a
//! minute before it expires.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use parking_lot::Mutex;
use serde_json::Value;

use super::exchange_log::ExchangeLog;

/// Fetch a new token this long before the old one expires.
const EARLY: Duration = Duration::from_secs(60);

/// Management authorization, resolved (secrets in memory only).
pub enum Auth {
    /// No Authorization header.
    None,
    /// A static bearer token.
    Bearer(String),
    /// OAuth client credentials.
    ClientCredentials(TokenSource),
}

impl std::fmt::Debug for Auth {
    /// Never prints a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Self::ClientCredentials(source) => write!(f, "ClientCredentials({})", source.client_id),
        }
    }
}

impl Auth {
    /// The bearer token to send now, fetching one when needed.
    pub async fn token(
        &self,
        client: &reqwest::Client,
        log: &ExchangeLog,
    ) -> anyhow::Result<Option<String>> {
        match self {
            Self::None => Ok(None),
            Self::Bearer(token) => Ok(Some(token.clone())),
            Self::ClientCredentials(source) => source.token(client, log).await.map(Some),
        }
    }
}

/// An OAuth 2.0 client-credentials token source.
pub struct TokenSource {
    /// Token endpoint URL.
    pub token_endpoint: String,
    /// Client id.
    pub client_id: String,
    client_secret: String,
    /// Scopes asked for.
    pub scopes: Vec<String>,
    cached: Mutex<Option<(String, Instant)>>,
}

impl TokenSource {
    /// A token source (nothing is fetched until a token is needed).
    pub fn new(
        token_endpoint: String,
        client_id: String,
        client_secret: String,
        scopes: Vec<String>,
    ) -> Self {
        Self {
            token_endpoint,
            client_id,
            client_secret,
            scopes,
            cached: Mutex::new(None),
        }
    }

    /// A valid token: the cached one, or a new one from the token endpoint.
    pub async fn token(
        &self,
        client: &reqwest::Client,
        log: &ExchangeLog,
    ) -> anyhow::Result<String> {
        if let Some((token, expires)) = self.cached.lock().as_ref()
            && Instant::now() + EARLY < *expires
        {
            return Ok(token.clone());
        }
        let mut body = String::from("grant_type=client_credentials");
        if !self.scopes.is_empty() {
            body.push_str("&scope=");
            body.push_str(&form_encode(&self.scopes.join(" ")));
        }
        let request = client
            .post(&self.token_endpoint)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body);
        let reply = log
            .send(client, request)
            .await
            .context("fetching an OAuth token")?;
        if !reply.status.is_success() {
            anyhow::bail!(
                "the token endpoint answered HTTP {}: check the client id, secret and scopes",
                reply.status
            );
        }
        let answer: Value = reply.json()?;
        let token = answer
            .get("access_token")
            .and_then(Value::as_str)
            .context("the token endpoint's answer has no access_token")?
            .to_owned();
        crate::core::secrets::register(&token);
        let lifetime = answer
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(3600);
        *self.cached.lock() = Some((
            token.clone(),
            Instant::now() + Duration::from_secs(lifetime),
        ));
        Ok(token)
    }
}

/// `application/x-www-form-urlencoded` for a value.
fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn form_encoding() {
        assert_eq!(
            super::form_encode("ssf.read ssf.manage"),
            "ssf.read+ssf.manage"
        );
        assert_eq!(super::form_encode("a:b/c"), "a%3Ab%2Fc");
    }
}
