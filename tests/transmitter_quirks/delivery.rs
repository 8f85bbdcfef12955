//! Quirks of the delivery methods: legacy-delivery and push-https-only.

use reqwest::Method;
use serde_json::{Value, json};
use ssf_inspector::core::discovery::{LEGACY_POLL_METHOD, LEGACY_PUSH_METHOD};
use ssf_inspector::core::discovery::{POLL_METHOD, PUSH_METHOD};
use ssf_inspector::runtime::transmitter::{Quirk, TransmitterOptions};

use crate::peer::{Peer, Receiver, endpoint_of, id_of, jtis, poll_body, push_body};
use crate::peer::{quirky, requested, statuses};

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
