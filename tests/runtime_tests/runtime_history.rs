//! What the record brings back besides the SETs: receiver markers (and a "lost" marker for a
//! run that ended without stopping), the latest exchanges with their ids, the alerts of earlier
//! runs with their evidence, SETs linked to the exchange that carried them, and a schema-1
//! database upgraded in place.

use crate::fixtures;

use std::path::PathBuf;

use rusqlite::Connection;
use ssf_inspector::core::alerts::{Alert, AlertKind, Severity};
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::runtime::record::RecordStore;

fn db_path(test: &str) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("runtime_history")
        .join(test);
    if folder.exists() {
        std::fs::remove_dir_all(&folder).expect("remove the previous run's folder");
    }
    folder.join("record.sqlite")
}

fn stream() -> StreamKey {
    StreamKey("acme".to_owned())
}

fn at(secs: i64) -> UnixMillis {
    UnixMillis(fixtures::NOW.0 + secs * 1000)
}

fn exchange(id: u64, secs: i64) -> Exchange {
    Exchange {
        id,
        at: at(secs),
        stream: Some(stream()),
        method: "GET".to_owned(),
        url: "http://127.0.0.1:9/ssf/status?stream_id=s1".to_owned(),
        status: Some(200),
        request_headers: vec![("authorization".to_owned(), "Bearer s3cret".to_owned())],
        request_body: String::new(),
        response_headers: Vec::new(),
        response_body: r#"{"status":"disabled"}"#.to_owned(),
        duration_millis: 3,
    }
}

fn alert(evidence_exchange: Option<u64>) -> Alert {
    Alert {
        id: 2,
        kind: AlertKind::StreamDisabledSilently,
        severity: Severity::Critical,
        stream: stream(),
        cause: "a status read found the stream disabled".to_owned(),
        reason: None,
        first_seen: at(3),
        last_seen: at(3),
        evidence_seq: None,
        evidence_exchange,
        acknowledged: false,
        resolved_at: None,
        unwatched_at: None,
        // Folded under the run's stream-updated "disabled" (alert 1 of that run, not stored here).
        folded_under: Some(1),
    }
}

fn marker(kind: MarkerKind, secs: i64) -> Marker {
    Marker {
        stream: stream(),
        kind,
        at: at(secs),
    }
}

