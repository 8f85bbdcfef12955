//! Runtime, on 127.0.0.1 only: the transmitter's delivery. Push with retries and giving up
//! (RFC 8935), poll with acks, errors, redelivery and long polls (RFC 8936), paused streams that
//! hold and disabled ones that drop (SSF §8.1.2), stream-updated in `--tells` mode and not in
//! `--silent` mode (SSF §8.1.5), and the inactivity pause.

use crate::peer;

use std::sync::Arc;
use std::time::Duration;

use peer::{PUSH_AUTH, Peer, Received, Receiver, decode_verified, endpoint_of, id_of, jtis};
use peer::{payload, poll_body, push_body, quiet, statuses};
use serde_json::json;
use ssf_inspector::core::events;
use ssf_inspector::core::jose::decode_compact;
use ssf_inspector::runtime::transmitter::TransmitterOptions;
use tokio::time::{Instant, sleep};

/// Long enough for anything that was going to arrive to have arrived.
const SETTLE: Duration = Duration::from_millis(250);

fn jtis_of(seen: &[Received]) -> Vec<String> {
    seen.iter().map(Received::jti).collect()
}

/// A push stream to a new receiver answering from `script`.
async fn push_stream(peer: &Peer, script: peer::Script) -> (Receiver, String) {
    let receiver = Receiver::start(script).await;
    let created = peer.create(&push_body(&receiver.url)).await;
    (receiver, id_of(&created).to_owned())
}

