//! The receiver against each quirk of real transmitters (reproduced by the built-in one on
//! 127.0.0.1): what it does with a transmitter that replaces streams on create, refuses
//! description or unknown event types, knows only the legacy delivery URIs, has streams
//! without ids, refuses PATCH, wants https pushes, or has no status or verification endpoint.
//! Poll quirks are in `runtime_quirks_poll.rs`.

use std::time::Duration;

use crate::receiving;

use receiving::{failure, fast, foreign_stream, notices, stop, until, until_noting};
use serde_json::json;
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::coverage::Way;
use ssf_inspector::core::discovery::LEGACY_PUSH_METHOD;
use ssf_inspector::core::events::caep;
use ssf_inspector::core::profile::{DeliveryMode, PushTls, StreamSetup};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::Connection;
use ssf_inspector::runtime::transmitter::{PushTrust, Quirk, Quirks, TransmitterOptions};

fn quirky(quirks: &[Quirk]) -> TransmitterOptions {
    TransmitterOptions {
        quirks: quirks.iter().copied().collect::<Quirks>(),
        ..receiving::steady()
    }
}

fn alert_causes(state: &InspectorState, kind: AlertKind) -> Vec<String> {
    state
        .alerts
        .iter()
        .filter(|a| a.kind == kind)
        .map(|a| a.cause.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_stream_a_create_that_replaces_a_stream_is_a_critical_alert_naming_it() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::SingleStream])).await;
    let theirs = foreign_stream(&tx).await;
    let their_id = theirs["stream_id"].as_str().expect("an id").to_owned();
    let (files, mut profile) =
        receiving::profile_for(&tx, "quirk-single", "eager", DeliveryMode::Push);
    // By default the receiver does not create beside their stream at all.
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    assert!(until(&mut rx, &mut state, |s| failure(s, &key).is_some()).await);
    assert_eq!(receiving::streams_at(&tx).await, vec![theirs.clone()]);
    // Told to create anyway: their stream is replaced, and that is said loudly.
    profile.name = "eager-always".to_owned();
    profile.stream = StreamSetup::CreateAlways;
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let replaced = |s: &InspectorState| {
        !alert_causes(s, AlertKind::StreamReplaced).is_empty()
            && s.streams.get(&key).is_some_and(|s| s.info.is_some())
    };
    assert!(
        until(&mut rx, &mut state, replaced).await,
        "{:?}",
        state.alerts
    );
    let cause = alert_causes(&state, AlertKind::StreamReplaced).remove(0);
    assert!(
        cause.contains(&format!("replaced stream {their_id}")),
        "{cause}"
    );
    let alert = state
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::StreamReplaced);
    assert!(
        alert.is_some_and(|a| a.evidence_exchange.is_some()),
        "the create is the evidence"
    );
    let ours = state.streams[&key]
        .info
        .as_ref()
        .map(|i| i.stream_id.clone());
    let listed = receiving::streams_at(&tx).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["stream_id"].as_str(), ours.as_deref());
}

