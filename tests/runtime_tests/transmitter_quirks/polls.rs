//! Quirks of the poll endpoint: wrong-poll-url, no-long-poll, immediate-poll, ignores-ack,
//! ignores-set-errs, ignores-max-events and empty-more-available.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use ssf_inspector::runtime::transmitter::{Quirk, TransmitterOptions};
use tokio::time::{Instant, sleep};

use crate::peer::{Peer, endpoint_of, id_of, jtis, poll_body, push_body, quirky};

/// Longer than the peer's `redelivery_after` (200 ms).
const OVERDUE: Duration = Duration::from_millis(260);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_poll_url_names_an_unresolvable_host_and_the_real_endpoint_still_serves() {
    let options = TransmitterOptions {
        multiple_streams: true,
        ..quirky(&[Quirk::WrongPollUrl])
    };
    let peer = Peer::start(options).await;
    let created = peer.create(&poll_body()).await;
    let id = id_of(&created);
    let port = peer.tx.addr.port();
    let wrong = format!("https://ssf-transmitter.invalid:{port}/poll/{id}");
    assert_eq!(endpoint_of(&created), wrong);
    let read = peer.get_json("/streams", &[("stream_id", id)]).await;
    assert_eq!(endpoint_of(&read), wrong);
    assert_eq!(endpoint_of(&peer.get_json("/streams", &[]).await[0]), wrong);
    let patch = json!({"stream_id": id, "description": "x"});
    let patched: Value = peer
        .send(Method::PATCH, "/streams", &patch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(endpoint_of(&patched), wrong);
    let push = peer.create(&push_body("http://127.0.0.1:9/events")).await;
    assert_eq!(
        endpoint_of(&push),
        "http://127.0.0.1:9/events",
        "push untouched"
    );

    // The poll endpoint is served where it really is (the test never uses the wrong name).
    let real = peer.url(&format!("/poll/{id}"));
    let jti = peer.credential_change(id).await;
    assert_eq!(jtis(&peer.poll_now(&real, &[]).await), [jti]);

    peer.set_quirks(&[]).await;
    let read = peer.get_json("/streams", &[("stream_id", id)]).await;
    assert_eq!(endpoint_of(&read), real, "the spec answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_long_poll_refuses_a_poll_without_return_immediately() {
    let peer = Peer::start(quirky(&[Quirk::NoLongPoll])).await;
    let created = peer.create(&poll_body()).await;
    let endpoint = endpoint_of(&created);
    let jti = peer.credential_change(id_of(&created)).await;
    for body in [
        json!({}),
        json!({"returnImmediately": false}),
        json!({"ack": [], "maxEvents": 0}),
    ] {
        let resp = peer.poll_raw(endpoint, &body).await;
        assert_eq!(resp.status(), 404, "{body}");
        let text = resp.text().await.expect("a text answer");
        assert_eq!(text, "this transmitter does not support long polling");
    }
    assert_eq!(jtis(&peer.poll_now(endpoint, &[]).await), [jti.as_str()]);

    peer.set_quirks(&[]).await;
    let body = json!({"ack": [jti]});
    let answer = peer.poll(endpoint, &body).await;
    assert_eq!(answer["sets"], json!({}), "a long poll that timed out");
}

// On tokio's paused clock (issue 22): a held poll moves the clock on to the long poll's timeout,
// one answered at once leaves it before.
#[tokio::test(start_paused = true)]
async fn immediate_poll_answers_at_once_even_when_empty() {
    let options = TransmitterOptions {
        long_poll_timeout: Duration::from_millis(900),
        ..quirky(&[Quirk::ImmediatePoll])
    };
    let peer = Peer::start(options).await;
    let created = peer.create(&poll_body()).await;
    let endpoint = endpoint_of(&created);
    let started = Instant::now();
    let answer = peer.poll(endpoint, &json!({})).await;
    let waited = started.elapsed();
    assert_eq!(answer["sets"], json!({}));
    assert!(
        waited < Duration::from_millis(900),
        "not held for the long poll's timeout: answered after {waited:?}"
    );
    let jti = peer.credential_change(id_of(&created)).await;
    let answer = peer
        .poll(endpoint, &json!({"returnImmediately": false}))
        .await;
    assert_eq!(jtis(&answer), [jti.as_str()]);

    peer.set_quirks(&[]).await;
    let started = Instant::now();
    let answer = peer.poll(endpoint, &json!({"ack": [jti]})).await;
    assert_eq!(answer["sets"], json!({}));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "a long poll: {waited:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignores_ack_reads_acks_so_acknowledged_sets_come_again() {
    let peer = Peer::start(quirky(&[Quirk::IgnoresAck])).await;
    let created = peer.create(&poll_body()).await;
    let (id, endpoint) = (id_of(&created), endpoint_of(&created));
    let jti = peer.credential_change(id).await;
    assert_eq!(jtis(&peer.poll_now(endpoint, &[]).await), [jti.as_str()]);
    let acked = peer.poll_now(endpoint, std::slice::from_ref(&jti)).await;
    assert_eq!(acked["sets"], json!({}), "not yet due again");
    sleep(OVERDUE).await;
    let again = peer.poll_now(endpoint, &[]).await;
    assert_eq!(jtis(&again), [jti.as_str()], "the RFC 8936 ack was ignored");
    let body = json!({"acks": [jti], "returnImmediately": true});
    assert_eq!(peer.poll(endpoint, &body).await["sets"], json!({}));
    sleep(OVERDUE).await;
    let answer = peer.poll_now(endpoint, &[]).await;
    assert_eq!(answer["sets"], json!({}), "acknowledged under its own name");

    peer.set_quirks(&[]).await;
    let jti = peer.credential_change(id).await;
    assert_eq!(jtis(&peer.poll_now(endpoint, &[]).await), [jti.as_str()]);
    peer.poll_now(endpoint, &[jti]).await;
    sleep(OVERDUE).await;
    let answer = peer.poll_now(endpoint, &[]).await;
    assert_eq!(answer["sets"], json!({}), "the spec: ack releases the SET");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignores_set_errs_keeps_a_refused_set_owed_so_it_comes_again() {
    let peer = Peer::start(quirky(&[Quirk::IgnoresSetErrs])).await;
    let created = peer.create(&poll_body()).await;
    let (id, endpoint) = (id_of(&created), endpoint_of(&created));
    let refuse = |jti: &str| {
        json!({"returnImmediately": true,
               "setErrs": {jti: {"err": "invalid_key", "description": "no such key"}}})
    };
    let jti = peer.credential_change(id).await;
    assert_eq!(jtis(&peer.poll_now(endpoint, &[]).await), [jti.as_str()]);
    peer.poll(endpoint, &refuse(&jti)).await;
    sleep(OVERDUE).await;
    let again = peer.poll_now(endpoint, &[]).await;
    assert_eq!(
        jtis(&again),
        [jti.as_str()],
        "the setErrs report was ignored"
    );

    peer.set_quirks(&[]).await;
    peer.poll(endpoint, &refuse(&jti)).await;
    sleep(OVERDUE).await;
    let answer = peer.poll_now(endpoint, &[]).await;
    assert_eq!(
        answer["sets"],
        json!({}),
        "the spec: a reported SET is answered for"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignores_max_events_sends_every_set_waiting() {
    let peer = Peer::start(quirky(&[Quirk::IgnoresMaxEvents])).await;
    let created = peer.create(&poll_body()).await;
    let (id, endpoint) = (id_of(&created), endpoint_of(&created));
    for _ in 0..3 {
        peer.credential_change(id).await;
    }
    let body = json!({"returnImmediately": true, "maxEvents": 1});
    let answer = peer.poll(endpoint, &body).await;
    assert_eq!(jtis(&answer).len(), 3, "all, though one was asked");
    assert_eq!(answer["moreAvailable"], json!(false));

    peer.set_quirks(&[]).await;
    for _ in 0..3 {
        peer.credential_change(id).await;
    }
    let answer = peer.poll(endpoint, &body).await;
    assert_eq!(jtis(&answer).len(), 1, "the spec: at most maxEvents");
    assert_eq!(answer["moreAvailable"], json!(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_more_available_says_more_with_nothing_sent() {
    let peer = Peer::start(quirky(&[Quirk::EmptyMoreAvailable])).await;
    let created = peer.create(&poll_body()).await;
    let endpoint = endpoint_of(&created);
    let answer = peer.poll_now(endpoint, &[]).await;
    assert_eq!(answer["sets"], json!({}));
    assert_eq!(answer["moreAvailable"], json!(true));

    peer.set_quirks(&[]).await;
    let answer = peer.poll_now(endpoint, &[]).await;
    assert_eq!(answer["moreAvailable"], json!(false), "the spec");
}
