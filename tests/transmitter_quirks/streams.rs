//! Quirks of the configuration endpoint: single-stream, strict-create, config-without-id,
//! deleted-is-disabled and no-patch.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use ssf_inspector::core::events::{self, caep};
use ssf_inspector::runtime::transmitter::{Quirk, TransmitterOptions};

use crate::peer::{Peer, Receiver, decode_verified, endpoint_of, id_of, jtis};
use crate::peer::{poll_body, push_body, quirky, statuses};

const POST: Method = Method::POST;

/// Several streams allowed, and this quirk.
fn multiple(quirk: Quirk) -> TransmitterOptions {
    TransmitterOptions {
        multiple_streams: true,
        ..quirky(&[quirk])
    }
}

/// The status and text of an answer.
async fn answer(resp: reqwest::Response) -> (u16, String) {
    (
        resp.status().as_u16(),
        resp.text().await.expect("a text answer"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_stream_a_create_replaces_the_stream_and_cancels_its_delivery() {
    let options = TransmitterOptions {
        retry_base: Duration::from_millis(30),
        max_attempts: 10,
        ..multiple(Quirk::SingleStream)
    };
    let peer = Peer::start(options).await;
    // The first stream's receiver is down: its SET is retried until the stream goes.
    let receiver = Receiver::start(statuses(vec![503; 20])).await;
    let first = peer.create(&push_body(&receiver.url)).await;
    peer.credential_change(id_of(&first)).await;
    receiver.wait_for(2).await;
    let second = peer.create(&poll_body()).await;
    let attempts = receiver.seen().len();
    assert_ne!(id_of(&first), id_of(&second));
    let all = peer.get_json("/streams", &[]).await;
    assert_eq!(all, json!([second]), "one stream in all");
    let old = peer.get("/status", &[("stream_id", id_of(&first))]).await;
    assert_eq!(old.status(), 404, "the replaced stream is gone");
    let made = peer.event(&json!({"event": "credential-change"})).await;
    let answer = peer.poll_now(endpoint_of(&second), &[]).await;
    assert_eq!(jtis(&answer), made, "the new stream delivers");
    let later = receiver.settle(Duration::from_millis(500)).await.len();
    assert!(
        later <= attempts + 1,
        "retries stopped: {attempts} then {later}"
    );

    // Without the quirk (and with multiple_streams) a create adds a stream.
    peer.set_quirks(&[]).await;
    peer.create(&poll_body()).await;
    let all = peer.get_json("/streams", &[]).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_create_needs_aud_and_refuses_unknown_members_and_event_types() {
    let peer = Peer::start(multiple(Quirk::StrictCreate)).await;
    let p = &peer;
    let send = |body: Value| async move { answer(p.send(POST, "/streams", &body).await).await };
    assert_eq!(send(poll_body()).await, (422, "aud is required".to_owned()));
    let mut body = poll_body();
    body["aud"] = json!("https://receiver.example.com/");
    body["description"] = json!("mine");
    let expected = "unexpected members in a create request: description";
    assert_eq!(send(body.clone()).await, (422, expected.to_owned()));
    let mut unsupported = poll_body();
    unsupported["aud"] = json!("https://receiver.example.com/");
    let asked = [
        caep("credential-change"),
        "urn:example:a".to_owned(),
        "urn:example:b".to_owned(),
    ];
    unsupported["events_requested"] = json!(asked);
    let expected = "unsupported event types: urn:example:a, urn:example:b";
    assert_eq!(send(unsupported).await, (422, expected.to_owned()));
    let mut number = poll_body();
    number["aud"] = json!(7);
    assert_eq!(send(number).await.0, 422);

    let audiences = json!(["https://a.example.com/", "https://b.example.com/"]);
    let mut both = poll_body();
    both["aud"] = audiences.clone();
    let created = peer.create(&both).await;
    assert_eq!(
        created["aud"], audiences,
        "the stream's aud is the one asked"
    );
    let jti = peer.credential_change(id_of(&created)).await;
    let polled = peer.poll_now(endpoint_of(&created), &[]).await;
    let set = decode_verified(polled["sets"][&jti].as_str().unwrap(), &peer.keys().await);
    assert_eq!(set.claims["aud"], audiences, "and the SETs'");
    let mut one = poll_body();
    one["aud"] = json!("https://a.example.com/");
    assert_eq!(peer.create(&one).await["aud"], "https://a.example.com/");

    // Without the quirk: description is fine, aud is the transmitter's own.
    peer.set_quirks(&[]).await;
    let created = peer.create(&body).await;
    assert_eq!(created["description"], "mine");
    assert_ne!(created["aud"], "https://receiver.example.com/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_without_id_one_stream_read_as_an_object_updated_by_post_reset_by_delete() {
    let peer = Peer::start(quirky(&[Quirk::ConfigWithoutId])).await;
    assert_eq!(peer.get("/streams", &[]).await.status(), 404, "none yet");
    let mut body = poll_body();
    body["description"] = json!("mine");
    let created = peer.create(&body).await;
    assert!(created.get("stream_id").is_none(), "{created}");
    assert!(created.get("description").is_none(), "{created}");
    let endpoint = endpoint_of(&created).to_owned();
    assert_eq!(endpoint, peer.url("/poll"), "no id in the poll URL either");
    assert_eq!(peer.get_json("/streams", &[]).await, created, "an object");
    let named = peer.get_json("/streams", &[("stream_id", "other")]).await;
    assert_eq!(named, created, "a stream_id is ignored");

    let only = json!([caep("credential-change")]);
    let update = json!({"events_requested": only});
    let resp = peer.send(POST, "/streams", &update).await;
    assert_eq!(resp.status(), 200, "POST updates the stream");
    let updated: Value = resp.json().await.unwrap();
    assert_eq!(updated["events_delivered"], only);
    assert_eq!(updated["delivery"], created["delivery"]);
    assert_eq!(peer.get_json("/streams", &[]).await, updated);

    let status = peer.get_json("/status", &[]).await;
    assert_eq!(status, json!({"status": "enabled"}));
    let paused = json!({"stream_id": "other", "status": "paused"});
    peer.check(POST, "/status", &paused, 200).await;
    assert_eq!(peer.get_json("/status", &[]).await["status"], "paused");
    peer.check(POST, "/status", &json!({"status": "enabled"}), 200)
        .await;
    let bob = json!({"format": "email", "email": "bob@example.com"});
    let remove = json!({"subject": bob});
    peer.check(POST, "/subjects:remove", &remove, 204).await;
    peer.check(POST, "/verify", &json!({"state": "s1"}), 204)
        .await;
    let about_bob = json!({"event": "credential-change", "subject": bob});
    assert_eq!(peer.event(&about_bob).await.len(), 1);
    let polled = peer.poll_now(&endpoint, &[]).await;
    let sets: Vec<&Value> = polled["sets"].as_object().unwrap().values().collect();
    assert_eq!(sets.len(), 1, "the verification, not bob's SET: {polled}");
    let set = decode_verified(sets[0].as_str().unwrap(), &peer.keys().await);
    assert!(set.claims["events"].get(events::VERIFICATION).is_some());

    // DELETE resets: the unacknowledged SET and the removed subject are gone, the stream stays.
    let reset = peer.req(Method::DELETE, "/streams").send().await.unwrap();
    assert_eq!(reset.status(), 200);
    assert_eq!(peer.get_json("/streams", &[]).await, updated, "still there");
    tokio::time::sleep(Duration::from_millis(250)).await; // past redelivery_after
    let polled = peer.poll_now(&endpoint, &[]).await;
    assert_eq!(
        polled["sets"],
        json!({}),
        "nothing redelivered after the reset"
    );
    let again = peer.event(&about_bob).await;
    assert_eq!(
        jtis(&peer.poll_now(&endpoint, &[]).await),
        again,
        "bob is back"
    );
    assert_eq!(peer.delete("other").await, 200, "with a stream_id too");

    // Without the quirk: the ordinary list of configurations with their ids.
    peer.set_quirks(&[]).await;
    let all = peer.get_json("/streams", &[]).await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0]["stream_id"].is_string(), "{all:?}");
    assert_eq!(
        peer.get("/status", &[]).await.status(),
        400,
        "stream_id needed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_is_disabled_a_deleted_stream_reads_as_disabled() {
    let peer = Peer::start(quirky(&[Quirk::DeletedIsDisabled])).await;
    let created = peer.create(&poll_body()).await;
    let id = id_of(&created);
    assert_eq!(peer.delete(id).await, 204);
    let status = peer.get_json("/status", &[("stream_id", id)]).await;
    let disabled = json!({"stream_id": id, "status": "disabled", "reason": "no_stream"});
    assert_eq!(status, disabled);
    let read = peer.get("/streams", &[("stream_id", id)]).await;
    assert_eq!(read.status(), 404);
    peer.check(POST, "/verify", &json!({"stream_id": id}), 404)
        .await;
    assert_eq!(peer.get_json("/streams", &[]).await, json!([]));
    let never = peer.get("/status", &[("stream_id", "never-was")]).await;
    assert_eq!(never.status(), 404, "only deleted streams");

    peer.set_quirks(&[]).await;
    let status = peer.get("/status", &[("stream_id", id)]).await;
    assert_eq!(status.status(), 404, "the spec answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_patch_answers_501_and_put_still_works() {
    let peer = Peer::start(quirky(&[Quirk::NoPatch])).await;
    let created = peer.create(&poll_body()).await;
    let only = json!([caep("session-revoked")]);
    let patch = json!({"stream_id": id_of(&created), "events_requested": only});
    let resp = peer.send(Method::PATCH, "/streams", &patch).await;
    let expected = (501, "PATCH is not implemented; use PUT".to_owned());
    assert_eq!(answer(resp).await, expected);
    let read = peer
        .get_json("/streams", &[("stream_id", id_of(&created))])
        .await;
    assert_eq!(read, created, "unchanged");
    let resp = peer.send(Method::PUT, "/streams", &patch).await;
    assert_eq!(resp.status(), 200);
    let replaced: Value = resp.json().await.unwrap();
    assert_eq!(replaced["events_delivered"], only);

    peer.set_quirks(&[]).await;
    peer.check(Method::PATCH, "/streams", &patch, 200).await;
}
