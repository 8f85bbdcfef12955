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
    // As solarssk/ssf-transmitter's pydantic error: what is unsupported, what is supported,
    // and every type asked in `input`.
    let (status, text) = send(unsupported).await;
    assert_eq!(status, 422);
    let detail: Value = serde_json::from_str(&text).expect("a JSON body");
    let msg = detail["detail"][0]["msg"].as_str().unwrap_or_default();
    assert!(
        msg.contains(
            r#"Unsupported event URI(s): ["urn:example:a", "urn:example:b"]. Supported: ["#
        ),
        "{msg}"
    );
    assert!(msg.contains(&caep("credential-change")), "{msg}");
    assert_eq!(detail["detail"][0]["input"], json!(asked));
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
    // PATCH and PUT are not how it is changed (duo-labs/sharedsignals answers 405).
    peer.check(Method::PATCH, "/streams", &update, 405).await;
    peer.check(Method::PUT, "/streams", &update, 405).await;

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

/// solarssk/ssf-transmitter: `?stream_id=` (and `stream_id` in a body) is ignored; every call
/// acts on the one stream there is, whoever made it, and says which it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignores_stream_id_every_call_acts_on_the_one_stream() {
    let peer = Peer::start(quirky(&[Quirk::SingleStream, Quirk::IgnoresStreamId])).await;
    let theirs = peer.create(&poll_body()).await;
    let id = id_of(&theirs).to_owned();
    // Asked for another id, it answers for its stream (naming it): an object, not a list.
    let read = peer.get_json("/streams", &[("stream_id", "ours")]).await;
    assert_eq!(read["stream_id"], id.as_str());
    let status = peer.get_json("/status", &[("stream_id", "ours")]).await;
    assert_eq!(status["stream_id"], id.as_str());
    peer.check(
        POST,
        "/status",
        &json!({"stream_id": "ours", "status": "paused"}),
        200,
    )
    .await;
    assert_eq!(peer.status_of(&id).await, "paused", "theirs was paused");
    // DELETE of another id deletes theirs: 204, and it is gone.
    assert_eq!(peer.delete("ours").await, 204);
    assert_eq!(peer.get("/streams", &[]).await.status(), 404);
    assert_eq!(peer.delete("ours").await, 204, "204 with nothing there too");
}

/// solarssk/ssf-transmitter: a push create is answered after a verification SET reached the
/// new stream's receiver; when that push fails, 502, and with `single-stream` the stream that
/// was there is gone too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_on_create_a_failed_verification_push_fails_the_create_after_the_replace() {
    let peer = Peer::start(quirky(&[Quirk::SingleStream, Quirk::VerifyOnCreate])).await;
    let theirs = peer.create(&poll_body()).await;
    let down = Receiver::start(statuses(vec![503; 10])).await;
    let resp = peer.send(POST, "/streams", &push_body(&down.url)).await;
    assert_eq!(resp.status(), 502);
    let text = resp.text().await.unwrap();
    assert!(text.contains("verification push failed"), "{text}");
    assert_eq!(down.seen().len(), 1, "one verification push, no retry");
    let gone = peer.get("/status", &[("stream_id", id_of(&theirs))]).await;
    assert_eq!(gone.status(), 404, "the stream that was there is gone");
    assert_eq!(peer.get_json("/streams", &[]).await, json!([]));
    // A receiver that takes it: 201, after its verification SET.
    let up = Receiver::start(statuses(vec![])).await;
    let created = peer.create(&push_body(&up.url)).await;
    let first = up.wait_for(1).await;
    assert_eq!(first[0].event_uri(), events::VERIFICATION);
    assert!(
        first[0].set().claims["events"][events::VERIFICATION]
            .get("state")
            .is_none()
    );
    assert!(created["stream_id"].is_string());
}

/// solarssk/ssf-transmitter: the status endpoint only reads (POST 405); PATCH of the
/// configuration with `status` changes it. Configurations say `"stream_model":
/// "single-stream"` with `stream-model`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_by_patch_and_stream_model() {
    let peer = Peer::start(quirky(&[Quirk::StatusByPatch, Quirk::StreamModel])).await;
    let created = peer.create(&poll_body()).await;
    assert_eq!(created["stream_model"], "single-stream");
    let id = id_of(&created).to_owned();
    let post = json!({"stream_id": id, "status": "paused"});
    peer.check(POST, "/status", &post, 405).await;
    assert_eq!(peer.status_of(&id).await, "enabled");
    peer.check(Method::PATCH, "/streams", &post, 200).await;
    assert_eq!(peer.status_of(&id).await, "paused");
    let bad = json!({"stream_id": id, "status": "failed"});
    peer.check(Method::PATCH, "/streams", &bad, 400).await;
}

/// A verification endpoint that answers 404 (a route bug) while the stream is there; a create
/// without `iss` refused as `{"error":"missing_fields: iss"}`; a status SSF does not define set
/// by the operator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_not_found_requires_iss_and_an_unknown_status() {
    let peer = Peer::start(quirky(&[Quirk::VerifyNotFound, Quirk::RequiresIss])).await;
    let refused = peer.send(POST, "/streams", &poll_body()).await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body, json!({"error": "missing_fields: iss"}));
    let mut with_iss = poll_body();
    with_iss["iss"] = json!("https://receiver.example/");
    let created = peer.create(&with_iss).await;
    let id = id_of(&created).to_owned();
    let verify = peer
        .send(POST, "/verify", &json!({"stream_id": id, "state": "s"}))
        .await;
    assert_eq!(verify.status(), 404);
    assert_eq!(
        verify.json::<Value>().await.unwrap(),
        json!({"detail": "Not Found"})
    );
    assert_eq!(
        peer.get("/streams", &[("stream_id", &id)]).await.status(),
        200
    );
    let failed = json!({"stream_id": id, "status": "failed"});
    peer.check(POST, "/control/status", &failed, 200).await;
    assert_eq!(peer.status_of(&id).await, "failed");
    let enabled = json!({"stream_id": id, "status": "enabled"});
    peer.check(POST, "/control/status", &enabled, 200).await;
    assert_eq!(peer.status_of(&id).await, "enabled");
}