/// A poll stream: its id and endpoint.
async fn poll_stream(peer: &Peer) -> (String, String) {
    let created = peer.create(&poll_body()).await;
    (id_of(&created).to_owned(), endpoint_of(&created).to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_retries_503_twice_then_202() {
    let peer = Peer::start(quiet()).await;
    let (receiver, id) = push_stream(&peer, statuses(vec![503, 503])).await;
    let jti = peer.credential_change(&id).await;
    receiver.wait_for(3).await;
    let seen = receiver.settle(SETTLE).await;
    assert_eq!(seen.len(), 3, "exactly three attempts");
    let keys = peer.keys().await;
    for attempt in &seen {
        assert_eq!(attempt.body, seen[0].body, "the same SET each time");
        assert_eq!(attempt.jti(), jti);
        let content_type = attempt.header("content-type");
        assert_eq!(content_type, Some("application/secevent+jwt"));
        assert_eq!(attempt.header("accept"), Some("application/json"));
        assert_eq!(attempt.header("authorization"), Some(PUSH_AUTH));
    }
    let set = decode_verified(&seen[0].body, &keys);
    assert_eq!(set.claims["iss"], peer.tx.issuer.as_str());
    assert_eq!(seen[0].event_uri(), events::caep("credential-change"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_gives_up_after_max_attempts_then_delivers_the_next_set() {
    let peer = Peer::start(TransmitterOptions {
        max_attempts: 2,
        ..quiet()
    })
    .await;
    let refused = events::caep("credential-change");
    let refuse = refused.clone();
    // The receiver always answers 503 to credential-change, and 202 to anything else.
    let script: peer::Script = Arc::new(move |_, body| {
        let set = decode_compact(body).expect("a SET");
        if set.claims["events"].get(&refuse).is_some() {
            503
        } else {
            202
        }
    });
    let (receiver, id) = push_stream(&peer, script).await;
    let failed = peer.credential_change(&id).await;
    let next = peer
        .event(&json!({"event": "session-revoked", "stream_id": id}))
        .await;
    receiver
        .wait_until(Duration::from_secs(3), |seen| seen.len() >= 3)
        .await;
    let seen = receiver.settle(SETTLE).await;
    let expected = vec![failed.clone(), failed, next[0].clone()];
    assert_eq!(jtis_of(&seen), expected, "two attempts, then the next SET");
    assert_eq!(seen[0].event_uri(), refused);
}

// On tokio's paused clock (issue 22): a poll the transmitter held would move the clock on to the
// long poll's timeout; one answered at once leaves it before.
#[tokio::test(start_paused = true)]
async fn poll_return_immediately_with_nothing_pending_answers_at_once() {
    let peer = Peer::start(TransmitterOptions {
        long_poll_timeout: Duration::from_secs(3),
        ..quiet()
    })
    .await;
    let (_, endpoint) = poll_stream(&peer).await;
    let started = Instant::now();
    let answer = peer
        .poll(&endpoint, &json!({"returnImmediately": true}))
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "not held for the long poll's timeout: {:?}",
        started.elapsed()
    );
    assert_eq!(answer, json!({"sets": {}, "moreAvailable": false}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_max_events_more_available_and_acks() {
    let peer = Peer::start(quiet()).await;
    let (id, endpoint) = poll_stream(&peer).await;
    let mut sent = Vec::new();
    for _ in 0..3 {
        sent.push(peer.credential_change(&id).await);
    }
    let request = json!({"maxEvents": 2, "returnImmediately": true});
    let answer = peer.poll(&endpoint, &request).await;
    // `sets` is a JSON object: which SETs, not in what order.
    let mut oldest = sent[..2].to_vec();
    oldest.sort();
    assert_eq!(jtis(&answer), oldest, "the two oldest");
    assert_eq!(answer["moreAvailable"], true);
    let keys = peer.keys().await;
    for (jti, token) in answer["sets"].as_object().unwrap() {
        let set = decode_verified(token.as_str().unwrap(), &keys);
        assert_eq!(set.claim_str("jti"), Some(jti.as_str()));
    }
    let answer = peer.poll_now(&endpoint, &sent[..2]).await;
    assert_eq!(jtis(&answer), sent[2..]);
    assert_eq!(answer["moreAvailable"], false);
    // Past the redelivery delay, only what was not acknowledged could come back.
    sleep(Duration::from_millis(300)).await;
    let answer = peer.poll_now(&endpoint, &sent[2..]).await;
    assert_eq!(answer["sets"], json!({}), "acknowledged SETs stay gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_redelivers_what_is_not_acknowledged() {
    let peer = Peer::start(quiet()).await;
    let (id, endpoint) = poll_stream(&peer).await;
    let jti = peer.credential_change(&id).await;
    let first = peer.poll_now(&endpoint, &[]).await;
    assert_eq!(jtis(&first), [jti.as_str()]);
    let soon = peer.poll_now(&endpoint, &[]).await;
    assert_eq!(soon["sets"], json!({}), "not before redelivery_after");
    sleep(Duration::from_millis(300)).await;
    let again = peer.poll_now(&endpoint, &[]).await;
    assert_eq!(jtis(&again), [jti.as_str()], "redelivered");
    assert_eq!(again["sets"][&jti], first["sets"][&jti], "the same SET");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_set_errs_removes_a_set_without_ack() {
    let peer = Peer::start(quiet()).await;
    let (id, endpoint) = poll_stream(&peer).await;
    let jti = peer.credential_change(&id).await;
    assert_eq!(jtis(&peer.poll_now(&endpoint, &[]).await), [jti.as_str()]);
    let report = json!({"err": "invalid_request", "description": "test"});
    let request = json!({"setErrs": {&jti: report}, "returnImmediately": true});
    assert_eq!(peer.poll(&endpoint, &request).await["sets"], json!({}));
    sleep(Duration::from_millis(300)).await;
    let later = peer.poll_now(&endpoint, &[]).await;
    assert_eq!(
        later["sets"],
        json!({}),
        "a reported SET is not redelivered"
    );
}

// On tokio's paused clock (issue 22): the times below are the runtime's, not the machine's.
#[tokio::test(start_paused = true)]
async fn long_poll_returns_when_an_event_arrives_during_the_wait() {
    let peer = Peer::start(TransmitterOptions {
        long_poll_timeout: Duration::from_secs(3),
        ..quiet()
    })
    .await;
    let (id, endpoint) = poll_stream(&peer).await;
    let started = Instant::now();
    let wait = json!({});
    let (answer, jti) = tokio::join!(peer.poll(&endpoint, &wait), async {
        sleep(Duration::from_millis(150)).await;
        peer.credential_change(&id).await
    });
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(150),
        "it waited: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(3),
        "it did not wait for the timeout: {waited:?}"
    );
    assert_eq!(jtis(&answer), [jti]);
}

// On tokio's paused clock (issue 22): the times below are the runtime's, not the machine's.
#[tokio::test(start_paused = true)]
async fn long_poll_answers_empty_after_the_timeout() {
    let peer = Peer::start(quiet()).await;
    let (_, endpoint) = poll_stream(&peer).await;
    let started = Instant::now();
    let answer = peer.poll(&endpoint, &json!({})).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300),
        "long_poll_timeout: {waited:?}"
    );
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    assert_eq!(answer["sets"], json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paused_holds_and_enabling_delivers_in_order() {
    let peer = Peer::start(quiet()).await;
    let (receiver, id) = push_stream(&peer, statuses(vec![])).await;
    peer.receiver_status(&id, "paused").await;
    let first = peer.credential_change(&id).await;
    let second = peer.credential_change(&id).await;
    assert!(
        receiver.settle(SETTLE).await.is_empty(),
        "nothing while paused"
    );
    peer.receiver_status(&id, "enabled").await;
    receiver.wait_for(2).await;
    let seen = receiver.settle(SETTLE).await;
    assert_eq!(
        jtis_of(&seen),
        [first, second],
        "held SETs, in order, and nothing else"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabled_drops() {
    let peer = Peer::start(quiet()).await;
    let (receiver, id) = push_stream(&peer, statuses(vec![])).await;
    peer.receiver_status(&id, "disabled").await;
    peer.credential_change(&id).await;
    assert!(
        receiver.settle(SETTLE).await.is_empty(),
        "nothing while disabled"
    );
    peer.receiver_status(&id, "enabled").await;
    assert!(receiver.settle(SETTLE).await.is_empty(), "dropped for good");
    let after = peer.credential_change(&id).await;
    receiver.wait_for(1).await;
    assert_eq!(jtis_of(&receiver.settle(SETTLE).await), [after]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_a_paused_stream_drops_what_it_held() {
    // SSF §8.1.2: a disabled stream "will not hold any events for later transmission".
    let peer = Peer::start(quiet()).await;
    let (receiver, id) = push_stream(&peer, statuses(vec![])).await;
    peer.receiver_status(&id, "paused").await;
    peer.credential_change(&id).await;
    peer.receiver_status(&id, "disabled").await;
    peer.receiver_status(&id, "enabled").await;
    let after = peer.credential_change(&id).await;
    receiver.wait_for(1).await;
    assert_eq!(jtis_of(&receiver.settle(SETTLE).await), [after]);
}

/// Event A, a transmitter-initiated disable, event B (dropped), re-enable, event C: what arrives.
async fn disable_and_enable_by_the_transmitter(tells: bool) -> (Peer, String, Vec<Received>) {
    let peer = Peer::start(TransmitterOptions { tells, ..quiet() }).await;
    let (receiver, id) = push_stream(&peer, statuses(vec![])).await;
    let a = peer.credential_change(&id).await;
    receiver.wait_for(1).await;
    peer.transmitter_status(&id, "disabled", "compromised")
        .await;
    assert_eq!(peer.status_of(&id).await, "disabled");
    let b = peer.credential_change(&id).await;
    peer.transmitter_status(&id, "enabled", "all clear").await;
    let c = peer.credential_change(&id).await;
    receiver
        .wait_until(Duration::from_secs(3), |seen| {
            seen.last().is_some_and(|r| r.jti() == c)
        })
        .await;
    let seen = receiver.settle(SETTLE).await;
    let got = jtis_of(&seen);
    assert_eq!(got.first(), Some(&a));
    assert_eq!(got.last(), Some(&c));
    assert!(!got.contains(&b), "B was sent while disabled");
    (peer, id, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tells_sends_stream_updated_before_stopping_and_upon_re_enabling() {
    let (peer, id, seen) = disable_and_enable_by_the_transmitter(true).await;
    assert_eq!(seen.len(), 4, "A, stream-updated ×2, C");
    let keys = peer.keys().await;
    let told = [("disabled", "compromised"), ("enabled", "all clear")];
    for (received, (status, reason)) in seen[1..3].iter().zip(told) {
        let set = decode_verified(&received.body, &keys);
        assert_eq!(received.event_uri(), events::STREAM_UPDATED);
        assert_eq!(payload(&set), json!({"status": status, "reason": reason}));
        assert_eq!(set.claims["sub_id"], json!({"format": "opaque", "id": id}));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_sends_no_stream_updated() {
    let (_peer, _id, seen) = disable_and_enable_by_the_transmitter(false).await;
    assert_eq!(seen.len(), 2, "A and C only");
    assert!(seen.iter().all(|r| r.event_uri() != events::STREAM_UPDATED));
}

fn inactive(tells: bool) -> TransmitterOptions {
    TransmitterOptions {
        tells,
        inactivity_timeout: Some(Duration::from_millis(300)),
        ..quiet()
    }
}

// On the real clock: on the paused one the runtime moved its clock on while the push was on its
// way and the wait gave up. The bound is a lower one (the pause comes after the inactivity
// timeout), which a slow machine cannot miss.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inactivity_pauses_the_stream_and_tells() {
    let peer = Peer::start(inactive(true)).await;
    let started = Instant::now();
    let (receiver, id) = push_stream(&peer, statuses(vec![])).await;
    let seen = receiver
        .wait_until(Duration::from_secs(3), |seen| !seen.is_empty())
        .await;
    assert!(
        started.elapsed() >= Duration::from_millis(290),
        "paused after the inactivity timeout: {:?}",
        started.elapsed()
    );
    let set = decode_verified(&seen[0].body, &peer.keys().await);
    assert_eq!(seen[0].event_uri(), events::STREAM_UPDATED);
    assert_eq!(payload(&set)["status"], "paused");
    assert_eq!(set.claims["sub_id"], json!({"format": "opaque", "id": id}));
    assert_eq!(peer.status_of(&id).await, "paused");
    assert_eq!(receiver.settle(SETTLE).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inactivity_pauses_a_silent_stream_without_a_word() {
    let peer = Peer::start(inactive(false)).await;
    let (receiver, id) = push_stream(&peer, statuses(vec![])).await;
    sleep(Duration::from_millis(700)).await;
    assert_eq!(peer.status_of(&id).await, "paused");
    assert!(
        receiver.seen().is_empty(),
        "{:?}",
        jtis_of(&receiver.seen())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn management_calls_reset_the_inactivity_timer() {
    // SSF §8.1.1: for a push stream, any management call that references it resets the timer.
    let peer = Peer::start(inactive(true)).await;
    let (receiver, id) = push_stream(&peer, statuses(vec![])).await;
    for _ in 0..6 {
        sleep(Duration::from_millis(120)).await;
        assert_eq!(peer.status_of(&id).await, "enabled");
    }
    assert!(receiver.seen().is_empty(), "no stream-updated");
}
