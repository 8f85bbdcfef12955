//! The receiver against the metadata and key-set quirks (on 127.0.0.1): the SSE-era metadata
//! location is found and used; an issuer with a slash the profile's has not is refused with
//! what to do; a short RSA key beside the signing keys, or a kid used twice, leaves SETs
//! verified.

use crate::receiving;

use receiving::{failure, fast, until};
use ssf_inspector::core::profile::DeliveryMode;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::Connection;
use ssf_inspector::core::verify::Verdict;
use ssf_inspector::runtime::transmitter::Quirk;

use crate::peer::quirky;

/// A poll session against a transmitter with `quirk`, until it is set up with two SETs; the
/// verdicts of what arrived.
async fn verdicts_with(quirk: Quirk, folder: &str) -> Vec<Verdict> {
    let (tx, _cancel) = receiving::transmitter(quirky(&[quirk])).await;
    let (files, profile) = receiving::profile_for(&tx, folder, "q", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    let triggered = async {
        // The quiet scenario sends nothing by itself: trigger two events.
        for _ in 0..2 {
            let sent = reqwest::Client::new()
                .post(format!("{}/control/event", tx.issuer))
                .bearer_auth(&tx.management_token)
                .json(&serde_json::json!({"event": "session-revoked"}))
                .send()
                .await
                .expect("trigger an event");
            assert!(sent.status().is_success(), "{}", sent.status());
        }
    };
    assert!(
        until(&mut rx, &mut state, |s| s
            .streams
            .get(&key)
            .is_some_and(|s| s.set_up))
        .await,
        "{quirk}: {:?}",
        failure(&state, &key)
    );
    triggered.await;
    assert!(
        until(&mut rx, &mut state, receiving::set_up_with(&key, 2)).await,
        "{quirk}"
    );
    assert_eq!(state.streams[&key].connection, Connection::Connected);
    state.timeline.entries().map(|e| e.verdict()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_well_known_the_sse_location_is_used() {
    let verdicts = verdicts_with(Quirk::LegacyWellKnown, "quirk-legacy-well-known").await;
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Valid),
        "{verdicts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_rsa_key_beside_the_signing_keys_leaves_sets_verified() {
    let verdicts = verdicts_with(Quirk::ShortRsaKey, "quirk-short-rsa").await;
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Valid),
        "{verdicts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_kid_sets_are_still_verified() {
    let verdicts = verdicts_with(Quirk::DuplicateKid, "quirk-duplicate-kid").await;
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Valid),
        "{verdicts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuer_slash_is_refused_saying_which_issuer_to_use() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::IssuerSlash])).await;
    let (files, profile) =
        receiving::profile_for(&tx, "quirk-issuer-slash", "q", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(until(&mut rx, &mut state, |s| failure(s, &key).is_some()).await);
    let why = failure(&state, &key).unwrap_or_default();
    assert!(why.contains(&format!("\"{}/\"", tx.issuer)), "{why}");
    assert!(why.contains("SSF §7.2.4"), "{why}");
}
