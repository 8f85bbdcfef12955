//! Redirects the receiver's clients follow (issue 21): within the origin asked only. A redirect
//! to another origin is not followed, so a create body, client credentials or a request for a
//! token never reach a host that was not configured, and the error names the redirect and both
//! ends. On 127.0.0.1 only.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{StatusCode, Uri, header};
use axum::response::IntoResponse;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::runtime::net::cause::{Cause, classify};
use ssf_inspector::runtime::net::client_builder;
use ssf_inspector::runtime::net::redirect::RefusedBecause;
use ssf_inspector::runtime::receiver::auth::TokenSource;
use ssf_inspector::runtime::receiver::discovery::fetch_metadata;
use ssf_inspector::runtime::receiver::exchange_log::ExchangeLog;
use ssf_inspector::runtime::record::RecordStore;

/// A server that would answer anything (a token, metadata), counting what reaches it.
async fn elsewhere() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let reached = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&reached);
    let app = axum::Router::new().fallback(move || {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            axum::Json(serde_json::json!({
                "access_token": "issued-elsewhere-0123456789",
                "expires_in": 3600,
                "issuer": "http://elsewhere",
            }))
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, reached)
}

/// A server answering every path with `status` to the same path on `target`, except `/new`,
/// answered 200 (the end of a same-origin redirect).
async fn redirecting(status: StatusCode, target: Option<SocketAddr>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let app = axum::Router::new()
        .route("/new", axum::routing::any(|| async { "arrived" }))
        .fallback(move |uri: Uri| async move {
            let location = match target {
                Some(target) => format!("http://{target}{}", uri.path()),
                None => "/new".to_owned(),
            };
            (status, [(header::LOCATION, location)]).into_response()
        });
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

async fn log() -> ExchangeLog {
    let (updates, _rx) = update_channel(no_wake());
    ExchangeLog::new(
        RecordStore::in_memory().await.expect("a record"),
        updates,
        None,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_307_to_another_origin_does_not_send_the_body_there() {
    let (target, reached) = elsewhere().await;
    let from = redirecting(StatusCode::TEMPORARY_REDIRECT, Some(target)).await;
    let client = client_builder().build().expect("a client");
    let err = client
        .post(format!("http://{from}/streams"))
        .body(r#"{"delivery":{"authorization_header":"Bearer push-secret"}}"#)
        .send()
        .await
        .expect_err("not followed");
    let Cause::Redirect(refused) = classify(&err) else {
        panic!("not a redirect: {:?}", classify(&err));
    };
    assert_eq!(refused.why, RefusedBecause::OtherOrigin);
    assert_eq!(refused.status, 307);
    assert_eq!(refused.from, format!("http://{from}/streams"));
    assert_eq!(refused.to, format!("http://{target}/streams"));
    let text = classify(&err).to_string();
    assert!(
        text.contains(&from.to_string()) && text.contains(&target.to_string()),
        "{text}"
    );
    assert_eq!(reached.load(Ordering::SeqCst), 0, "nothing was sent there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_within_the_origin_is_followed() {
    let from = redirecting(StatusCode::FOUND, None).await;
    let client = client_builder().build().expect("a client");
    let answer = client
        .get(format!("http://{from}/old"))
        .send()
        .await
        .expect("followed");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.expect("a body"), "arrived");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_not_taken_from_where_the_token_endpoint_redirects() {
    let (target, reached) = elsewhere().await;
    let from = redirecting(StatusCode::TEMPORARY_REDIRECT, Some(target)).await;
    let client = client_builder().build().expect("a client");
    let source = TokenSource::new(
        format!("http://{from}/token"),
        "client".to_owned(),
        "client-secret-value".to_owned(),
        Vec::new(),
    );
    let err = source
        .token(&client, &log().await)
        .await
        .expect_err("no token");
    let text = format!("{err:#}");
    assert!(text.contains("redirected (HTTP 307)"), "{text}");
    assert!(text.contains(&format!("http://{target}/token")), "{text}");
    assert!(!text.contains("client-secret-value"), "{text}");
    assert_eq!(
        reached.load(Ordering::SeqCst),
        0,
        "the credentials went nowhere else"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_is_not_read_from_another_origin() {
    let (target, reached) = elsewhere().await;
    let from = redirecting(StatusCode::MOVED_PERMANENTLY, Some(target)).await;
    let client = client_builder().build().expect("a client");
    let issuer = format!("http://{from}");
    let url = format!("{issuer}/.well-known/ssf-configuration");
    let err = fetch_metadata(&log().await, &client, &issuer, Some(&url))
        .await
        .expect_err("not followed");
    let text = format!("{err:#}");
    assert!(text.contains("on another origin; not followed"), "{text}");
    assert!(text.contains(&target.to_string()), "{text}");
    assert_eq!(reached.load(Ordering::SeqCst), 0);
}
