//! The record's retention (issue 13): what the user's age and count limits leave out is pruned
//! when the record is opened, what was pruned is said, and SET numbers keep counting up.

use crate::fixtures;

use std::path::PathBuf;

use fixtures::{TestKey, session_revoked};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::record::{StreamKey, Transport};
use ssf_inspector::core::retention::Retention;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::core::verify::AlgorithmPolicy;
use ssf_inspector::runtime::record::{Exchange, RecordStore};
use ssf_inspector::runtime::{self, Folders};

const DAY: i64 = 86_400_000;

fn db_path(test: &str) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("retention")
        .join(test);
    std::fs::remove_dir_all(&folder).ok();
    folder.join("record.sqlite3")
}

/// A SET signed by `key`, received at `at` on stream "kept".
/// The numbers of the SETs the record holds, oldest first.
fn stored_seqs(store: &RecordStore) -> Vec<u64> {
    let summaries = store.summaries().expect("read the summaries");
    summaries.iter().map(|r| r.seq).collect()
}

fn set_at(key: &TestKey, jti: &str, at: UnixMillis) -> ssf_inspector::core::record::SetRecord {
    let arrival = Arrival {
        stream: StreamKey("kept".to_owned()),
        transport: Transport::Push,
        received_at: at,
    };
    ingest::inspect(
        key.sign(&session_revoked(jti)),
        arrival,
        &key.jwks(),
        &AlgorithmPolicy::default(),
        &Expectations::default(),
    )
}

/// A record holding 4 SETs (and an exchange each) received 40 days ago, then 4 received now.
async fn filled(path: &std::path::Path) {
    let key = TestKey::es256("k1");
    let (store, _) = RecordStore::open(path).await.expect("open");
    let now = UnixMillis::now();
    for n in 0..8 {
        let at = if n < 4 {
            UnixMillis(now.0 - 40 * DAY)
        } else {
            now
        };
        let record = set_at(&key, &format!("jti-{n}"), at);
        store.append(record).await.expect("append");
        let exchange = Exchange {
            id: 0,
            at,
            stream: None,
            method: "POST".to_owned(),
            url: "http://127.0.0.1/push".to_owned(),
            status: Some(202),
            request_headers: Vec::new(),
            request_body: String::new(),
            response_headers: Vec::new(),
            response_body: String::new(),
            duration_millis: 1,
        };
        store.append_exchange(exchange).await.expect("exchange");
    }
    store.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_age_limit_prunes_older_sets_and_exchanges_and_numbering_goes_on() {
    let path = db_path("age");
    filled(&path).await;
    let retention = Retention {
        max_age_days: Some(30),
        max_sets: None,
    };
    let (store, reloaded) = RecordStore::open_kept(&path, retention)
        .await
        .expect("reopen");
    assert_eq!(reloaded.pruned.sets, 4);
    assert_eq!(reloaded.pruned.exchanges, 4);
    let seqs = stored_seqs(&store);
    assert_eq!(
        seqs,
        [5, 6, 7, 8],
        "the newest are kept, with their numbers"
    );
    let record = set_at(&TestKey::es256("k1"), "after", UnixMillis::now());
    assert_eq!(store.append(record).await.expect("append").seq, 9);
    store.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_count_limit_keeps_the_newest_and_numbers_are_never_reused() {
    let path = db_path("count");
    filled(&path).await;
    let keep_three = Retention {
        max_age_days: None,
        max_sets: Some(3),
    };
    let (store, reloaded) = RecordStore::open_kept(&path, keep_three)
        .await
        .expect("reopen");
    assert_eq!(reloaded.pruned.sets, 5);
    let seqs = stored_seqs(&store);
    assert_eq!(seqs, [6, 7, 8]);
    let db =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("read-only");
    let tokens: i64 = db
        .query_row("SELECT count(*) FROM tokens", [], |r| r.get(0))
        .expect("count");
    assert_eq!(tokens, 3, "the pruned SETs' tokens are gone with them");
    store.close().await.expect("close");
    // Pruning every SET does not start the numbering again.
    let none = Retention {
        max_age_days: None,
        max_sets: Some(0),
    };
    let (store, reloaded) = RecordStore::open_kept(&path, none).await.expect("reopen");
    assert_eq!(reloaded.count, 0);
    assert!(store.summaries().expect("summaries").is_empty());
    store.close().await.expect("close");
    let (store, _) = RecordStore::open(&path).await.expect("reopen");
    let record = set_at(&TestKey::es256("k1"), "after-all", UnixMillis::now());
    assert_eq!(
        store.append(record).await.expect("append").seq,
        9,
        "never #1 again"
    );
    store.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runtime_says_what_it_pruned() {
    let path = db_path("said");
    filled(&path).await;
    let (updates, mut rx) = update_channel(no_wake());
    let folders = Folders {
        record: Some(path.clone()),
        retention: Retention {
            max_age_days: Some(30),
            max_sets: None,
        },
        ..Folders::default()
    };
    let rt = runtime::spawn_in(&tokio::runtime::Handle::current(), updates, folders);
    let mut said = None;
    let mut reloaded = 0;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while let Ok(Some(update)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        match update {
            Update::Notice { text, .. } if text.starts_with("Pruned") => said = Some(text),
            Update::Reloaded(part) => reloaded += part.len(),
            Update::Notice { text, .. } if text.starts_with("Reloaded") => break,
            _ => {}
        }
    }
    rt.send(runtime::Command::Shutdown).await.ok();
    let said = said.expect("the pruning is said");
    assert!(
        said.contains("30 day(s)") && said.contains("4 SETs, 4 exchanges"),
        "{said}"
    );
    assert_eq!(reloaded, 4);
}
