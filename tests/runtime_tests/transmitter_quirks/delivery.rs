//! Quirks of the delivery methods: legacy-delivery and push-https-only, and the push client's
//! trust settings that https push needs.

use reqwest::Method;
use serde_json::{Value, json};
use ssf_inspector::core::discovery::{LEGACY_POLL_METHOD, LEGACY_PUSH_METHOD};
use ssf_inspector::core::discovery::{POLL_METHOD, PUSH_METHOD};
use ssf_inspector::runtime::transmitter::{PushTrust, Quirk, Transmitter, TransmitterOptions};
use tokio_util::sync::CancellationToken;

use crate::peer::{Peer, Receiver, endpoint_of, id_of, jtis, poll_body, push_body};
use crate::peer::{quiet, quirky, requested, statuses};

/// A self-signed P-256 CA certificate made for these tests (`openssl req -x509`).
pub const TEST_CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBmDCCAT2gAwIBAgIUbVpIG+WDDpoCRgA/9dD0H0+dV5cwCgYIKoZIzj0EAwIw
IDEeMBwGA1UEAwwVc3NmLWluc3BlY3RvciB0ZXN0IENBMCAXDTI2MTIwMTEyMzQ0
NloYDzIxMjYxMTA3MTIzNDQ2WjAgMR4wHAYDVQQDDBVzc2YtaW5zcGVjdG9yIHRl
c3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATMbajR+8quSGlPJ0Dv8PiU
GkNX9jxChqrMRF8bET+YRVVLWIbEn9X7P0ZjKPKGHZtrx6uq48bSznTtNrC4Bdi5
o1MwUTAdBgNVHQ4EFgQUZs1j/e3Z/5+1jUQoTs0CKrltUKwwHwYDVR0jBBgwFoAU
Zs1j/e3Z/5+1jUQoTs0CKrltUKwwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNJADBGAiEAiarYUrjCAmM4NB7ntmWq9aawsxt1+FBsNM6zxg+xqRsCIQDUhkKe
YhT+pBUPFnsDZHbOKOmUlFcLa0EEHIAQV2hjZw==
-----END CERTIFICATE-----
";

/// The status and text of an answer.
async fn answer(resp: reqwest::Response) -> (u16, String) {
    (
        resp.status().as_u16(),
        resp.text().await.expect("a text answer"),
    )
}

