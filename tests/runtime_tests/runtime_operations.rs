//! Stream configuration changes from the receiver against the built-in transmitter on
//! 127.0.0.1: a PATCH changes only the events requested and the description, a PUT replaces the
//! receiver-supplied configuration and keeps the push delivery working; each is a recorded HTTP
//! exchange, and neither is taken for a change "under the receiver". The session also hands the
//! window the metadata and the keys, with the key in use. Two profiles on a transmitter that
//! allows several streams each create and keep their own. A refused change is answered as that
//! operation's failure.

use std::time::Duration;

use crate::receiving;

use serde_json::Value;
use ssf_inspector::core::events::caep;
use ssf_inspector::core::profile::DeliveryMode;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::Command;
use ssf_inspector::runtime::receiver::operations::{StreamChange, StreamOp};
use ssf_inspector::runtime::transmitter::{Quirks, Transmitter, TransmitterOptions};

/// Apply updates until `done` holds or 10 s pass; true when it held.
async fn until(
    rx: &mut tokio::sync::mpsc::Receiver<Update>,
    state: &mut InspectorState,
    done: impl Fn(&InspectorState) -> bool,
) -> bool {
    let end = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done(state) {
        match tokio::time::timeout_at(end, rx.recv()).await {
            Ok(Some(update)) => {
                state.apply(update, UnixMillis::now());
            }
            _ => return false,
        }
    }
    true
}

fn notice(state: &InspectorState) -> String {
    state
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

async fn read_stream(tx: &Transmitter) -> Value {
    receiving::streams_at(tx).await.remove(0)
}

/// Send a configuration change and wait for the notice that says it was done.
async fn configure(
    rt: &ssf_inspector::runtime::RuntimeHandle,
    rx: &mut tokio::sync::mpsc::Receiver<Update>,
    state: &mut InspectorState,
    key: &ssf_inspector::core::record::StreamKey,
    change: StreamChange,
) {
    let done = if change.replace {
        "replaced (PUT)"
    } else {
        "updated (PATCH)"
    };
    rt.send(Command::Stream(key.clone(), StreamOp::Configure(change)))
        .await
        .expect("send the change");
    assert!(
        until(rx, state, |s| notice(s).contains(done)).await,
        "{}",
        notice(state)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_and_put_change_the_stream_and_keep_delivery() {
    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) =
        receiving::profile_for(&tx, "runtime-operations", "ops", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, receiving::set_up_with(&key, 2)).await,
        "SETs arrive: {}",
        notice(&state)
    );
    let stream = &state.streams[&key];
    assert!(stream.metadata.is_some(), "the metadata is shown");
    let signing = stream.keys.signing.clone().expect("a key signed the SETs");
    assert!(stream.keys.is_listed(&signing), "and the JWKS lists it");

    let patch = StreamChange {
        events_requested: vec![caep("session-revoked")],
        description: Some("narrowed by the receiver".to_owned()),
        replace: false,
    };
    configure(&rt, &mut rx, &mut state, &key, patch).await;
    let read = read_stream(&tx).await;
    assert_eq!(
        read["events_requested"],
        serde_json::json!([caep("session-revoked")])
    );
    assert_eq!(read["description"], "narrowed by the receiver");

    let put = StreamChange {
        events_requested: vec![caep("session-revoked"), caep("credential-change")],
        description: None,
        replace: true,
    };
    configure(&rt, &mut rx, &mut state, &key, put).await;
    let read = read_stream(&tx).await;
    assert_eq!(read["events_requested"].as_array().map(Vec::len), Some(2));
    assert!(
        read.get("description").is_none(),
        "PUT without it deletes it: {read}"
    );
    // The push still arrives (the PUT sent the authorization the transmitter was given).
    let before = state.timeline.len();
    assert!(
        until(&mut rx, &mut state, |s| s.timeline.len() > before + 1).await,
        "SETs keep arriving after the PUT"
    );
    let methods: Vec<&str> = state.exchanges.iter().map(|e| e.method.as_str()).collect();
    assert!(
        methods.contains(&"PATCH") && methods.contains(&"PUT"),
        "{methods:?}"
    );
    assert!(
        state.alerts.is_empty(),
        "the receiver's own changes raise nothing: {:?}",
        state.alerts
    );
    rt.send(Command::Shutdown).await.ok();
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_patch_is_answered_as_the_operations_failure() {
    let options = TransmitterOptions {
        quirks: Quirks::parse(["no-patch"]).expect("a known quirk"),
        ..receiving::steady()
    };
    let (tx, cancel) = receiving::transmitter(options).await;
    let (files, profile) = receiving::profile_for(
        &tx,
        "runtime-operations-refused",
        "refused",
        DeliveryMode::Push,
    );
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, receiving::set_up_with(&key, 1)).await,
        "set up: {}",
        notice(&state)
    );
    let patch = StreamOp::Configure(StreamChange {
        events_requested: vec![caep("session-revoked")],
        description: Some("refused by the transmitter".to_owned()),
        replace: false,
    });
    let since = state.op_outcomes_count;
    rt.send(Command::Stream(key.clone(), patch.clone()))
        .await
        .expect("send the change");
    let answered = |s: &InspectorState| s.op_outcome_since(since, |o| o.key == key).is_some();
    assert!(
        until(&mut rx, &mut state, answered).await,
        "an answer: {}",
        notice(&state)
    );
    let outcome = state
        .op_outcome_since(since, |o| o.key == key)
        .expect("answered");
    assert_eq!(outcome.op, patch, "the answer names the operation");
    let why = outcome.result.as_ref().expect_err("the PATCH was refused");
    assert!(why.contains("501"), "{why}");
    assert!(
        read_stream(&tx).await.get("description")
            != Some(&Value::from("refused by the transmitter")),
        "nothing changed at the transmitter"
    );
    rt.send(Command::Shutdown).await.ok();
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_profiles_on_one_transmitter_each_keep_their_own_stream() {
    let options = TransmitterOptions {
        multiple_streams: true,
        ..receiving::steady()
    };
    let (tx, cancel) = receiving::transmitter(options).await;
    let (rt, mut rx) = receiving::runtime();
    let mut keys = Vec::new();
    for (name, delivery) in [("one", DeliveryMode::Push), ("two", DeliveryMode::Poll)] {
        let (files, profile) =
            receiving::profile_for(&tx, "runtime-operations-two", name, delivery);
        keys.push(receiving::start(&rt, &files, &profile, |_| {}).await);
    }
    let mut state = InspectorState::default();
    let both = |s: &InspectorState| {
        keys.iter()
            .all(|k| s.timeline.entries().filter(|r| r.stream() == k.0).count() >= 3)
    };
    assert!(until(&mut rx, &mut state, both).await, "{}", notice(&state));
    let streams = receiving::streams_at(&tx).await;
    assert_eq!(streams.len(), 2, "{streams:?}");
    assert!(
        state.alerts.is_empty(),
        "neither moved the other's delivery: {:?}",
        state.alerts
    );
    rt.send(Command::Shutdown).await.ok();
    cancel.cancel();
}
