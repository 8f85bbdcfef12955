//! The issuer's TLS rule for every URL a session calls (issue 12): a metadata `jwks_uri` or a
//! token endpoint on plain http to another machine is refused before anything is sent to it,
//! and a loopback transmitter's plain-http URLs are each listed as "no TLS". On 127.0.0.1 only.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::receiving;

use receiving::{connection, failure_of, fast, until};
use serde_json::{Value, json};
use ssf_inspector::core::profile::{DeliveryMode, Profile};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::Connection;
use ssf_inspector::runtime::profiles::ProfileFiles;
use ssf_inspector::runtime::receiver::auth::{Auth, TokenSource};

/// Serve `metadata(addr)` at the SSF well-known location of `http://addr`.
async fn metadata_server(metadata: impl Fn(SocketAddr) -> Value) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let document = metadata(addr);
    let app = axum::Router::new().route(
        "/.well-known/ssf-configuration",
        axum::routing::get(move || async move { axum::Json(document) }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

fn files(folder: &str) -> ProfileFiles {
    ProfileFiles::new(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_http_jwks_uri_on_another_machine_is_refused_before_it_is_fetched() {
    let addr = metadata_server(|addr| {
        json!({
            "issuer": format!("http://{addr}"),
            "jwks_uri": "http://keys.example.com/jwks",
            "configuration_endpoint": format!("http://{addr}/streams"),
            "delivery_methods_supported": ["urn:ietf:rfc:8936"],
        })
    })
    .await;
    let profile = Profile {
        name: "jwks-clear".to_owned(),
        issuer: format!("http://{addr}"),
        delivery: DeliveryMode::Poll,
        ..Profile::default()
    };
    let files = files("tls-rule-jwks");
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    let why = failure_of(&mut rx, &mut state, &key).await;
    assert!(
        why.contains("the jwks_uri http://keys.example.com/jwks is plain http to another machine"),
        "{why}"
    );
    assert!(
        why.contains("allow insecure http"),
        "says what to do: {why}"
    );
    assert!(
        state
            .exchanges
            .iter()
            .all(|e| !e.url.contains("keys.example.com")),
        "nothing was sent to it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_http_token_endpoint_is_refused_before_the_secret_is_sent() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) =
        receiving::profile_for(&tx, "tls-rule-token", "token-clear", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| {
        c.watch = fast();
        // As a profile saved by hand could say (the profile check refuses it too).
        c.auth = Arc::new(Auth::ClientCredentials(TokenSource::new(
            "http://idp.example.com/oauth2/token".to_owned(),
            "client".to_owned(),
            "the-client-secret".to_owned(),
            Vec::new(),
        )));
    })
    .await;
    let mut state = InspectorState::default();
    let why = failure_of(&mut rx, &mut state, &key).await;
    assert!(
        why.contains("the token endpoint http://idp.example.com/oauth2/token is plain http"),
        "{why}"
    );
    assert!(
        state.exchanges.is_empty(),
        "no request at all: {:?}",
        state.exchanges
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loopback_transmitter_lists_each_plain_http_url() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) =
        receiving::profile_for(&tx, "tls-rule-loopback", "loopback", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, |s| connection(s, &key)
            == Connection::Connected)
        .await
    );
    let info = state.streams[&key].info.clone().expect("stream info");
    let named: Vec<&str> = info.no_tls.iter().map(|p| p.what.as_str()).collect();
    for what in [
        "issuer",
        "jwks_uri",
        "configuration_endpoint",
        "status_endpoint",
        "poll endpoint",
    ] {
        assert!(named.contains(&what), "{what} listed: {named:?}");
    }
    assert!(info.no_tls.iter().all(|p| p.loopback));
    let urls: std::collections::HashSet<&str> =
        info.no_tls.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(urls.len(), info.no_tls.len(), "each URL once");
}