/// As solarssk/ssf-transmitter: it needs `aud`, refuses `description`, and supports three
/// event types; its refusal of the others repeats every type asked (pydantic's `input`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_create_says_what_to_change_and_works_once_changed() {
    let supported = [
        caep("session-revoked"),
        caep("credential-change"),
        ssf_inspector::core::events::VERIFICATION.to_owned(),
    ];
    let options = TransmitterOptions {
        events_supported: Some(supported.to_vec()),
        ..quirky(&[Quirk::StrictCreate])
    };
    let (tx, _cancel) = receiving::transmitter(options).await;
    let (files, mut profile) =
        receiving::profile_for(&tx, "quirk-strict", "strict", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    // The description it refuses is left out by itself; the aud it needs is asked of the user.
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(
        why.contains("422") && why.contains(r#"--create-members '{"aud": "…"}'"#),
        "{why}"
    );
    assert!(!why.contains("--no-description"), "{why}");
    // With aud: the event types it does not support are left out, said.
    profile.name = "strict-fixed".to_owned();
    profile.setup.create_members = Some(json!({"aud": "https://receiver.example/ssf"}));
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut said = Vec::new();
    let arrived = |s: &InspectorState| s.timeline.len() >= 2;
    assert!(
        until_noting(&mut rx, &mut state, &mut said, arrived).await,
        "{:?}",
        state.streams[&key].connection
    );
    // The types it refused are left out and named; the ones it supports are asked again
    // (a refusal that repeats every type asked does not make them all refused).
    let narrowed = |t: &String| {
        t.contains("without the event types the transmitter refused")
            && t.contains("account-disabled")
            && !t.contains("session-revoked")
    };
    assert!(said.iter().any(narrowed), "{}", notices(&said));
    assert!(
        said.iter().any(|t| t.contains("without a description")),
        "{}",
        notices(&said)
    );
    let config = receiving::streams_at(&tx).await.remove(0);
    assert_eq!(
        config["events_requested"],
        json!([caep("session-revoked"), caep("credential-change")])
    );
    assert_eq!(config["aud"], "https://receiver.example/ssf");
    assert!(config.get("description").is_none());
    let record = state.timeline.len();
    assert!(record >= 2);
    let verified = state
        .streams
        .get(&key)
        .map(|s| s.sets_received)
        .unwrap_or_default();
    assert!(
        verified >= 2,
        "SETs with the given aud are accepted: {}",
        notices(&said)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_delivery_uses_the_advertised_method_uri() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::LegacyDelivery])).await;
    let (files, profile) = receiving::profile_for(&tx, "quirk-legacy", "old", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, receiving::set_up_with(&key, 2)).await,
        "{:?}",
        state.streams.get(&key).map(|s| s.connection.clone())
    );
    let config = receiving::streams_at(&tx).await.remove(0);
    assert_eq!(config["delivery"]["method"], LEGACY_PUSH_METHOD);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_without_id_is_received_from_and_never_reset_on_stop() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::ConfigWithoutId])).await;
    let (files, profile) = receiving::profile_for(&tx, "quirk-noid", "noid", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, receiving::set_up_with(&key, 2)).await,
        "{:?}",
        state.streams.get(&key).map(|s| s.connection.clone())
    );
    let said = stop(&rt, &mut rx, &mut state, &key).await;
    assert!(
        said.iter()
            .any(|t| t.contains("cannot prove it created it, so it deletes nothing")),
        "{}",
        notices(&said)
    );
    let still = reqwest::Client::new()
        .get(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .send()
        .await
        .expect("read");
    assert_eq!(still.status(), 200, "the stream was not reset or deleted");
    assert!(state.alerts.is_empty(), "{:?}", state.alerts);
}

