//! The transmitter's HTTP API: metadata and JWKS in the open; stream management, status,
//! subjects, verification, poll and control behind the bearer token (SSF §8).

mod echo;
mod poll;
mod quirked;
mod status;
mod streams;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::Tx;
use super::config::{ApiError, methods};

pub(super) type Shared = Arc<Tx>;

pub(super) fn router(tx: Shared) -> Router {
    let path = tx.options.issuer_path.trim_end_matches('/').to_owned();
    let base = |p: &str| format!("{path}{p}");
    // The receiver's API: what the echo-errors quirk answers with the request echoed.
    let receiver_api = Router::new()
        .route(
            &base("/streams"),
            post(streams::create)
                .get(streams::read)
                .patch(streams::update)
                .put(streams::replace)
                .delete(streams::delete),
        )
        .route(&base("/status"), get(status::read).post(status::update))
        .route(&base("/subjects:add"), post(status::add_subject))
        .route(&base("/subjects:remove"), post(status::remove_subject))
        .route(&base("/verify"), post(status::verify))
        .route(&base("/poll"), post(poll::poll_the_one))
        .route(&base("/poll/{stream_id}"), post(poll::poll))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&tx),
            echo::echo_errors,
        ));
    Router::new()
        .route(
            &format!("/.well-known/ssf-configuration{path}"),
            get(metadata),
        )
        .route(
            &format!("/.well-known/sse-configuration{path}"),
            get(legacy_metadata),
        )
        .route(&base("/jwks.json"), get(jwks))
        .merge(receiver_api)
        .route(&base("/oauth/token"), post(token))
        .route(&base("/control/event"), post(super::control::event))
        .route(&base("/control/status"), post(super::control::status))
        .route(
            &base("/control/rotate-keys"),
            post(super::control::rotate_keys),
        )
        .route(&base("/control/fault"), post(super::control::fault))
        .route(
            &base("/control/quirks"),
            get(super::control::quirks).post(super::control::set_quirks),
        )
        .layer(axum::middleware::from_fn(log_request))
        .with_state(tx)
}

/// Log every request the transmitter serves: method, path, status and time (never headers or
/// bodies, which carry tokens).
async fn log_request(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let millis = started.elapsed().as_millis();
    tracing::info!(%method, %path, status = response.status().as_u16(), millis, "transmitter served");
    response
}

/// Who is calling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Access {
    /// The management token: everything.
    Manage,
    /// The read-only token: reads only.
    Read,
}

/// Check the bearer token; `needs_manage` for changes (403 for a read-only token).
/// The receiver's token check: as [`authorize_operator`], and refused while the receiver's
/// access is revoked (a fault injected through the control endpoint).
pub(super) fn authorize(
    tx: &Tx,
    headers: &HeaderMap,
    needs_manage: bool,
) -> Result<Access, ApiError> {
    let access = authorize_operator(tx, headers, needs_manage)?;
    if tx.faults.lock().access_revoked {
        return Err(ApiError {
            status: 401,
            message: "access to this transmitter was revoked".to_owned(),
        });
    }
    Ok(access)
}

/// The token check of the control endpoint (the operator's, never revoked).
pub(super) fn authorize_operator(
    tx: &Tx,
    headers: &HeaderMap,
    needs_manage: bool,
) -> Result<Access, ApiError> {
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let access = match sent {
        Some(token) if token == tx.token => Access::Manage,
        Some(token) if tx.options.read_token.as_deref() == Some(token) => Access::Read,
        _ => {
            return Err(ApiError {
                status: 401,
                message: "a valid bearer token is required".to_owned(),
            });
        }
    };
    if needs_manage && access == Access::Read {
        return Err(ApiError {
            status: 403,
            message: "this token may read but not change streams".to_owned(),
        });
    }
    Ok(access)
}

pub(super) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body.clone()),
    )
        .into_response()
}

/// An error answer: the status, and the description as plain text (SSF defines no error body),
/// or as JSON when the quirk that refuses writes a JSON object, as the transmitter it copies
/// does.
pub(super) fn error(err: &ApiError) -> Response {
    let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match serde_json::from_str::<Value>(&err.message) {
        Ok(body @ Value::Object(_)) => (status, axum::Json(body)).into_response(),
        _ => (status, err.message.clone()).into_response(),
    };
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

/// The preamble of every changing call: the management token, then a JSON body.
pub(super) fn managed_json(tx: &Tx, headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    authorize(tx, headers, true)?;
    json_body(body)
}

/// The same for the control endpoint (the operator's token).
pub(super) fn operator_json(tx: &Tx, headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    authorize_operator(tx, headers, true)?;
    json_body(body)
}

pub(super) fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|err| ApiError::bad_request(format!("the body is not JSON: {err}")))
}

