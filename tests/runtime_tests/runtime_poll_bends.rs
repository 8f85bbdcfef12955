//! The poller against poll endpoints that bend RFC 8936 (issue 21, 6–8), each a scripted
//! endpoint on 127.0.0.1: one that serves refused SETs again whatever `setErrs` says, one that
//! sends its whole backlog whatever `maxEvents` asks, one whose empty answers say
//! `moreAvailable: true`. Each SET is stored once, one answer costs a bounded amount, and no
//! answer makes the poller spin. And a polled token is kept once: with its SET, not again in the
//! poll answer's exchange (issue 21, 9).

use crate::fixtures;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::post;
use parking_lot::Mutex;
use serde_json::{Map, Value, json};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::receiver::auth::Auth;
use ssf_inspector::runtime::receiver::exchange_log::ExchangeLog;
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::poll::{MAX_SETS_PER_ANSWER, Poller};
use ssf_inspector::runtime::receiver::session::SessionDeps;
use ssf_inspector::runtime::record::RecordStore;
use tokio::sync::mpsc::Receiver;
use tokio_util::sync::CancellationToken;

/// What the endpoint was asked, request by request.
type Asked = Arc<Mutex<Vec<Value>>>;

/// Serve `answer(request)` at `/poll`; returns the URL and the requests seen.
async fn endpoint(answer: impl Fn(&Value) -> Value + Send + Sync + 'static) -> (String, Asked) {
    let asked: Asked = Arc::default();
    let answer = Arc::new(answer);
    let app = axum::Router::new().route(
        "/poll",
        post({
            let asked = Arc::clone(&asked);
            move |axum::Json(body): axum::Json<Value>| async move {
                let reply = answer(&body);
                asked.lock().push(body);
                axum::Json(reply)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/poll", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (url, asked)
}

/// A poller of `url` verifying with `key`, polling again after `interval` when an answer came
/// at once; its updates, and what stops it.
async fn poller(
    url: String,
    key: &fixtures::TestKey,
    interval: Duration,
) -> (Receiver<Update>, CancellationToken) {
    let (updates, rx) = update_channel(no_wake());
    let stream = StreamKey("bends".to_owned());
    let poller = Poller {
        key: stream.clone(),
        endpoint: url,
        auth: Arc::new(Auth::None),
        keys: Arc::new(KeyCache::fixed(key.jwks())),
        expect: fixtures::expectations(),
        deps: SessionDeps {
            client: ssf_inspector::runtime::net::client_builder()
                .timeout(Duration::from_secs(5))
                .build()
                .expect("a client"),
            store: RecordStore::in_memory().await.expect("a record"),
            updates: updates.clone(),
        },
        log: ExchangeLog::new(
            RecordStore::in_memory().await.expect("a record"),
            updates,
            Some(stream),
        ),
        health: Arc::default(),
        interval,
        own: None,
    };
    let cancel = CancellationToken::new();
    tokio::spawn(poller.run(cancel.clone()));
    (rx, cancel)
}

/// What came out of the poller until `done` or 20 s.
#[derive(Default)]
struct Seen {
    stored: Vec<String>,
    refused_repeats: u64,
    notices: Vec<String>,
    /// Each exchange's response body.
    answers: Vec<String>,
}

/// How many requests fit in `elapsed` at one per `every` (and one at the start): a bound on a
/// rate that a slow machine only stays further under.
fn at_most_one_per(elapsed: Duration, every: Duration) -> usize {
    usize::try_from(elapsed.as_millis() / every.as_millis().max(1)).unwrap_or(usize::MAX) + 1
}

async fn watch(rx: &mut Receiver<Update>, mut done: impl FnMut(&Seen) -> bool) -> Seen {
    let mut seen = Seen::default();
    let _ = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(update) = rx.recv().await {
            match update {
                Update::Set(set) => seen.stored.push(set.raw.clone()),
                Update::AcksIgnored {
                    refused_repeats, ..
                } => seen.refused_repeats = refused_repeats,
                Update::Notice { text, .. } => seen.notices.push(text),
                Update::Exchange(exchange) => seen.answers.push(exchange.response_body.clone()),
                _ => {}
            }
            if done(&seen) {
                break;
            }
        }
    })
    .await;
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_sets_served_again_are_refused_again_and_stored_once() {
    let key = fixtures::TestKey::es256("k1");
    let stranger = fixtures::TestKey::es256("k-unknown");
    // Three SETs signed with a key the receiver does not have: each is refused. The endpoint
    // serves them on every poll, whatever setErrs says.
    let sets: Map<String, Value> = (0..3)
        .map(|n| {
            let jti = format!("refused-{n}");
            let token = stranger.sign(&fixtures::session_revoked(&jti));
            (jti, Value::from(token))
        })
        .collect();
    let (url, asked) = endpoint(move |_| json!({"sets": sets, "moreAvailable": false})).await;
    let (mut rx, cancel) = poller(url, &key, Duration::from_millis(50)).await;
    let polls = Arc::clone(&asked);
    let seen = watch(&mut rx, |_| polls.lock().len() >= 8).await;
    cancel.cancel();
    assert!(asked.lock().len() >= 8, "it keeps polling");
    assert_eq!(seen.stored.len(), 3, "each refused SET is stored once");
    assert!(
        seen.refused_repeats >= 9,
        "the copies are counted: {}",
        seen.refused_repeats
    );
    // Every poll after the first reports all three again: the transmitter is told each time.
    let asked = asked.lock();
    for body in asked.iter().skip(1).take(6) {
        let reported: HashSet<&String> = body["setErrs"]
            .as_object()
            .map(|errs| errs.keys().collect())
            .unwrap_or_default();
        assert_eq!(reported.len(), 3, "{body}");
        assert_eq!(body["ack"], json!([]), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_backlog_in_one_answer_is_taken_in_part_and_the_rest_come_again() {
    const BACKLOG: usize = 2 * MAX_SETS_PER_ANSWER + 500;
    let key = fixtures::TestKey::es256("k1");
    // Tiny tokens, as in the attack (each is kept with what is wrong with it, and refused).
    let backlog: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(
        (0..BACKLOG).map(|n| format!("jti-{n:05}")).collect(),
    ));
    let queue = Arc::clone(&backlog);
    let (url, asked) = endpoint(move |request| {
        let mut queue = queue.lock();
        let answered: HashSet<String> = request["ack"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .chain(
                request["setErrs"]
                    .as_object()
                    .into_iter()
                    .flat_map(|errs| errs.keys().cloned()),
            )
            .collect();
        queue.retain(|jti| !answered.contains(jti));
        // maxEvents ignored: everything still owed.
        let sets: Map<String, Value> = queue
            .iter()
            .map(|jti| (jti.clone(), Value::from(format!("{jti}.x.y"))))
            .collect();
        json!({"sets": sets, "moreAvailable": false})
    })
    .await;
    let (mut rx, cancel) = poller(url, &key, Duration::from_millis(200)).await;
    let polls = Arc::clone(&asked);
    let first = watch(&mut rx, |_| polls.lock().len() > 1).await;
    // The second poll answers for what was taken from the first answer: its cap, not the
    // whole backlog.
    let second = asked.lock()[1].clone();
    let answered = second["ack"].as_array().map_or(0, Vec::len)
        + second["setErrs"].as_object().map_or(0, Map::len);
    assert_eq!(
        answered, MAX_SETS_PER_ANSWER,
        "the first answer gives {MAX_SETS_PER_ANSWER} SETs, not {BACKLOG}"
    );
    let rest = watch(&mut rx, |seen| {
        first.stored.len() + seen.stored.len() >= BACKLOG && backlog.lock().is_empty()
    })
    .await;
    cancel.cancel();
    let all: HashSet<&String> = first.stored.iter().chain(&rest.stored).collect();
    assert_eq!(
        first.stored.len() + rest.stored.len(),
        BACKLOG,
        "each stored once"
    );
    assert_eq!(all.len(), BACKLOG);
    assert!(backlog.lock().is_empty(), "every SET was answered for");
    let told: Vec<&String> = first
        .notices
        .iter()
        .chain(&rest.notices)
        .filter(|t| t.contains("where at most 100 were asked (maxEvents)"))
        .collect();
    assert!(!told.is_empty(), "the bend is told");
    assert!(
        told[0].contains(&format!("the first {MAX_SETS_PER_ANSWER} were taken")),
        "{}",
        told[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_answers_that_say_more_available_are_not_polled_at_once() {
    let key = fixtures::TestKey::es256("k1");
    let (url, asked) = endpoint(|_| json!({"sets": {}, "moreAvailable": true})).await;
    let (mut rx, cancel) = poller(url, &key, Duration::from_millis(200)).await;
    let started = tokio::time::Instant::now();
    let hold = started + Duration::from_secs(2);
    let _ = watch(&mut rx, |_| tokio::time::Instant::now() > hold).await;
    tokio::time::sleep_until(hold).await;
    // It keeps polling: a bounded wait for the third poll, not a count within a time (issue 22).
    let counted = Arc::clone(&asked);
    let _ = watch(&mut rx, |_| counted.lock().len() >= 3).await;
    let elapsed = started.elapsed();
    cancel.cancel();
    let polls = asked.lock().len();
    assert!(polls >= 3, "it keeps polling: {polls} polls");
    // A 200 ms interval: about 5 polls a second, however long the machine took; one that
    // believes moreAvailable makes hundreds.
    let most = at_most_one_per(elapsed, Duration::from_millis(140));
    assert!(polls <= most, "{polls} polls in {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polled_token_is_kept_with_its_set_and_named_in_the_answer() {
    let key = fixtures::TestKey::es256("k1");
    let tokens: Vec<String> = (0..3)
        .map(|n| key.sign(&fixtures::session_revoked(&format!("kept-once-{n}"))))
        .collect();
    let sets: Map<String, Value> = tokens
        .iter()
        .enumerate()
        .map(|(n, token)| (format!("kept-once-{n}"), Value::from(token.as_str())))
        .collect();
    let first = Arc::new(Mutex::new(true));
    let (url, _asked) = endpoint(move |_| {
        if std::mem::replace(&mut *first.lock(), false) {
            json!({"sets": sets, "moreAvailable": false})
        } else {
            json!({"sets": {}})
        }
    })
    .await;
    let (mut rx, cancel) = poller(url, &key, Duration::from_millis(50)).await;
    let seen = watch(&mut rx, |seen| {
        seen.stored.len() >= 3 && seen.answers.iter().any(|a| a.contains("kept-once-0"))
    })
    .await;
    cancel.cancel();
    assert_eq!(seen.stored, tokens, "each SET keeps its token");
    let answer = seen
        .answers
        .iter()
        .find(|a| a.contains("kept-once-0"))
        .expect("the answer's exchange");
    for token in &tokens {
        assert!(!answer.contains(token.as_str()), "kept twice: {answer}");
    }
    assert_eq!(
        answer
            .matches("the token is kept once, with the SET")
            .count(),
        3,
        "{answer}"
    );
    let read: Value = serde_json::from_str(answer).expect("still the answer's JSON");
    assert!(
        read["sets"]["kept-once-1"]
            .as_str()
            .is_some_and(|r| r.starts_with("(SET #") && r.contains(" bytes, SHA-256 ")),
        "{answer}"
    );
}