#[tokio::test]
async fn a_run_that_ended_without_stopping_is_marked_lost_at_its_last_activity() {
    let path = db_path("lost");
    let (store, _) = RecordStore::open_all(&path).await.expect("open");
    store
        .append_marker(&marker(MarkerKind::Started, 0))
        .await
        .expect("started");
    let id = store.exchange_id();
    store
        .append_exchange(exchange(id, 7))
        .await
        .expect("exchange");
    let key = fixtures::TestKey::es256("k1");
    let mut record = fixtures::inspect(
        &key.sign(&fixtures::session_revoked("jti-1")),
        &key.jwks(),
        at(5),
    );
    record.stream = stream();
    record.exchange = Some(id);
    store.append(record).await.expect("set");
    store.append_alert(&alert(Some(id))).await.expect("alert");
    let disabled = ssf_inspector::core::stream::StreamStatus::Disabled;
    store
        .append_status(
            &stream(),
            disabled,
            Some("maintenance"),
            "stream_updated #1",
            at(6),
        )
        .await
        .expect("status");
    // The process dies here: no "stopped" marker, and the store is never closed.
    drop(store);

    let (second, reloaded) = RecordStore::open_all(&path).await.expect("reopen");
    let kinds: Vec<(MarkerKind, UnixMillis)> = reloaded
        .history
        .markers
        .iter()
        .map(|m| (m.kind, m.at))
        .collect();
    assert_eq!(
        kinds,
        [(MarkerKind::Started, at(0)), (MarkerKind::Lost, at(7))],
        "the gap starts at the last thing the lost run recorded (the exchange at +7 s)"
    );
    let summaries = second.summaries().expect("read the summaries");
    assert_eq!(reloaded.count, 1);
    assert_eq!(
        summaries[0].exchange,
        Some(id),
        "the SET names its exchange"
    );
    assert_eq!(reloaded.history.exchanges.len(), 1);
    let back = &reloaded.history.exchanges[0];
    assert_eq!((back.id, back.status), (id, Some(200)));
    assert_eq!(back.request_headers[0].1, "<redacted>");
    assert_eq!(reloaded.history.earlier_alerts.len(), 1);
    let earlier = &reloaded.history.earlier_alerts[0];
    assert_eq!(earlier.kind, AlertKind::StreamDisabledSilently);
    assert_eq!(earlier.evidence_exchange, Some(id));
    assert_eq!(
        earlier.folded_under,
        Some(1),
        "the cause it folds under is kept"
    );
    let status = &reloaded.history.earlier_status;
    assert_eq!(
        status.len(),
        1,
        "the status history is read back: {status:?}"
    );
    assert_eq!(
        (
            status[0].status,
            status[0].source.as_str(),
            status[0].reason.as_deref()
        ),
        (disabled, "stream_updated #1", Some("maintenance"))
    );
    assert!(
        second.exchange_id() > id,
        "exchange ids go on after a restart"
    );

    // A clean stop is not "lost", and the lost run is not marked twice.
    second
        .append_marker(&marker(MarkerKind::Started, 20))
        .await
        .expect("started");
    second
        .append_marker(&marker(MarkerKind::Stopped, 30))
        .await
        .expect("stopped");
    second.close().await.expect("close");
    let (_, third) = RecordStore::open_all(&path).await.expect("reopen again");
    let kinds: Vec<MarkerKind> = third.history.markers.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MarkerKind::Started,
            MarkerKind::Lost,
            MarkerKind::Started,
            MarkerKind::Stopped
        ]
    );
    assert!(
        third.history.earlier_alerts.len() == 1,
        "alerts of earlier runs stay listed"
    );
}

/// The tables as schema 1 created them (before SETs and alerts named their exchange).
const SCHEMA_1: &str = "
CREATE TABLE sessions(
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL
);
CREATE TABLE sets(
    seq INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    stream TEXT NOT NULL,
    transport TEXT NOT NULL,
    form TEXT NOT NULL,
    raw TEXT NOT NULL,
    iss TEXT,
    jti TEXT,
    verdict TEXT NOT NULL,
    verdict_detail TEXT NOT NULL,
    profile TEXT,
    findings TEXT NOT NULL,
    rejection TEXT,
    redelivered INTEGER NOT NULL,
    session INTEGER NOT NULL
);
CREATE TABLE exchanges(
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    stream TEXT,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    request_headers TEXT NOT NULL,
    request_body TEXT NOT NULL,
    response_headers TEXT NOT NULL,
    response_body TEXT NOT NULL,
    duration_millis INTEGER NOT NULL,
    session INTEGER NOT NULL
);
CREATE TABLE stream_status(
    id INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    source TEXT NOT NULL,
    session INTEGER NOT NULL
);
CREATE TABLE markers(
    id INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    session INTEGER NOT NULL
);
CREATE TABLE alerts(
    session INTEGER NOT NULL,
    id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    stream TEXT NOT NULL,
    cause TEXT NOT NULL,
    reason TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    evidence_seq INTEGER,
    acknowledged INTEGER NOT NULL,
    resolved_at INTEGER,
    PRIMARY KEY (session, id)
);
";

