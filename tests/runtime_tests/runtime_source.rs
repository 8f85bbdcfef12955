//! A delivery method the receiver does not have, added outside it: a `Source` fed from an
//! in-process channel runs a session (set-up against the built-in transmitter, the one intake)
//! far enough to see a SET stored and shown. Nothing in the receiver names it.

use std::sync::Arc;
use std::time::Duration;

use crate::receiving;

use serde_json::{Value, json};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::coverage::{Coverage, Way};
use ssf_inspector::core::discovery::delivery_method_for;
use ssf_inspector::core::ingest::{Arrival, Expectations};
use ssf_inspector::core::profile::DeliveryMode;
use ssf_inspector::core::record::{SetRecord, Transport};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::Connection;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::tls_rule::NoTls;
use ssf_inspector::core::verify::AlgorithmPolicy;
use ssf_inspector::runtime::profiles::session_for;
use ssf_inspector::runtime::receiver::session::run_session_with;
use ssf_inspector::runtime::receiver::source::{
    BoxFuture, Intake, Reach, Received, SessionDeps, Setting, Source,
};
use ssf_inspector::runtime::record::RecordStore;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// SETs handed over a channel; each one the intake stored is sent back.
struct ChannelSource {
    tokens: Option<mpsc::Receiver<String>>,
    stored: mpsc::Sender<Arc<SetRecord>>,
    audience: Option<String>,
}

impl Source for ChannelSource {
    fn transport(&self) -> Transport {
        Transport::Poll
    }

    fn open<'a>(&'a mut self, at: &'a Setting<'a>) -> BoxFuture<'a, anyhow::Result<Value>> {
        // The transmitter queues the stream's SETs for polling; the test hands them over.
        let method = delivery_method_for(false, &at.metadata.delivery_methods_supported);
        Box::pin(async move { Ok(json!({ "method": method })) })
    }

    fn reach<'a>(
        &'a mut self,
        _at: &'a Setting<'a>,
        _stream: &'a Value,
        audience: Option<&'a str>,
        _no_tls: &'a mut Vec<NoTls>,
    ) -> BoxFuture<'a, anyhow::Result<Reach>> {
        self.audience = audience.map(str::to_owned);
        Box::pin(async move {
            Ok(Reach {
                endpoint: "channel:test".to_owned(),
                delivers_here: true,
            })
        })
    }

    fn limit_coverage(&self, coverage: &mut Coverage) {
        coverage.lack(Way::Heartbeat, "a channel asks for no verification");
    }

    fn start(&mut self, at: &Setting<'_>) {
        let Some(mut tokens) = self.tokens.take() else {
            return;
        };
        let deps = at.deps.clone();
        let keys = Arc::clone(at.keys);
        let health = Arc::clone(at.health);
        let own = at.own.cloned();
        let expect = Expectations {
            audience: self.audience.clone(),
            ..at.expect.clone()
        };
        let key = at.config.key.clone();
        let cancel = at.cancel.clone();
        let stored = self.stored.clone();
        tokio::spawn(async move {
            let policy = AlgorithmPolicy::default();
            loop {
                let raw = tokio::select! {
                    () = cancel.cancelled() => break,
                    raw = tokens.recv() => raw,
                };
                let Some(raw) = raw else { break };
                let intake = Intake {
                    store: &deps.store,
                    updates: &deps.updates,
                    keys: &keys,
                    policy: &policy,
                    expect: &expect,
                    health: &health,
                    own: own.as_deref(),
                };
                let received = Received {
                    raw,
                    arrival: Arrival {
                        stream: key.clone(),
                        transport: Transport::Poll,
                        received_at: UnixMillis::now(),
                    },
                    exchange: None,
                    refused: None,
                };
                if let Ok(done) = intake.take(received).await {
                    stored.send(done.record).await.ok();
                }
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_method_added_outside_the_receiver_feeds_the_one_intake() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) =
        receiving::profile_for(&tx, "source-channel", "channel", DeliveryMode::Poll);
    let (config, client) = session_for(&files, &profile, true).expect("a session");
    let key = config.key.clone();
    let (updates, mut rx) = update_channel(no_wake());
    let store = RecordStore::in_memory().await.expect("a record");
    let deps = SessionDeps {
        client,
        store: store.clone(),
        updates,
    };
    let (hand, tokens) = mpsc::channel(16);
    let (stored_tx, mut stored) = mpsc::channel(16);
    let source = ChannelSource {
        tokens: Some(tokens),
        stored: stored_tx,
        audience: None,
    };
    let cancel = CancellationToken::new();
    let (_ops, ops) = mpsc::channel(4);
    let session = tokio::spawn(run_session_with(
        config,
        deps,
        cancel.clone(),
        ops,
        Box::new(source),
    ));
    let mut state = InspectorState::default();
    let connected = |s: &InspectorState| receiving::connection(s, &key) == Connection::Connected;
    assert!(
        receiving::until(&mut rx, &mut state, connected).await,
        "set up: {:?}",
        receiving::failure(&state, &key)
    );
    // The transmitter's queue for the stream, polled by hand and handed over the channel.
    let streams = receiving::streams_at(&tx).await;
    let url = streams
        .first()
        .and_then(|s| s.pointer("/delivery/endpoint_url"))
        .and_then(Value::as_str)
        .expect("a poll URL")
        .to_owned();
    let client = reqwest::Client::new();
    let mut handed = 0;
    for _ in 0..50 {
        let answer: Value = client
            .post(&url)
            .bearer_auth(&tx.management_token)
            .json(&json!({"returnImmediately": true, "maxEvents": 5}))
            .send()
            .await
            .expect("a poll")
            .json()
            .await
            .expect("a JSON answer");
        let sets = answer.get("sets").and_then(Value::as_object);
        for token in sets
            .into_iter()
            .flat_map(|s| s.values())
            .filter_map(Value::as_str)
        {
            hand.send(token.to_owned()).await.expect("handed over");
            handed += 1;
        }
        if handed > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(handed > 0, "the transmitter queued SETs");
    let record = tokio::time::timeout(Duration::from_secs(10), stored.recv())
        .await
        .expect("stored in time")
        .expect("stored");
    assert!(
        record.rejection.is_none(),
        "accepted: {:?}",
        record.rejection
    );
    assert!(!store.is_empty(), "in the record");
    let shown = |s: &InspectorState| !s.timeline.is_empty();
    assert!(receiving::until(&mut rx, &mut state, shown).await, "shown");
    let stream = &state.streams[&key];
    assert!(
        stream
            .coverage
            .as_ref()
            .is_some_and(|c| !c.has(Way::Heartbeat)),
        "the source's coverage is told"
    );
    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(10), session)
        .await
        .expect("the session ends")
        .expect("no panic");
}
