//! Discovery against a transmitter on 127.0.0.1 whose metadata names another issuer: the error
//! ends with the `profile add` options that would match it, and those options work.

use std::net::SocketAddr;

use serde_json::{Value, json};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::runtime::receiver::discovery::fetch_metadata;
use ssf_inspector::runtime::receiver::exchange_log::ExchangeLog;
use ssf_inspector::runtime::record::RecordStore;

/// Serve `metadata(addr)` at the SSF well-known location and at `/meta`.
async fn transmitter(metadata: impl Fn(SocketAddr) -> Value) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let document = metadata(addr);
    let served = document.clone();
    let app = axum::Router::new()
        .route(
            "/.well-known/ssf-configuration",
            axum::routing::get(move || async move { axum::Json(served) }),
        )
        .route(
            "/meta",
            axum::routing::get(move || async move { axum::Json(document) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

async fn log() -> ExchangeLog {
    let (updates, rx) = update_channel(no_wake());
    drop(rx);
    ExchangeLog::new(
        RecordStore::in_memory().await.expect("a record"),
        updates,
        None,
    )
}

#[tokio::test]
async fn an_issuer_mismatch_suggests_the_profile_that_matches() {
    let addr = transmitter(|addr| json!({"issuer": format!("http://{addr}/tenant-1")})).await;
    let (log, client) = (log().await, reqwest::Client::new());
    let issuer = format!("http://{addr}");
    let found = format!("http://{addr}/tenant-1");
    let well_known = format!("http://{addr}/.well-known/ssf-configuration");
    let err = fetch_metadata(&log, &client, &issuer, None)
        .await
        .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        format!(
            "the metadata says issuer \"{found}\" but it was fetched for issuer \"{issuer}\" \
             (SSF §7.2.4: they must be identical); if the transmitter's issuer is \"{found}\", \
             save the profile with it: ssf-inspector profile add … --issuer {found} \
             --metadata-url {well_known}"
        )
    );
    // The suggestion works.
    let (metadata, legacy) = fetch_metadata(&log, &client, &found, Some(&well_known))
        .await
        .expect("the suggested profile matches");
    assert_eq!(metadata.issuer, found);
    assert_eq!(legacy, None);
}

#[tokio::test]
async fn a_metadata_url_is_named_as_it_was_given() {
    let addr = transmitter(|addr| json!({"issuer": format!("http://{addr}/")})).await;
    let (log, client) = (log().await, reqwest::Client::new());
    let meta = format!("http://{addr}/meta");
    let err = fetch_metadata(&log, &client, &format!("http://{addr}"), Some(&meta))
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.ends_with(&format!(
            "profile add … --issuer http://{addr}/ --metadata-url {meta}"
        )),
        "{text}"
    );
}
