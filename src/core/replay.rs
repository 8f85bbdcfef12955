//! *Replay*: a received SET sent once more to a push endpoint (RFC 8935), unchanged or
//! re-signed with the app's test key; what is asked, the rule that keeps it on this machine
//! unless the person names the other host, the claims a re-signed SET carries, and the answer.

use serde_json::Value;

use super::record::StreamKey;
use super::time::UnixMillis;

/// How the SET is sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReplayMode {
    /// The raw token as received, byte for byte.
    #[default]
    Unchanged,
    /// New `jti`, a `txn` that marks the replay, `iss` kept; signed with the app's test key,
    /// whose JWKS is served on 127.0.0.1 while the replay runs.
    Resigned,
}

/// What the person asked: this SET, to this endpoint, this way.
#[derive(Clone, PartialEq, Eq)]
pub struct ReplayRequest {
    /// The SET as received (compact JWS).
    pub raw: String,
    /// The stream it came from (its exchange is kept under it).
    pub stream: Option<StreamKey>,
    /// The push endpoint.
    pub url: String,
    /// Unchanged or re-signed.
    pub mode: ReplayMode,
    /// The `Authorization` header value the endpoint expects, when it expects one (a secret:
    /// never shown, registered before it is sent).
    pub authorization: Option<String>,
    /// The host the person confirmed sending to, for an endpoint not on this machine.
    pub confirmed_host: Option<String>,
}

impl std::fmt::Debug for ReplayRequest {
    /// The token is evidence and the authorization a secret: their sizes are enough for a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplayRequest")
            .field("bytes", &self.raw.len())
            .field("stream", &self.stream)
            .field("url", &self.url)
            .field("mode", &self.mode)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field("confirmed_host", &self.confirmed_host)
            .finish()
    }
}

/// The host of `url` when it is not this machine (`None`: loopback, or no URL to speak of).
pub fn remote_host(url: &str) -> Option<String> {
    if super::discovery::is_loopback(url) {
        return None;
    }
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
}

/// Whether `request` may be sent: an http(s) URL, on this machine or to the host the person
/// confirmed by name. The reason otherwise, in words the window shows.
pub fn check_target(request: &ReplayRequest) -> Result<(), String> {
    let parsed = url::Url::parse(request.url.trim())
        .map_err(|err| format!("The endpoint is not a URL ({err}): {}", request.url))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "The endpoint must be an http or https URL: {}",
            request.url
        ));
    }
    match remote_host(request.url.trim()) {
        None => Ok(()),
        Some(host) if request.confirmed_host.as_deref() == Some(host.as_str()) => Ok(()),
        Some(host) => Err(format!(
            "Not sent: {host} is not this machine, and sending a SET there was not confirmed"
        )),
    }
}

/// The `txn` a re-signed SET carries: says it is a replay, and of which SET.
pub fn replay_txn(original_jti: &str) -> String {
    format!("replay-of:{original_jti}")
}

/// A re-signed SET's claims: the original's with `jti` replaced by `new_jti` and `txn` set to
/// [`replay_txn`] of the original `jti`; `iss` and everything else kept.
pub fn resigned_claims(claims: &Value, new_jti: &str) -> Value {
    let mut claims = claims.clone();
    let original = claims
        .get("jti")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if let Value::Object(members) = &mut claims {
        members.insert("jti".to_owned(), Value::from(new_jti));
        members.insert("txn".to_owned(), Value::from(replay_txn(&original)));
    }
    claims
}

/// How a replay ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayOutcome {
    /// When it was sent (or refused).
    pub at: UnixMillis,
    /// The endpoint.
    pub url: String,
    /// Unchanged or re-signed.
    pub mode: ReplayMode,
    /// The `jti` the endpoint was sent (the new one when re-signed).
    pub jti: String,
    /// The endpoint's status; `None` when nothing was sent or no answer came.
    pub status: Option<u16>,
    /// The endpoint's body (secrets scrubbed).
    pub body: String,
    /// The exchange kept, when one was sent.
    pub exchange: Option<u64>,
    /// Why it was not sent or no answer came.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, confirmed: Option<&str>) -> ReplayRequest {
        ReplayRequest {
            raw: "a.b.c".to_owned(),
            stream: None,
            url: url.to_owned(),
            mode: ReplayMode::Unchanged,
            authorization: Some("Bearer replay-s3cret".to_owned()),
            confirmed_host: confirmed.map(str::to_owned),
        }
    }

    #[test]
    fn loopback_is_sent_and_another_host_only_when_named() {
        assert_eq!(
            check_target(&request("http://127.0.0.1:8080/push", None)),
            Ok(())
        );
        assert_eq!(
            check_target(&request("http://localhost/push", None)),
            Ok(())
        );
        let refused = check_target(&request("https://rx.example.invalid/push", None));
        assert_eq!(
            refused,
            Err(
                "Not sent: rx.example.invalid is not this machine, and sending a SET there \
                 was not confirmed"
                    .to_owned()
            )
        );
        let other = check_target(&request(
            "https://rx.example.invalid/push",
            Some("x.invalid"),
        ));
        assert!(other.is_err());
        let named = request(
            "https://rx.example.invalid/push",
            Some("rx.example.invalid"),
        );
        assert_eq!(check_target(&named), Ok(()));
        assert!(check_target(&request("ftp://127.0.0.1/x", None)).is_err());
        assert!(check_target(&request("not a url", None)).is_err());
        assert!(!format!("{named:?}").contains("replay-s3cret"));
    }

    #[test]
    fn a_replays_answer_is_scrubbed_of_secrets() {
        let secret = "replay-echoed-s3cret";
        crate::core::secrets::register(secret);
        let update = crate::core::update::Update::Replayed(Box::new(ReplayOutcome {
            at: UnixMillis(0),
            url: format!("http://127.0.0.1:9/push?k={secret}"),
            mode: ReplayMode::Unchanged,
            jti: "j1".to_owned(),
            status: Some(401),
            body: format!("you sent Bearer {secret}"),
            exchange: Some(1),
            error: Some(format!("echo {secret}")),
        }));
        let scrubbed = crate::core::secrets::scrub_update(update);
        assert!(!format!("{scrubbed:?}").contains(secret));
    }

    #[test]
    fn resigned_claims_get_a_new_jti_and_a_replay_txn() {
        let claims = serde_json::json!({"iss": "https://tx", "jti": "j1", "events": {}});
        let new = resigned_claims(&claims, "j2");
        assert_eq!(new["jti"], "j2");
        assert_eq!(new["txn"], "replay-of:j1");
        assert_eq!(new["iss"], "https://tx");
    }
}