#[tokio::test]
async fn a_schema_1_record_is_upgraded_in_place_and_keeps_its_sets() {
    let path = db_path("upgrade");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    let key = fixtures::TestKey::es256("k1");
    let token = key.sign(&fixtures::session_revoked("jti-old"));
    {
        let db = Connection::open(&path).expect("create a schema-1 database");
        db.execute_batch(SCHEMA_1).expect("schema 1");
        db.pragma_update(None, "user_version", 1).expect("version");
        db.execute(
            "INSERT INTO sets(seq, received_at, stream, transport, form, raw, iss, jti, verdict, \
             verdict_detail, profile, findings, rejection, redelivered, session) \
             VALUES (1, ?1, 'acme', 'push', 'jws', ?2, ?3, 'jti-old', 'valid', 'ok', 'ssf-1.0', \
             '[]', NULL, 0, 1)",
            rusqlite::params![at(0).0, token, fixtures::ISSUER],
        )
        .expect("a schema-1 SET");
        db.execute(
            "INSERT INTO exchanges(at, stream, method, url, status, request_headers, \
             request_body, response_headers, response_body, duration_millis, session) \
             VALUES (?1, 'acme', 'POST', 'http://127.0.0.1/push/x', 202, '[]', '', '[]', '', 1, 1)",
            [at(0).0],
        )
        .expect("a schema-1 exchange");
    }
    let (store, reloaded) = RecordStore::open_all(&path).await.expect("upgrade");
    let summaries = store.summaries().expect("read the summaries");
    assert_eq!(reloaded.count, 1);
    assert_eq!(summaries[0].jti.as_deref(), Some("jti-old"));
    assert_eq!(summaries[0].exchange, None);
    assert_eq!(
        store.exchange_id(),
        2,
        "numbering follows the stored exchanges"
    );
    let conclusions = &summaries[0].conclusions;
    assert_eq!(
        conclusions.events,
        ["https://schemas.openid.net/secevent/caep/event-type/session-revoked"],
        "the upgrade stored what the old SET concluded"
    );
    assert!(
        conclusions.decoded && conclusions.subject != "-",
        "{conclusions:?}"
    );
    let reader = store.clone();
    let old = tokio::task::spawn_blocking(move || reader.read_set(1))
        .await
        .expect("read")
        .expect("read the old SET")
        .expect("it is there");
    let stored = store
        .append(old.as_ref().clone())
        .await
        .expect("append after the upgrade");
    assert!(
        stored.redelivered,
        "the upgraded record still knows its jtis"
    );
    store.close().await.expect("close");
    let db = Connection::open(&path).expect("open");
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 5);
}

/// Schema 4 had no `unwatched_at`: its alerts come back as they were, and the record takes the
/// column from then on.
#[tokio::test]
async fn a_schema_4_record_is_upgraded_and_its_alerts_read_back() {
    let path = db_path("upgrade-4");
    let (store, _) = RecordStore::open_all(&path).await.expect("open");
    store.append_alert(&alert(None)).await.expect("alert");
    store.close().await.expect("close");
    {
        let db = Connection::open(&path).expect("open");
        db.execute_batch("ALTER TABLE alerts DROP COLUMN unwatched_at")
            .expect("back to schema 4");
        db.pragma_update(None, "user_version", 4).expect("version");
    }
    let (store, reloaded) = RecordStore::open_all(&path).await.expect("upgrade");
    assert_eq!(reloaded.history.earlier_alerts.len(), 1, "{reloaded:?}");
    assert_eq!(reloaded.history.earlier_alerts[0].unwatched_at, None);
    let mut ended = alert(None);
    ended.id = 3;
    ended.first_seen = at(4);
    ended.unwatched_at = Some(at(9));
    store
        .append_alert(&ended)
        .await
        .expect("an alert no longer watched");
    store.close().await.expect("close");
    let (_, again) = RecordStore::open_all(&path).await.expect("open again");
    let unwatched: Vec<_> = again
        .history
        .earlier_alerts
        .iter()
        .map(|a| a.unwatched_at)
        .collect();
    assert_eq!(unwatched, [None, Some(at(9))]);
}

#[tokio::test]
async fn a_record_in_use_is_refused_to_a_second_opener_until_the_first_closes() {
    let path = db_path("locked");
    let (first, _) = RecordStore::open_all(&path).await.expect("open");
    let refused = RecordStore::open_all(&path).await.err().expect("refused");
    let text = format!("{refused:#}");
    assert!(text.contains("in use by another ssf-inspector"), "{text}");
    assert!(
        text.contains("SSF_INSPECTOR_DATA_DIR"),
        "says what to do: {text}"
    );
    first.close().await.expect("close");
    RecordStore::open_all(&path)
        .await
        .expect("free again once the first closed");
}
