//! Runtime, on 127.0.0.1 only: the transmitter's discovery metadata, JWKS and key rotation, and
//! every stream management operation (SSF §7, §8.1.1–§8.1.4) with its errors.

use crate::peer;

use peer::{Peer, TOKEN, decode_verified, endpoint_of, event_uri, id_of, jtis, payload};
use peer::{poll_body, push_body, quiet};
use reqwest::Method;
use serde_json::{Value, json};
use ssf_inspector::core::discovery::{POLL_METHOD, PUSH_METHOD};
use ssf_inspector::core::events::{self, caep};
use ssf_inspector::runtime::transmitter::TransmitterOptions;

const POST: Method = Method::POST;
const PATCH: Method = Method::PATCH;

const ENDPOINTS: [(&str, &str); 6] = [
    ("jwks_uri", "/jwks.json"),
    ("configuration_endpoint", "/streams"),
    ("status_endpoint", "/status"),
    ("add_subject_endpoint", "/subjects:add"),
    ("remove_subject_endpoint", "/subjects:remove"),
    ("verification_endpoint", "/verify"),
];

fn multiple() -> TransmitterOptions {
    TransmitterOptions {
        multiple_streams: true,
        ..quiet()
    }
}

async fn fetch(peer: &Peer, url: &str) -> reqwest::Response {
    let answer = peer.http.get(url).send().await;
    answer.expect("the transmitter answers")
}