async fn metadata(axum::extract::State(tx): axum::extract::State<Shared>) -> Response {
    if tx.quirks().has(super::Quirk::LegacyWellKnown) {
        return not_found();
    }
    metadata_document(&tx)
}

/// The SSE-era location: served only with the `legacy-well-known` quirk.
async fn legacy_metadata(axum::extract::State(tx): axum::extract::State<Shared>) -> Response {
    if !tx.quirks().has(super::Quirk::LegacyWellKnown) {
        return not_found();
    }
    metadata_document(&tx)
}

fn not_found() -> Response {
    json_response(StatusCode::NOT_FOUND, &json!({"error": "not_found"}))
}

fn metadata_document(tx: &Tx) -> Response {
    let base = &tx.issuer;
    let (push, poll) = methods(tx.quirks());
    let mut document = json!({
            "spec_version": "1_0",
            "issuer": if tx.quirks().has(super::Quirk::IssuerSlash) {
                format!("{base}/")
            } else {
                base.clone()
            },
            "jwks_uri": format!("{base}/jwks.json"),
            "delivery_methods_supported": [push, poll],
            "configuration_endpoint": format!("{base}/streams"),
            "status_endpoint": format!("{base}/status"),
            "add_subject_endpoint": format!("{base}/subjects:add"),
            "remove_subject_endpoint": format!("{base}/subjects:remove"),
            "verification_endpoint": format!("{base}/verify"),
            "authorization_schemes": [{"spec_urn": "urn:ietf:rfc:6749"}],
            "default_subjects": "ALL",
            "critical_subject_members": ["user"],
    });
    if tx.quirks().has(super::Quirk::MinimalMetadata)
        && let Some(members) = document.as_object_mut()
    {
        for optional in [
            "status_endpoint",
            "verification_endpoint",
            "add_subject_endpoint",
            "remove_subject_endpoint",
        ] {
            members.remove(optional);
        }
    }
    json_response(StatusCode::OK, &document)
}

async fn jwks(axum::extract::State(tx): axum::extract::State<Shared>) -> Response {
    let fault = tx.faults.lock().jwks;
    let mut document = match fault {
        super::JwksFault::Served => tx.keys.lock().jwks(),
        super::JwksFault::WithoutActiveKey => tx.keys.lock().jwks_without_active(),
        super::JwksFault::Unavailable => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "the key set is unavailable (fault injected by the operator)",
            )
                .into_response();
        }
    };
    bend_jwks(&tx.quirks(), &mut document);
    json_response(StatusCode::OK, &document)
}

/// A 1024-bit RSA modulus (base64url), published by the `short-rsa-key` quirk; no SET is
/// signed with it.
const SHORT_RSA_N: &str = "uWec8sFZmihGr5Ic7wTF1kPCqwvz9u9okwyRq5zxFcZVfVf2TyalnFiyCdHN_L1rblcH4hx5zN0Ald-QFz0vvKIqWKc-rTWlgX03hWxhoSliD5TsIp2k8xsta603FHvXtCCn6V52fqP5wSLJkLMmzz7fKlgmFk-Yn4wbTeeuQHE";

/// The key-set quirks: a short RSA key added, a kid reused.
fn bend_jwks(quirks: &super::Quirks, document: &mut Value) {
    let Some(keys) = document.get_mut("keys").and_then(Value::as_array_mut) else {
        return;
    };
    if quirks.has(super::Quirk::ShortRsaKey) {
        keys.push(json!({
            "kty": "RSA", "kid": "rsa1024-old", "use": "sig", "alg": "RS256",
            "n": SHORT_RSA_N, "e": "AQAB",
        }));
    }
    if quirks.has(super::Quirk::DuplicateKid)
        && let Some(first) = keys.first().and_then(|k| k.get("kid")).cloned()
        && let Some(mut second) = keys.get(1).cloned()
    {
        second["kid"] = first;
        keys[1] = second;
    }
}

/// OAuth 2.0 token endpoint, client-credentials grant only (RFC 6749 §4.4): the configured
/// client gets the management token.
async fn token(
    axum::extract::State(tx): axum::extract::State<Shared>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    use base64::Engine as _;
    let oauth_error = |status: StatusCode, error: &str| {
        (status, axum::Json(json!({"error": error}))).into_response()
    };
    let Some((id, secret)) = &tx.options.oauth_client else {
        return oauth_error(StatusCode::NOT_FOUND, "invalid_request");
    };
    let credentials = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok());
    if credentials.as_deref() != Some(format!("{id}:{secret}").as_str()) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let form = String::from_utf8_lossy(&body);
    if !form
        .split('&')
        .any(|pair| pair == "grant_type=client_credentials")
    {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    json_response(
        StatusCode::OK,
        &json!({"access_token": tx.token, "token_type": "Bearer", "expires_in": tx.options.oauth_token_lifetime.as_secs()}),
    )
}