/// duo's examples/transmitter keeps one configuration per token, without `stream_id`: it is
/// the token's, so this receiver's own. It is used (its delivery pointed here, by POST as such
/// a transmitter takes it), no "replaced" alert is raised about the receiver itself, and on
/// stop the configuration is put back as it was read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_without_id_the_tokens_configuration_is_used_and_put_back_on_stop() {
    let options = quirky(&[Quirk::ConfigWithoutId]);
    let (tx, _cancel) = receiving::transmitter(options).await;
    let before = foreign_stream(&tx).await;
    for (name, setup) in [
        ("noid-auto", StreamSetup::Auto),
        ("noid-always", StreamSetup::CreateAlways),
    ] {
        let (files, mut profile) =
            receiving::profile_for(&tx, "quirk-noid2", name, DeliveryMode::Push);
        profile.stream = setup;
        let (rt, mut rx) = receiving::runtime();
        let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
        let mut state = InspectorState::default();
        let mut said = Vec::new();
        let receiving = |s: &InspectorState| {
            s.timeline.len() >= 2 && receiving::connection(s, &key) == Connection::Connected
        };
        assert!(
            until_noting(&mut rx, &mut state, &mut said, receiving).await,
            "{name}: {:?}\n{}",
            receiving::connection(&state, &key),
            notices(&said)
        );
        assert!(
            said.iter()
                .any(|t| t.contains("pointed the token's configuration")
                    && t.contains("at this receiver by POST")),
            "{name}: {}",
            notices(&said)
        );
        let pointed = receiving::streams_at_one(&tx).await;
        assert_ne!(
            pointed["delivery"], before["delivery"],
            "{name}: it delivers here"
        );
        let said = stop(&rt, &mut rx, &mut state, &key).await;
        assert!(
            said.iter()
                .any(|t| t.contains("put back the configuration this run changed")),
            "{name}: {}",
            notices(&said)
        );
        let after = receiving::streams_at_one(&tx).await;
        assert_eq!(after["delivery"], before["delivery"], "{name}: put back");
        assert_eq!(
            after["events_requested"], before["events_requested"],
            "{name}"
        );
        assert!(
            state
                .alerts
                .iter()
                .all(|a| a.kind != AlertKind::StreamReplaced),
            "{name}: nothing about the receiver itself: {:?}",
            state.alerts
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_patch_points_the_receivers_own_stream_by_put() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::NoPatch])).await;
    // An earlier run's stream, found by its description, delivering by poll.
    let earlier = reqwest::Client::new()
        .post(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .json(&json!({
            "description": "ssf-inspector: again",
            "delivery": {"method": "urn:ietf:rfc:8936"},
            "events_requested": [caep("session-revoked"), caep("credential-change")],
        }))
        .send()
        .await
        .expect("create");
    assert_eq!(earlier.status(), 201);
    let (files, profile) =
        receiving::profile_for(&tx, "quirk-nopatch", "again", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let mut said = Vec::new();
    until_noting(&mut rx, &mut state, &mut said, |s| s.timeline.len() >= 2).await;
    assert!(
        said.iter()
            .any(|t| t.contains("by PUT (PATCH is not implemented)")),
        "{}",
        notices(&said)
    );
    assert!(
        state.timeline.len() >= 2,
        "pushes arrive: {:?}",
        state.streams[&key].connection
    );
    let config = receiving::streams_at(&tx).await.remove(0);
    assert_eq!(config["delivery"]["method"], "urn:ietf:rfc:8935");
    assert_eq!(
        config["description"], "ssf-inspector: again",
        "the PUT kept it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_https_only_is_served_over_tls() {
    let options = TransmitterOptions {
        push_trust: PushTrust {
            ca_pem: None,
            accept_invalid_certs: true,
        },
        ..quirky(&[Quirk::PushHttpsOnly])
    };
    let (tx, _cancel) = receiving::transmitter(options).await;
    let (files, mut profile) =
        receiving::profile_for(&tx, "quirk-https", "plain", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(
        why.contains("must use https") && why.contains("--push-tls-self-signed"),
        "{why}"
    );
    profile.name = "tls".to_owned();
    profile.setup.push_tls = Some(PushTls::SelfSigned);
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    // The stream's description comes from the session and the SETs from the push endpoint,
    // each on its own way: wait for both.
    let received = |s: &InspectorState| {
        s.timeline.len() >= 2 && s.streams.get(&key).is_some_and(|st| st.info.is_some())
    };
    assert!(
        until(&mut rx, &mut state, received).await,
        "{:?}",
        state.streams[&key].connection
    );
    let endpoint = state.streams[&key]
        .info
        .as_ref()
        .map(|i| i.endpoint.clone())
        .unwrap_or_default();
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn minimal_metadata_degrades_to_a_coverage_line_instead_of_failing() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::MinimalMetadata])).await;
    let (files, profile) =
        receiving::profile_for(&tx, "quirk-minimal", "minimal", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(until(&mut rx, &mut state, receiving::set_up_with(&key, 3)).await);
    let hold = tokio::time::Instant::now() + Duration::from_millis(1500);
    until(&mut rx, &mut state, |_| tokio::time::Instant::now() > hold).await;
    let stream = &state.streams[&key];
    assert_eq!(stream.connection, Connection::Connected);
    let coverage = stream.coverage.clone().expect("a coverage line");
    assert!(!coverage.has(Way::StatusReads) && !coverage.has(Way::Heartbeat));
    assert!(coverage.has(Way::ConfigReads) && coverage.has(Way::Silence));
    assert!(
        coverage
            .line()
            .contains("no status reads: the metadata has no status_endpoint")
    );
    assert!(
        state.alerts.is_empty(),
        "a missing endpoint is no failure: {:?}",
        state.alerts
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_is_disabled_a_deleted_stream_is_told_as_deleted() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::DeletedIsDisabled])).await;
    let (files, profile) = receiving::profile_for(&tx, "quirk-deleted", "gone", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(until(&mut rx, &mut state, receiving::set_up_with(&key, 2)).await);
    let id = receiving::stream_id(&state, &key);
    let deleted = reqwest::Client::new()
        .delete(format!("{}/streams?stream_id={id}", tx.issuer))
        .bearer_auth(&tx.management_token)
        .send()
        .await
        .expect("delete out of band");
    assert_eq!(deleted.status(), 204);
    let told = |s: &InspectorState| !alert_causes(s, AlertKind::StreamDeleted).is_empty();
    assert!(until(&mut rx, &mut state, told).await, "{:?}", state.alerts);
    assert!(
        alert_causes(&state, AlertKind::StreamDisabledSilently).is_empty(),
        "a status that still answers 'disabled' is not the story: {:?}",
        state.alerts
    );
    let alert = state
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::StreamDeleted);
    assert!(alert.is_some_and(|a| a.evidence_exchange.is_some()));
}