fn check_metadata(metadata: &Value, issuer: &str) {
    assert_eq!(metadata["spec_version"], "1_0");
    assert_eq!(metadata["issuer"], issuer, "the Issuer URL exactly");
    let methods = &metadata["delivery_methods_supported"];
    let methods = methods.as_array().expect("delivery methods");
    assert!(methods.contains(&json!(PUSH_METHOD)), "{methods:?}");
    assert!(methods.contains(&json!(POLL_METHOD)), "{methods:?}");
    for (name, path) in ENDPOINTS {
        assert_eq!(metadata[name], format!("{issuer}{path}"), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_names_the_issuer_both_methods_and_every_endpoint() {
    let peer = Peer::start(quiet()).await;
    let issuer = peer.tx.issuer.clone();
    assert_eq!(issuer, format!("http://{}", peer.tx.addr));
    let resp = fetch(&peer, &format!("{issuer}/.well-known/ssf-configuration")).await;
    assert_eq!(resp.status(), 200);
    let json = resp.headers()["content-type"].to_str().unwrap();
    assert!(json.starts_with("application/json"), "{json}");
    check_metadata(&resp.json().await.unwrap(), &issuer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_of_an_issuer_with_a_path_is_inserted_after_the_host() {
    let options = TransmitterOptions {
        issuer_path: "/tenant1".to_owned(),
        ..quiet()
    };
    let peer = Peer::start(options).await;
    let host = format!("http://{}", peer.tx.addr);
    assert_eq!(peer.tx.issuer, format!("{host}/tenant1"));
    let url = format!("{host}/.well-known/ssf-configuration/tenant1");
    let inserted = fetch(&peer, &url).await;
    assert_eq!(inserted.status(), 200, "SSF §7.2: after the host");
    check_metadata(&inserted.json().await.unwrap(), &peer.tx.issuer);
    let url = format!("{host}/tenant1/.well-known/ssf-configuration");
    let appended = fetch(&peer, &url).await;
    assert_eq!(appended.status(), 404, "never after the path");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwks_has_ec_and_rsa_keys_and_rotation_keeps_the_old_kid() {
    let peer = Peer::start(quiet()).await;
    let jwks = fetch(&peer, &peer.url("/jwks.json")).await;
    let jwks: Value = jwks.json().await.unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    let kty: Vec<&str> = keys.iter().filter_map(|k| k["kty"].as_str()).collect();
    assert!(kty.contains(&"EC") && kty.contains(&"RSA"), "{kty:?}");

    let stream = peer.create(&poll_body()).await;
    let (id, endpoint) = (id_of(&stream), endpoint_of(&stream));
    let first = peer.credential_change(id).await;
    let answer = peer.poll_now(endpoint, &[]).await;
    let first_token = answer["sets"][&first].as_str().unwrap().to_owned();
    let before = decode_verified(&first_token, &peer.keys().await);
    let old_kid = before.kid().unwrap().to_owned();

    let rotated = peer.send(POST, "/control/rotate-keys", &json!({})).await;
    let rotated: Value = rotated.json().await.unwrap();
    let new_kid = rotated["kid"].as_str().unwrap();
    assert_ne!(new_kid, old_kid);
    let second = peer.credential_change(id).await;
    let request = json!({"ack": [first], "returnImmediately": true});
    let answer = peer.poll(endpoint, &request).await;
    let keys = peer.keys().await;
    let after = decode_verified(answer["sets"][&second].as_str().unwrap(), &keys);
    assert_eq!(after.kid(), Some(new_kid), "the new key signs new SETs");
    let kids = keys.kids();
    assert!(kids.contains(&old_kid), "old kid still published: {kids:?}");
    decode_verified(&first_token, &keys);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_push_and_default_poll_streams() {
    let peer = Peer::start(multiple()).await;
    let mut body = push_body("http://127.0.0.1:9/events");
    let asked = [caep("credential-change"), events::risc("account-disabled")];
    body["events_requested"] = json!([asked[0], asked[1], "urn:example:unknown"]);
    let push = peer.create(&body).await;
    assert_eq!(push["iss"], peer.tx.issuer);
    assert!(push["aud"].is_string(), "{push}");
    assert!(push["stream_id"].is_string(), "{push}");
    assert_eq!(push["delivery"]["method"], PUSH_METHOD);
    assert_eq!(endpoint_of(&push), "http://127.0.0.1:9/events");
    let supported = push["events_supported"].as_array().unwrap();
    assert!(asked.iter().all(|e| supported.contains(&json!(e))));
    assert!(!supported.contains(&json!("urn:example:unknown")));
    assert_eq!(push["events_delivered"], json!(asked), "∩ requested");

    let poll = peer.create(&json!({"events_requested": [asked[0]]})).await;
    // No delivery means poll, with a transmitter-supplied URL (SSF §8.1.1.1).
    assert_eq!(poll["delivery"]["method"], POLL_METHOD);
    let url = endpoint_of(&poll);
    assert!(url.starts_with(&peer.tx.issuer), "{url}");
    assert_ne!(poll["stream_id"], push["stream_id"]);
    let answer = peer.poll_now(url, &[]).await;
    assert_eq!(answer["sets"], json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_one_all_and_unknown() {
    let peer = Peer::start(quiet()).await;
    assert_eq!(peer.get_json("/streams", &[]).await, json!([]), "none");
    let created = peer.create(&poll_body()).await;
    let query = [("stream_id", id_of(&created))];
    let one = peer.get("/streams", &query).await;
    assert_eq!(one.status(), 200);
    assert_eq!(one.headers()["cache-control"], "no-store");
    assert_eq!(one.json::<Value>().await.unwrap(), created);
    assert_eq!(peer.get_json("/streams", &[]).await, json!([created]));
    let unknown = peer.get("/streams", &[("stream_id", "nope")]).await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_updates_requested_and_rejects_bad_changes() {
    let peer = Peer::start(quiet()).await;
    let created = peer.create(&poll_body()).await;
    let id = id_of(&created);
    let only = json!([caep("session-revoked")]);
    let change = json!({"stream_id": id, "events_requested": only});
    let resp = peer.send(PATCH, "/streams", &change).await;
    assert_eq!(resp.status(), 200);
    let patched: Value = resp.json().await.unwrap();
    assert_eq!(patched["events_requested"], only);
    assert_eq!(patched["events_delivered"], only, "recomputed");
    assert_eq!(patched["delivery"], created["delivery"], "unchanged");

    let no_id = json!({"events_requested": only});
    peer.check(PATCH, "/streams", &no_id, 400).await;
    let aud = json!({"stream_id": id, "aud": "https://elsewhere.example.com/"});
    peer.check(PATCH, "/streams", &aud, 400).await;
    let same = json!({"stream_id": id, "aud": created["aud"], "events_delivered": only});
    peer.check(PATCH, "/streams", &same, 200).await;
    let unknown = json!({"stream_id": "nope", "description": "x"});
    peer.check(PATCH, "/streams", &unknown, 404).await;
    let read = peer.get_json("/streams", &[("stream_id", id)]).await;
    assert_eq!(read["aud"], created["aud"]);
    assert_eq!(read["events_delivered"], only);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_without_description_removes_it_and_delete_then_read_is_404() {
    let peer = Peer::start(quiet()).await;
    let mut body = poll_body();
    body["description"] = json!("first");
    let created = peer.create(&body).await;
    assert_eq!(created["description"], "first");
    let id = id_of(&created);
    let mut replace = poll_body();
    replace["stream_id"] = json!(id);
    let resp = peer.send(Method::PUT, "/streams", &replace).await;
    assert_eq!(resp.status(), 200);
    let replaced: Value = resp.json().await.unwrap();
    assert!(replaced.get("description").is_none(), "{replaced}");
    assert_eq!(replaced["events_delivered"], created["events_delivered"]);
    let read = peer.get_json("/streams", &[("stream_id", id)]).await;
    assert!(read.get("description").is_none(), "{read}");
    replace["stream_id"] = json!("nope");
    peer.check(Method::PUT, "/streams", &replace, 404).await;

    assert_eq!(peer.delete(id).await, 204);
    let read = peer.get("/streams", &[("stream_id", id)]).await;
    assert_eq!(read.status(), 404);
    assert_eq!(peer.delete(id).await, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_stream_conflicts_unless_multiple_streams() {
    let single = Peer::start(quiet()).await;
    single.create(&poll_body()).await;
    single.check(POST, "/streams", &poll_body(), 409).await;
    let multiple = Peer::start(multiple()).await;
    let a = multiple.create(&poll_body()).await;
    let b = multiple.create(&poll_body()).await;
    assert_ne!(a["stream_id"], b["stream_id"]);
    let all = multiple.get_json("/streams", &[]).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_is_401_and_a_read_token_cannot_change() {
    let options = TransmitterOptions {
        read_token: Some("reader".to_owned()),
        ..quiet()
    };
    let peer = Peer::start(options).await;
    let created = peer.create(&poll_body()).await;
    let id = id_of(&created);
    let url = peer.url("/streams");
    let http = &peer.http;
    for resp in [
        http.get(&url).send().await.unwrap(),
        http.post(&url).json(&poll_body()).send().await.unwrap(),
        http.get(&url).bearer_auth("wrong").send().await.unwrap(),
        http.post(endpoint_of(&created)).send().await.unwrap(),
    ] {
        let (url, headers) = (resp.url(), resp.headers());
        assert_eq!(resp.status(), 401, "{url}");
        assert!(headers.contains_key("www-authenticate"), "{url}");
    }
    let query = [("stream_id", id)];
    for path in ["/streams", "/status"] {
        let read = http.get(peer.url(path)).query(&query);
        let read = read.bearer_auth("reader").send().await.unwrap();
        assert_eq!(read.status(), 200, "{path}");
    }
    let change = json!({"stream_id": id, "description": "x"});
    for method in [POST, PATCH, Method::PUT] {
        let request = http.request(method.clone(), &url).bearer_auth("reader");
        let resp = request.json(&change).send().await.unwrap();
        assert_eq!(resp.status(), 403, "{method}");
    }
    let delete = http.delete(&url).query(&query).bearer_auth("reader");
    assert_eq!(delete.send().await.unwrap().status(), 403);
    assert_eq!(peer.status_of(id).await, "enabled", "still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_json_and_unsupported_delivery_are_400() {
    let peer = Peer::start(quiet()).await;
    let bad = peer
        .req(POST, "/streams")
        .header("content-type", "application/json");
    assert_eq!(bad.body("{not json").send().await.unwrap().status(), 400);
    let other = json!({"delivery": {"method": "urn:example:carrier-pigeon"}});
    peer.check(POST, "/streams", &other, 400).await;
    let no_url = json!({"delivery": {"method": PUSH_METHOD}});
    peer.check(POST, "/streams", &no_url, 400).await;
    // Nothing was created by the refused requests (a create would otherwise be 409).
    peer.create(&poll_body()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bearer_scheme_name_is_case_insensitive() {
    // RFC 7235 §2.1 / RFC 9110 §11.1: the authentication scheme is a case-insensitive token.
    let peer = Peer::start(quiet()).await;
    let request = peer.http.get(peer.url("/streams"));
    let request = request.header("authorization", format!("bearer {TOKEN}"));
    assert_eq!(request.send().await.unwrap().status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_read_and_receiver_update_without_stream_updated() {
    let peer = Peer::start(quiet()).await;
    let created = peer.create(&poll_body()).await;
    let id = id_of(&created);
    let read = peer.get_json("/status", &[("stream_id", id)]).await;
    assert_eq!(read, json!({"stream_id": id, "status": "enabled"}));
    let pause = json!({"stream_id": id, "status": "paused", "reason": "maintenance"});
    let resp = peer.send(POST, "/status", &pause).await;
    assert_eq!(resp.status(), 200);
    let updated: Value = resp.json().await.unwrap();
    assert_eq!(updated, pause, "the updated status object");
    assert_eq!(peer.status_of(id).await, "paused");
    peer.receiver_status(id, "disabled").await;
    peer.receiver_status(id, "enabled").await;
    let answer = peer.poll_now(endpoint_of(&created), &[]).await;
    // No stream-updated for the receiver's own changes.
    assert_eq!(answer["sets"], json!({}));

    let unknown = peer.get("/status", &[("stream_id", "nope")]).await;
    assert_eq!(unknown.status(), 404);
    let unknown = json!({"stream_id": "nope", "status": "paused"});
    peer.check(POST, "/status", &unknown, 404).await;
    let bad = json!({"stream_id": id, "status": "sleeping"});
    peer.check(POST, "/status", &bad, 400).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subjects_add_remove_errors_and_removed_subjects_are_not_sent() {
    let peer = Peer::start(quiet()).await;
    let created = peer.create(&poll_body()).await;
    let (id, endpoint) = (id_of(&created), endpoint_of(&created));
    let bob = json!({"format": "email", "email": "bob@example.com"});
    let carol = json!({"format": "email", "email": "carol@example.com"});
    let add = json!({"stream_id": id, "subject": carol});
    peer.check(POST, "/subjects:add", &add, 200).await;
    let bob_req = json!({"stream_id": id, "subject": bob});
    peer.check(POST, "/subjects:remove", &bob_req, 204).await;
    for path in ["/subjects:add", "/subjects:remove"] {
        let bad = json!({"stream_id": id, "subject": "bob@example.com"});
        peer.check(POST, path, &bad, 400).await;
        let unknown = json!({"stream_id": "nope", "subject": bob});
        peer.check(POST, path, &unknown, 404).await;
    }
    let about = |subject: &Value| json!({"event": "credential-change", "stream_id": id, "subject": subject});
    let about_bob = peer.event(&about(&bob)).await;
    let about_carol = peer.event(&about(&carol)).await;
    let answer = peer.poll_now(endpoint, &[]).await;
    assert_eq!(jtis(&answer), about_carol, "not bob's {about_bob:?}");

    peer.check(POST, "/subjects:add", &bob_req, 200).await;
    let again = peer.event(&about(&bob)).await;
    let answer = peer.poll_now(endpoint, &about_carol).await;
    assert_eq!(jtis(&answer), again, "bob is back once added");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_echoes_state_and_is_rate_limited() {
    let peer = Peer::start(quiet()).await;
    let created = peer.create(&poll_body()).await;
    let id = id_of(&created);
    let request = json!({"stream_id": id, "state": "VGhpcyBpcyBzdGF0ZQ"});
    peer.check(POST, "/verify", &request, 204).await;
    let answer = peer.poll_now(endpoint_of(&created), &[]).await;
    let sets: Vec<&Value> = answer["sets"].as_object().unwrap().values().collect();
    assert_eq!(sets.len(), 1, "{answer}");
    let set = decode_verified(sets[0].as_str().unwrap(), &peer.keys().await);
    assert_eq!(event_uri(&set), events::VERIFICATION);
    assert_eq!(payload(&set), json!({"state": "VGhpcyBpcyBzdGF0ZQ"}));
    assert_eq!(set.claims["sub_id"], json!({"format": "opaque", "id": id}));
    assert_eq!(set.claims["iss"], peer.tx.issuer.as_str());
    assert_eq!(set.claims["aud"], created["aud"]);
    assert!(set.claims.get("sub").is_none(), "SSF §4.1.2");
    assert!(set.claims.get("exp").is_none(), "SSF §4.1.7");

    let again = json!({"stream_id": id});
    peer.check(POST, "/verify", &again, 429).await;
    let unknown = json!({"stream_id": "nope"});
    peer.check(POST, "/verify", &unknown, 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_can_cut_the_receiver_off_and_restore_it() {
    let peer = Peer::start(quiet()).await;
    let stream = peer.create(&poll_body()).await;
    let id = id_of(&stream);
    peer.check(POST, "/control/fault", &json!({"access": "maybe"}), 400)
        .await;
    peer.check(POST, "/control/fault", &json!({"access": "revoked"}), 200)
        .await;
    let refused = peer.get("/streams", &[("stream_id", id)]).await;
    assert_eq!(refused.status(), 401, "the receiver's calls are refused");
    // The operator's control endpoint still answers.
    peer.check(POST, "/control/fault", &json!({"access": "granted"}), 200)
        .await;
    assert_eq!(
        peer.get("/streams", &[("stream_id", id)]).await.status(),
        200
    );

    peer.check(POST, "/control/fault", &json!({"jwks": "unavailable"}), 200)
        .await;
    assert_eq!(fetch(&peer, &peer.url("/jwks.json")).await.status(), 503);
    peer.check(
        POST,
        "/control/fault",
        &json!({"jwks": "without_active_key"}),
        200,
    )
    .await;
    let signed = peer.credential_change(id).await;
    let answer = peer.poll_now(endpoint_of(&stream), &[]).await;
    let token = answer["sets"][&signed]
        .as_str()
        .expect("the SET")
        .to_owned();
    let kid = jsonwebtoken::decode_header(&token)
        .expect("a header")
        .kid
        .expect("a kid");
    let kids = peer.keys().await.kids();
    assert!(!kids.contains(&kid), "{kid} is hidden from {kids:?}");
    peer.check(POST, "/control/fault", &json!({"jwks": "served"}), 200)
        .await;
    assert!(peer.keys().await.kids().contains(&kid));
}
