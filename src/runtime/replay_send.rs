//! *Replay*: a SET POSTed once to a push endpoint (RFC 8935, `application/secevent+jwt`),
//! unchanged or re-signed with this run's test key (ES256, made once per process) whose JWKS
//! is served on 127.0.0.1 while the replay runs. Never retried; the exchange is kept through
//! the receiver's `ExchangeLog` (recorded, redacted, shown) and the answer sent back as one
//! `Update::Replayed`. An endpoint not on this machine is refused, before any connection,
//! unless the person confirmed its host by name.

use std::sync::OnceLock;

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::core::replay::{self, ReplayMode, ReplayOutcome, ReplayRequest};
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::runtime::receiver::exchange_log::ExchangeLog;
use crate::runtime::receiver::session::SessionDeps;
use crate::runtime::transmitter::keys::SigningKey;

/// The RFC 8935 media type of a pushed SET.
const SET_MEDIA_TYPE: &str = "application/secevent+jwt";

/// This run's replay key (ES256), made at the first re-signed replay.
fn test_key() -> anyhow::Result<&'static SigningKey> {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    if let Some(key) = KEY.get() {
        return Ok(key);
    }
    let made = SigningKey::generate(jsonwebtoken::Algorithm::ES256)?;
    Ok(KEY.get_or_init(|| made))
}

/// Send `request` in a task of its own; the outcome goes to the window.
pub(super) fn spawn(request: ReplayRequest, deps: &SessionDeps) {
    let deps = deps.clone();
    tokio::spawn(async move {
        let outcome = replay(request, &deps).await;
        deps.updates
            .send(Update::Replayed(Box::new(outcome)))
            .await
            .ok();
    });
}

/// Send `request` once and say how it ended (refused before any connection when its
/// endpoint is not allowed).
pub async fn replay(request: ReplayRequest, deps: &SessionDeps) -> ReplayOutcome {
    let original_jti = crate::core::jose::decode_compact(&request.raw)
        .ok()
        .and_then(|jws| jws.claim_str("jti").map(str::to_owned))
        .unwrap_or_default();
    let mut outcome = ReplayOutcome {
        at: UnixMillis::now(),
        url: request.url.trim().to_owned(),
        mode: request.mode,
        jti: original_jti,
        status: None,
        body: String::new(),
        exchange: None,
        error: None,
    };
    if let Err(why) = replay::check_target(&request) {
        outcome.error = Some(why);
        return outcome;
    }
    // The app's own receiver is let in with the value it expects, never shown or typed.
    let authorization = request
        .authorization
        .clone()
        .or_else(|| crate::runtime::own_push::authorization_for(&outcome.url));
    if let Some(authorization) = &authorization {
        crate::core::secrets::register(authorization);
    }
    let served = match request.mode {
        ReplayMode::Unchanged => None,
        ReplayMode::Resigned => match resign(&request.raw).await {
            Ok((token, jti, server)) => {
                outcome.jti = jti;
                Some((token, server))
            }
            Err(err) => {
                outcome.error = Some(format!("The SET could not be re-signed: {err:#}"));
                return outcome;
            }
        },
    };
    let token = served
        .as_ref()
        .map_or(request.raw.as_str(), |(token, _)| token.as_str());
    let mut post = deps
        .client
        .post(&outcome.url)
        .header(reqwest::header::CONTENT_TYPE, SET_MEDIA_TYPE)
        .header(reqwest::header::ACCEPT, "application/json")
        .body(token.to_owned());
    if let Some(authorization) = &authorization {
        post = post.header(reqwest::header::AUTHORIZATION, authorization.trim());
    }
    let log = ExchangeLog::new(
        deps.store.clone(),
        deps.updates.clone(),
        request.stream.clone(),
    );
    match log.send(&deps.client, post).await {
        Ok(reply) => {
            outcome.status = Some(reply.status.as_u16());
            outcome.body = reply.text();
        }
        Err(err) => outcome.error = Some(format!("No answer: {err:#}")),
    }
    outcome.exchange = log.last_sent();
    if let Some((_, server)) = served {
        server.cancel();
    }
    outcome
}

/// The SET re-signed with the test key (new `jti`, `txn` naming the original), its new
/// `jti`, and the JWKS server its header's `jku` names (stopped by cancelling the token).
async fn resign(raw: &str) -> anyhow::Result<(String, String, CancellationToken)> {
    let jws = crate::core::jose::decode_compact(raw)
        .map_err(|err| anyhow::anyhow!("it does not decode: {err}"))?;
    let key = test_key()?;
    let new_jti = format!("replay-{}", crate::runtime::random::random_hex(12)?);
    let claims = replay::resigned_claims(&Value::Object(jws.claims), &new_jti);
    let (jwks_url, stop) = serve_jwks(serde_json::json!({ "keys": [key.public_jwk()] })).await?;
    let token = key.sign_set_with_jku(&claims, &jwks_url)?;
    Ok((token, new_jti, stop))
}

/// Serve `jwks` at `http://127.0.0.1:<port>/replay/jwks.json` until the token is cancelled.
async fn serve_jwks(jwks: Value) -> anyhow::Result<(String, CancellationToken)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/replay/jwks.json", listener.local_addr()?);
    let app = axum::Router::new().route(
        "/replay/jwks.json",
        axum::routing::get(move || {
            let jwks = jwks.clone();
            async move { axum::Json(jwks) }
        }),
    );
    let stop = CancellationToken::new();
    let stopped = stop.clone();
    tokio::spawn(async move {
        let serve = axum::serve(listener, app)
            .with_graceful_shutdown(async move { stopped.cancelled().await });
        if let Err(err) = serve.await {
            tracing::debug!("the replay's JWKS server ended: {err}");
        }
    });
    Ok((url, stop))
}
