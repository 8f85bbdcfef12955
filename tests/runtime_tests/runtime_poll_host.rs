//! A stream whose poll URL names a host under `.invalid` (a transmitter that names a host the
//! receiver cannot reach): the poller fails at once with the DNS cause and the `--poll-url`
//! way around it, without asking any resolver.

use std::sync::Arc;
use std::time::Duration;

use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::ingest::Expectations;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::stream::Connection;
use ssf_inspector::core::update::Update;
use ssf_inspector::core::verify::KeySet;
use ssf_inspector::runtime::receiver::auth::Auth;
use ssf_inspector::runtime::receiver::exchange_log::ExchangeLog;
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::poll::Poller;
use ssf_inspector::runtime::receiver::session::SessionDeps;
use ssf_inspector::runtime::record::RecordStore;
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn a_poll_url_on_an_invalid_host_fails_with_its_cause() {
    let store = RecordStore::in_memory().await.unwrap();
    let (updates, mut rx) = update_channel(no_wake());
    let client = ssf_inspector::runtime::net::client_builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let key = StreamKey("quirky".to_owned());
    let log = ExchangeLog::new(store.clone(), updates.clone(), Some(key.clone()));
    let url = "http://ssf-transmitter.invalid:8080/poll/s1";
    let poller = Poller {
        key: key.clone(),
        endpoint: url.to_owned(),
        auth: Arc::new(Auth::Bearer("poll-token".to_owned())),
        keys: Arc::new(KeyCache::fixed(KeySet::default())),
        expect: Expectations::default(),
        deps: SessionDeps {
            client,
            store,
            updates,
        },
        log,
        health: Arc::default(),
        interval: Duration::from_secs(1),
        own: None,
    };
    let cancel = CancellationToken::new();
    let polling = tokio::spawn(poller.run(cancel.clone()));
    let failed = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(update) = rx.recv().await {
            if let Update::Connection {
                connection: Connection::Failed(why),
                ..
            } = update
            {
                return why;
            }
        }
        String::new()
    })
    .await
    .expect("the poll fails at once");
    cancel.cancel();
    polling.await.unwrap();
    assert!(
        failed.starts_with(
            "could not reach http://ssf-transmitter.invalid:8080/poll/s1: the host \
             ssf-transmitter.invalid does not resolve: the transmitter named a poll URL on a \
             host that cannot exist (.invalid, RFC 6761 §6.4), so it was not looked up; give the \
             URL to poll with `ssf-inspector profile add … --poll-url URL`; polling again in"
        ),
        "{failed}"
    );
    assert!(!failed.contains("poll-token"));
}
