//! The echo-errors quirk: error answers carry the request back, Authorization header included;
//! JSON when the request body was JSON, plain text otherwise.

use reqwest::Method;
use serde_json::{Value, json};
use ssf_inspector::runtime::transmitter::Quirk;

use crate::peer::{Peer, TOKEN, endpoint_of, poll_body, quirky};

const NO_STREAM: &str = "no such stream for this receiver";
const ONE_STREAM: &str = "this transmitter supports one stream per receiver";

/// Status, content type and text of an answer.
async fn parts(resp: reqwest::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("content-type")
        .map_or("", |v| v.to_str().expect("a text header"));
    let kind = kind.to_owned();
    (status, kind, resp.text().await.expect("a text answer"))
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).expect("a JSON error body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_errors_answer_with_the_request_and_its_authorization() {
    let peer = Peer::start(quirky(&[Quirk::EchoErrors])).await;
    let created = peer.create(&poll_body()).await;
    let bearer = format!("Bearer {TOKEN}");

    // No body (GET, DELETE): plain text.
    let (status, kind, text) = parts(peer.get("/streams", &[("stream_id", "nope")]).await).await;
    assert_eq!(status, 404);
    assert!(kind.starts_with("text/plain"), "{kind}");
    assert_eq!(
        text,
        format!("error: {NO_STREAM}; request: ; Authorization: {bearer}")
    );
    let delete = peer
        .req(Method::DELETE, "/streams")
        .query(&[("stream_id", "nope")]);
    let (status, _, text) = parts(delete.send().await.unwrap()).await;
    assert_eq!((status, text.starts_with("error: ")), (404, true), "{text}");

    // A JSON body: a JSON answer with the body as sent.
    let (status, kind, text) = parts(peer.send(Method::POST, "/streams", &poll_body()).await).await;
    assert_eq!(status, 409);
    assert!(kind.starts_with("application/json"), "{kind}");
    let expected = json!({"error": ONE_STREAM, "request": poll_body(), "authorization": bearer});
    assert_eq!(json_of(&text), expected);
    let verify = json!({"stream_id": "nope", "state": "s"});
    let (status, _, text) = parts(peer.send(Method::POST, "/verify", &verify).await).await;
    assert_eq!(status, 404);
    assert_eq!(
        json_of(&text),
        json!({"error": NO_STREAM, "request": verify, "authorization": bearer})
    );
    let bad = json!({"maxEvents": -1});
    let (status, _, text) = parts(peer.poll_raw(endpoint_of(&created), &bad).await).await;
    assert_eq!(status, 400);
    assert_eq!(json_of(&text)["request"], bad);
    assert_eq!(
        json_of(&text)["error"],
        "maxEvents must be a non-negative integer"
    );

    // A body that is not JSON: plain text with the body as sent.
    let garbled = peer.req(Method::POST, "/subjects:add").body("{not json");
    let (status, kind, text) = parts(garbled.send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(kind.starts_with("text/plain"), "{kind}");
    assert!(text.starts_with("error: the body is not JSON: "), "{text}");
    assert!(
        text.ends_with(&format!("; request: {{not json; Authorization: {bearer}")),
        "{text}"
    );

    // Another credential is echoed as sent; none is null (and 401 keeps WWW-Authenticate).
    let status_url = peer.url("/status");
    let wrong = peer
        .http
        .get(&status_url)
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert!(wrong.headers().contains_key("www-authenticate"));
    let (status, _, text) = parts(wrong).await;
    assert_eq!(status, 401);
    assert!(text.ends_with("; Authorization: Bearer guess"), "{text}");
    let change = json!({"stream_id": "nope", "status": "paused"});
    let anonymous = peer
        .http
        .post(&status_url)
        .json(&change)
        .send()
        .await
        .unwrap();
    let (status, _, text) = parts(anonymous).await;
    assert_eq!(status, 401);
    assert_eq!(json_of(&text)["authorization"], Value::Null);

    // Successes and the operator's control endpoint are not touched.
    let all = peer.get_json("/streams", &[]).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    let fault = json!({"access": "maybe"});
    let (status, _, text) = parts(peer.send(Method::POST, "/control/fault", &fault).await).await;
    assert_eq!(status, 400);
    assert!(!text.contains(TOKEN), "{text}");

    // Without the quirk: the message alone.
    peer.set_quirks(&[]).await;
    let (_, _, text) = parts(peer.get("/streams", &[("stream_id", "nope")]).await).await;
    assert_eq!(text, NO_STREAM);
    let (_, _, text) = parts(peer.send(Method::POST, "/streams", &poll_body()).await).await;
    assert_eq!(text, ONE_STREAM);
}