fn with_delivery(delivery: &Value) -> Value {
    json!({"events_requested": requested(), "delivery": delivery})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_delivery_only_the_risc_method_uris_work() {
    let options = TransmitterOptions {
        multiple_streams: true,
        ..quirky(&[Quirk::LegacyDelivery])
    };
    let peer = Peer::start(options).await;
    let metadata = peer.http.get(peer.url("/.well-known/ssf-configuration"));
    let metadata: Value = metadata.send().await.unwrap().json().await.unwrap();
    let legacy = json!([LEGACY_PUSH_METHOD, LEGACY_POLL_METHOD]);
    assert_eq!(metadata["delivery_methods_supported"], legacy);
    for method in [PUSH_METHOD, POLL_METHOD] {
        let body = with_delivery(&json!({"method": method, "endpoint_url": "http://127.0.0.1:9/"}));
        let (status, text) = answer(peer.send(Method::POST, "/streams", &body).await).await;
        assert_eq!(status, 400, "{method}");
        let expected = format!(
            "delivery method {method} is not supported (use {LEGACY_PUSH_METHOD} or {LEGACY_POLL_METHOD})"
        );
        assert_eq!(text, expected);
    }

    let polled = peer
        .create(&with_delivery(&json!({"method": LEGACY_POLL_METHOD})))
        .await;
    assert_eq!(polled["delivery"]["method"], LEGACY_POLL_METHOD, "echoed");
    let jti = peer.credential_change(id_of(&polled)).await;
    let answer = peer.poll_now(endpoint_of(&polled), &[]).await;
    assert_eq!(jtis(&answer), [jti], "polled like RFC 8936");
    let default = peer.create(&json!({})).await;
    assert_eq!(
        default["delivery"]["method"], LEGACY_POLL_METHOD,
        "no delivery: poll"
    );

    let receiver = Receiver::start(statuses(vec![])).await;
    let delivery = json!({"method": LEGACY_PUSH_METHOD, "endpoint_url": receiver.url});
    let pushed = peer.create(&with_delivery(&delivery)).await;
    assert_eq!(pushed["delivery"]["method"], LEGACY_PUSH_METHOD);
    let jti = peer.credential_change(id_of(&pushed)).await;
    assert_eq!(
        receiver.wait_for(1).await[0].jti(),
        jti,
        "pushed like RFC 8935"
    );

    let id = id_of(&polled);
    let to_push =
        json!({"stream_id": id, "delivery": {"method": PUSH_METHOD, "endpoint_url": receiver.url}});
    peer.check(Method::PATCH, "/streams", &to_push, 400).await;
    let mut replace = poll_body();
    replace["stream_id"] = json!(id);
    peer.check(Method::PUT, "/streams", &replace, 400).await;

    // Without the quirk: the RFC URNs, and the legacy URIs are refused.
    peer.set_quirks(&[]).await;
    let metadata = peer.http.get(peer.url("/.well-known/ssf-configuration"));
    let metadata: Value = metadata.send().await.unwrap().json().await.unwrap();
    let current = json!([PUSH_METHOD, POLL_METHOD]);
    assert_eq!(metadata["delivery_methods_supported"], current);
    let legacy_poll = with_delivery(&json!({"method": LEGACY_POLL_METHOD}));
    peer.check(Method::POST, "/streams", &legacy_poll, 400)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_https_only_refuses_http_push_endpoints() {
    let peer = Peer::start(quirky(&[Quirk::PushHttpsOnly])).await;
    let refused = (400, "push endpoint_url must use https".to_owned());
    let plain = push_body("http://127.0.0.1:9/events");
    assert_eq!(
        answer(peer.send(Method::POST, "/streams", &plain).await).await,
        refused
    );
    let created = peer.create(&push_body("https://127.0.0.1:9/events")).await;
    let id = id_of(&created);
    let to_http = json!({"stream_id": id, "delivery": {"method": PUSH_METHOD, "endpoint_url": "http://127.0.0.1:9/x"}});
    for method in [Method::PATCH, Method::PUT] {
        let resp = peer.send(method.clone(), "/streams", &to_http).await;
        assert_eq!(answer(resp).await, refused, "{method}");
    }
    let to_https = json!({"stream_id": id, "delivery": {"method": PUSH_METHOD, "endpoint_url": "https://127.0.0.1:9/x"}});
    peer.check(Method::PATCH, "/streams", &to_https, 200).await;
    let poll = peer
        .send(Method::PUT, "/streams", &json!({"stream_id": id}))
        .await;
    assert_eq!(poll.status(), 200, "poll is not concerned");

    peer.set_quirks(&[]).await;
    peer.check(Method::PATCH, "/streams", &to_http, 200).await;
}

async fn start_with(trust: PushTrust) -> anyhow::Result<Transmitter> {
    let options = TransmitterOptions {
        push_trust: trust,
        ..quiet()
    };
    let cancel = CancellationToken::new();
    let started = Transmitter::start(([127, 0, 0, 1], 0).into(), options, cancel.clone()).await;
    cancel.cancel();
    started
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_push_client_takes_a_ca_certificate_and_refuses_a_file_without_one() {
    let ca = PushTrust {
        ca_pem: Some(TEST_CA_PEM.as_bytes().to_vec()),
        accept_invalid_certs: false,
    };
    start_with(ca).await.expect("a PEM CA is accepted");
    let any = PushTrust {
        ca_pem: None,
        accept_invalid_certs: true,
    };
    start_with(any).await.expect("accepting any certificate");
    let junk = PushTrust {
        ca_pem: Some(b"not a certificate".to_vec()),
        accept_invalid_certs: false,
    };
    let Err(err) = start_with(junk).await else {
        panic!("a file without a certificate is refused");
    };
    assert!(err.to_string().contains("push CA certificate"), "{err:#}");
}
