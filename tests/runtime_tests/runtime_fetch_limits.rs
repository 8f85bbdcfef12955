//! Fetches the receiver makes are bounded (issue 12): a JWKS larger than `RESPONSE_LIMIT`
//! (announced or chunked) is refused without being read whole, and its exchange keeps only its
//! start; a JWKS fetched again unchanged is recorded by its hash, not copied. On 127.0.0.1 only.

use std::net::SocketAddr;

use serde_json::json;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::discovery::parse_metadata;
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::receiver::discovery::fetch_metadata;
use ssf_inspector::runtime::receiver::exchange_log::{ExchangeLog, RESPONSE_LIMIT};
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::record::RecordStore;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::mpsc::Receiver;

const HUGE: usize = 50 * 1024 * 1024;

async fn log() -> (ExchangeLog, Receiver<Update>) {
    let (updates, rx) = update_channel(no_wake());
    let log = ExchangeLog::new(
        RecordStore::in_memory().await.expect("a record"),
        updates,
        None,
    );
    (log, rx)
}

fn exchanges(rx: &mut Receiver<Update>) -> Vec<Exchange> {
    let mut out = Vec::new();
    while let Ok(update) = rx.try_recv() {
        if let Update::Exchange(exchange) = update {
            out.push((*exchange).clone());
        }
    }
    out
}

/// A JWKS endpoint answering 50 MiB: with a Content-Length, or chunked with none. Returns the
/// address and how many bytes the server managed to write.
async fn huge_jwks(chunked: bool) -> (SocketAddr, tokio::task::JoinHandle<usize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let served = tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return 0;
        };
        let mut request = [0_u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = if chunked {
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_owned()
        } else {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {HUGE}\r\n\r\n"
            )
        };
        if socket.write_all(head.as_bytes()).await.is_err() {
            return 0;
        }
        let piece = vec![b' '; 64 * 1024];
        let mut written = 0;
        while written < HUGE {
            let sent = if chunked {
                let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
                chunk.extend_from_slice(&piece);
                chunk.extend_from_slice(b"\r\n");
                socket.write_all(&chunk).await
            } else {
                socket.write_all(&piece).await
            };
            if sent.is_err() {
                break;
            }
            written += piece.len();
        }
        written
    });
    (addr, served)
}

fn metadata_for(jwks_uri: &str) -> ssf_inspector::core::discovery::TransmitterMetadata {
    parse_metadata(
        "http://127.0.0.1:1",
        json!({"issuer": "http://127.0.0.1:1", "jwks_uri": jwks_uri}),
    )
    .expect("metadata")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_larger_than_the_limit_is_refused_unread() {
    for chunked in [false, true] {
        let (addr, served) = huge_jwks(chunked).await;
        let (log, mut rx) = log().await;
        let metadata = metadata_for(&format!("http://{addr}/jwks"));
        let outcome = KeyCache::fetch(reqwest::Client::new(), metadata, &log).await;
        let Err(err) = outcome else {
            panic!("a 50 MiB JWKS is refused (chunked: {chunked})");
        };
        let text = format!("{err:#}");
        assert!(
            text.contains(&format!("is larger than {RESPONSE_LIMIT} bytes")),
            "{text}"
        );
        let kept = exchanges(&mut rx);
        let jwks = kept
            .iter()
            .find(|e| e.url.ends_with("/jwks"))
            .expect("the exchange is kept");
        assert!(
            jwks.response_body.len() < 8 * 1024,
            "only the start is kept: {} bytes",
            jwks.response_body.len()
        );
        assert!(
            jwks.response_body.contains("at most 1048576 are read"),
            "{}",
            jwks.response_body
        );
        let written = served.await.expect("the server ends");
        assert!(
            written < HUGE,
            "the receiver stopped reading; the server could write {written} of {HUGE} bytes (chunked: {chunked})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_fetched_again_unchanged_is_recorded_by_its_hash() {
    let cancel = tokio_util::sync::CancellationToken::new();
    let tx = ssf_inspector::runtime::transmitter::Transmitter::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        ssf_inspector::runtime::transmitter::TransmitterOptions::default(),
        cancel.clone(),
    )
    .await
    .expect("a transmitter");
    let (log, mut rx) = log().await;
    let client = reqwest::Client::new();
    let (metadata, _) = fetch_metadata(&log, &client, &tx.issuer, None)
        .await
        .expect("metadata");
    let keys = KeyCache::fetch(client, metadata, &log).await.expect("keys");
    assert!(keys.check().await);
    assert!(keys.check().await);
    let jwks: Vec<Exchange> = exchanges(&mut rx)
        .into_iter()
        .filter(|e| e.url.contains("jwks"))
        .collect();
    assert_eq!(jwks.len(), 3);
    assert!(
        jwks[0].response_body.contains("\"keys\""),
        "the first is kept whole"
    );
    for again in &jwks[1..] {
        assert!(
            again.response_body.starts_with(&format!(
                "(unchanged: the same {} bytes as exchange #{}, SHA-256 ",
                jwks[0].response_body.len(),
                jwks[0].id
            )),
            "{}",
            again.response_body
        );
    }
    cancel.cancel();
}
