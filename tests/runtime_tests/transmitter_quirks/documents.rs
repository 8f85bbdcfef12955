//! The metadata and key-set quirks over raw HTTP, next to the spec behaviour they replace:
//! `legacy-well-known`, `issuer-slash`, `short-rsa-key`, `duplicate-kid`.

use serde_json::Value;
use ssf_inspector::runtime::transmitter::Quirk;

use crate::peer::{Peer, quirky};

async fn metadata_at(peer: &Peer, name: &str) -> (u16, Value) {
    let resp = peer.get(&format!("/.well-known/{name}"), &[]).await;
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("a JSON answer"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_well_known_serves_the_metadata_only_at_the_sse_location() {
    let spec = Peer::start(quirky(&[])).await;
    let (status, document) = metadata_at(&spec, "ssf-configuration").await;
    assert_eq!(status, 200);
    assert_eq!(document["issuer"], spec.tx.issuer.as_str());
    assert_eq!(metadata_at(&spec, "sse-configuration").await.0, 404);

    let legacy = Peer::start(quirky(&[Quirk::LegacyWellKnown])).await;
    let (status, document) = metadata_at(&legacy, "ssf-configuration").await;
    assert_eq!(status, 404);
    assert_eq!(document["error"], "not_found");
    let (status, document) = metadata_at(&legacy, "sse-configuration").await;
    assert_eq!(status, 200);
    assert_eq!(document["issuer"], legacy.tx.issuer.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuer_slash_adds_a_slash_to_the_metadata_issuer_only() {
    let peer = Peer::start(quirky(&[Quirk::IssuerSlash])).await;
    let (_, document) = metadata_at(&peer, "ssf-configuration").await;
    assert_eq!(document["issuer"], format!("{}/", peer.tx.issuer));
    assert_eq!(
        document["jwks_uri"],
        format!("{}/jwks.json", peer.tx.issuer),
        "the URLs are unchanged"
    );
}

fn kids(jwks: &Value) -> Vec<&str> {
    jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("a kid"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_rsa_key_and_duplicate_kid_bend_the_key_set() {
    let spec = Peer::start(quirky(&[])).await;
    let jwks = spec.get_json("/jwks.json", &[]).await;
    let spec_kids = kids(&jwks);
    assert_eq!(spec_kids.len(), 2);
    assert_ne!(spec_kids[0], spec_kids[1]);

    let short = Peer::start(quirky(&[Quirk::ShortRsaKey])).await;
    let jwks = short.get_json("/jwks.json", &[]).await;
    let added = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == "rsa1024-old")
        .expect("the short key");
    let n = added["n"].as_str().expect("a modulus");
    assert_eq!(ssf_inspector::core::audit::keys::rsa_bits(n), Some(1024));
    assert_eq!(kids(&jwks).len(), 3);

    let twice = Peer::start(quirky(&[Quirk::DuplicateKid])).await;
    let jwks = twice.get_json("/jwks.json", &[]).await;
    let twice_kids = kids(&jwks);
    assert_eq!(twice_kids.len(), 2);
    assert_eq!(twice_kids[0], twice_kids[1]);
    assert_ne!(
        jwks["keys"][0]["kty"], jwks["keys"][1]["kty"],
        "two keys, one kid"
    );
}
