//! The durable record (`runtime::record`): SETs survive a restart unchanged, numbering goes on,
//! redeliveries are kept and flagged, a caller hears back only after the commit, failures are
//! errors, exchanges are stored without credentials, and alerts are updated in place.

use crate::fixtures;

use std::path::PathBuf;

use rusqlite::{Connection, OpenFlags};
use serde_json::{Value, json};
use ssf_inspector::core::alerts::{Alert, AlertKind, Severity};
use ssf_inspector::core::ingest::{self, Arrival};
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::record::{SetRecord, StreamKey, Transport};
use ssf_inspector::core::restore::{self, LEGACY_RULE, StoredSet};
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::Verdict;
use ssf_inspector::runtime::record::{Exchange, RecordError, RecordStore};

/// A database path of its own for each test, in a fresh folder (created by `open`).
fn db_path(test: &str) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("runtime_record")
        .join(test);
    if folder.exists() {
        std::fs::remove_dir_all(&folder).expect("remove the previous run's folder");
    }
    folder.join("record.sqlite")
}

fn read_only(path: &PathBuf) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("read-only open")
}

/// The first column of the first row, as text (queries build one string with `||`).
fn text(db: &Connection, query: &str) -> String {
    db.query_row(query, [], |r| r.get(0)).expect(query)
}

/// SETs of every kind the record must bring back: valid, bad signature, wrong issuer, a status
/// change, findings of several rules, undecodable, and a bare claims object received by poll.
fn samples() -> Vec<SetRecord> {
    let key = fixtures::TestKey::es256("k1");
    let impostor = fixtures::TestKey::es256("k1");
    let jwks = key.jwks();
    let at = fixtures::NOW;
    let mut wrong_issuer = fixtures::session_revoked("jti-3");
    wrong_issuer["iss"] = json!("https://mallory.example");
    let mut untidy = fixtures::session_revoked("jti-5");
    untidy["sub"] = json!("alice");
    untidy["exp"] = json!(fixtures::NOW.as_secs() + 60);
    untidy["txn"] = json!(7);
    let Value::Object(claims) = fixtures::session_revoked("jti-6") else {
        panic!("fixture claims are an object");
    };
    let arrival = Arrival {
        stream: StreamKey("demo".to_owned()),
        transport: Transport::Poll,
        received_at: at,
    };
    let signed =
        |by: &fixtures::TestKey, claims: &Value| fixtures::inspect(&by.sign(claims), &jwks, at);
    vec![
        signed(&key, &fixtures::session_revoked("jti-1")),
        signed(&impostor, &fixtures::session_revoked("jti-2")),
        signed(&key, &wrong_issuer),
        signed(
            &key,
            &fixtures::stream_updated("jti-4", "disabled", "later"),
        ),
        signed(&key, &untidy),
        fixtures::inspect("not.a token", &jwks, at),
        ingest::inspect_claims(claims, arrival, &fixtures::expectations()),
    ]
}

/// Every field (`SetRecord` has no `PartialEq`; its `Debug` form shows them all).
fn assert_same(a: &SetRecord, b: &SetRecord) {
    assert_eq!(format!("{a:#?}"), format!("{b:#?}"), "SET #{}", a.seq);
}

#[tokio::test]
async fn a_reopened_record_is_the_same_and_numbering_goes_on() {
    let path = db_path("reopen");
    let originals = samples();
    let (store, loaded) = RecordStore::open(&path).await.expect("open");
    assert!(loaded.is_empty());
    let mut stored = Vec::new();
    for record in &originals {
        stored.push(store.append(record.clone()).await.expect("append"));
    }
    store.close().await.expect("close");

    let (store, loaded) = RecordStore::open(&path).await.expect("reopen");
    assert_eq!(loaded.len(), originals.len());
    for (i, ((original, stored), loaded)) in originals.iter().zip(&stored).zip(&loaded).enumerate()
    {
        assert_eq!(stored.seq, i as u64 + 1);
        assert_same(stored, loaded);
        let mut original = original.clone();
        original.seq = stored.seq;
        assert_same(&original, loaded);
        assert!(loaded.findings.iter().all(|f| f.rule != LEGACY_RULE));
    }
    assert_eq!(loaded[1].verification.verdict, Verdict::BadSignature);
    assert_eq!(loaded[1].findings[0].rule, "signature");
    assert_eq!(
        loaded[2].rejection.as_ref().map(|r| r.err),
        Some("invalid_issuer")
    );
    assert!(loaded[2].findings.iter().any(|f| f.rule == "iss-mismatch"));
    assert!(loaded[4].findings.len() >= 3, "{:?}", loaded[4].findings);
    assert!(loaded[5].jws.is_none() && loaded[5].findings[0].rule == "jws-malformed");
    assert_eq!(store.snapshot().len(), originals.len());

    let next = store
        .append(originals[0].clone())
        .await
        .expect("append after reopen");
    assert_eq!(next.seq, originals.len() as u64 + 1);
    assert!(next.redelivered, "jti-1 was stored before the restart");
    assert_eq!(store.len(), originals.len() + 1);
}

#[tokio::test]
async fn a_redelivered_jti_is_kept_flagged_and_stays_flagged() {
    let path = db_path("redelivered");
    let key = fixtures::TestKey::es256("k1");
    let token = key.sign(&fixtures::session_revoked("same-jti"));
    let record = fixtures::inspect(&token, &key.jwks(), fixtures::NOW);
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let first = store.append(record.clone()).await.expect("first");
    let second = store.append(record).await.expect("second");
    assert_eq!((first.seq, first.redelivered), (1, false));
    assert_eq!((second.seq, second.redelivered), (2, true));
    store.close().await.expect("close");

    let (_, loaded) = RecordStore::open(&path).await.expect("reopen");
    let flags: Vec<(u64, bool)> = loaded.iter().map(|r| (r.seq, r.redelivered)).collect();
    assert_eq!(flags, vec![(1, false), (2, true)]);
}

/// An empty `jti` names no SET: two SETs that share one are not copies of each other, in this
/// run or after the record is opened again.
#[tokio::test]
async fn sets_with_an_empty_jti_are_never_taken_for_copies() {
    let path = db_path("empty-jti");
    let key = fixtures::TestKey::es256("k1");
    let with_empty_jti = |n: u32| {
        let mut claims = fixtures::session_revoked("unused");
        claims["jti"] = json!("");
        claims["iat"] = json!(1_795_424_000 + n);
        fixtures::inspect(&key.sign(&claims), &key.jwks(), fixtures::NOW)
    };
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let first = store.append(with_empty_jti(1)).await.expect("first");
    let second = store.append(with_empty_jti(2)).await.expect("second");
    assert_eq!(first.jti.as_deref(), Some(""));
    assert!(!first.redelivered && !second.redelivered);
    store.close().await.expect("close");

    let (store, _) = RecordStore::open(&path).await.expect("reopen");
    let third = store.append(with_empty_jti(3)).await.expect("third");
    assert!(!third.redelivered, "not a copy of the stored ones either");
    store.close().await.expect("close");
}

/// `--record a/b/rec.sqlite` makes `a` and `b`: both are private, as the record is.
#[cfg(unix)]
#[tokio::test]
async fn every_folder_made_for_a_record_is_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    };
    let path = db_path("private-folders");
    let top = path.parent().expect("its folder").join("a");
    let path = top.join("b").join("rec.sqlite");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    store.close().await.expect("close");
    assert_eq!(mode(&top), 0o700);
    assert_eq!(mode(&top.join("b")), 0o700);
    assert_eq!(mode(&path), 0o600);
}

/// A record found broken when it is opened is refused with nothing written to it: no new
/// session, no marker, no pruning (issue 21, 15).
#[tokio::test]
async fn a_broken_record_is_refused_before_anything_is_written_to_it() {
    let path = db_path("broken");
    let key = fixtures::TestKey::es256("k1");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    for i in 0..200 {
        let token = key.sign(&fixtures::session_revoked(&format!("broken-{i}")));
        let record = fixtures::inspect(&token, &key.jwks(), fixtures::NOW);
        store.append(record).await.expect("append");
    }
    store.close().await.expect("close");
    let (root, page_size, sessions) = {
        let db = Connection::open(&path).expect("open");
        db.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        let root: i64 = db
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'sets'",
                [],
                |r| r.get(0),
            )
            .expect("root page");
        let page_size: i64 = db
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size");
        let sessions: i64 = db
            .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
            .expect("sessions");
        (root, page_size, sessions)
    };
    // The first page of the `sets` table, somewhere inside the file, made garbage.
    let mut bytes = std::fs::read(&path).expect("read");
    let start = usize::try_from((root - 1) * page_size).expect("offset");
    let end = start + usize::try_from(page_size).expect("size");
    assert!(end < bytes.len(), "a page inside the file");
    bytes[start..end].fill(0xA5);
    std::fs::write(&path, &bytes).expect("break it");

    let Err(err) = RecordStore::open(&path).await else {
        panic!("a broken record is refused");
    };
    assert!(format!("{err:#}").contains("cannot be used"), "{err:#}");
    let db = read_only(&path);
    let after: i64 = db
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .expect("sessions");
    assert_eq!(after, sessions, "no session was started in it");
    drop(db);
    assert_eq!(
        std::fs::read(&path).expect("read"),
        bytes,
        "the file is as it was"
    );
}

/// A clean close leaves `<record>.clean`, which the next open takes (so a crash after it leaves
/// none) to skip reading every page; the test above shows a record changed after a clean close
/// is still checked whole and refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_close_leaves_a_marker_the_next_open_takes() {
    let path = db_path("clean-close");
    let marker = std::path::PathBuf::from(format!("{}.clean", path.display()));
    let key = fixtures::TestKey::es256("k1");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    assert!(!marker.exists(), "none while it is open");
    let token = key.sign(&fixtures::session_revoked("clean-1"));
    store
        .append(fixtures::inspect(&token, &key.jwks(), fixtures::NOW))
        .await
        .expect("append");
    store.close().await.expect("close");
    assert!(
        marker.exists(),
        "left by the clean close, before it answered"
    );
    let (store, loaded) = RecordStore::open(&path).await.expect("open again");
    assert!(!marker.exists(), "taken by the open");
    assert_eq!(loaded.len(), 1);
    drop(store);
    // Dropped without a close: no marker, so the next open checks the file whole.
    let (store, _) = RecordStore::open(&path).await.expect("open after a drop");
    assert!(!marker.exists());
    store.close().await.expect("close");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    store.close().await.expect("close");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&marker)
            .expect("left")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_are_numbered_without_gaps() {
    let path = db_path("concurrent");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let key = std::sync::Arc::new(fixtures::TestKey::es256("k1"));
    let mut tasks = Vec::new();
    for task in 0..8 {
        let (store, key) = (store.clone(), std::sync::Arc::clone(&key));
        tasks.push(tokio::spawn(async move {
            let jwks = key.jwks();
            let mut seqs = Vec::new();
            for i in 0..125 {
                let token = key.sign(&fixtures::session_revoked(&format!("t{task}-{i}")));
                let record = fixtures::inspect(&token, &jwks, fixtures::NOW);
                seqs.push(store.append(record).await.expect("append").seq);
            }
            seqs
        }));
    }
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.extend(task.await.expect("task"));
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=1000).collect::<Vec<u64>>());
    let in_memory: Vec<u64> = store.snapshot().iter().map(|r| r.seq).collect();
    assert_eq!(in_memory, (1..=1000).collect::<Vec<u64>>());
    let db = read_only(&path);
    let rows = "SELECT count(*) || ' ' || min(seq) || ' ' || max(seq) FROM sets";
    assert_eq!(text(&db, rows), "1000 1 1000");
}

#[tokio::test]
async fn append_returns_only_after_the_commit() {
    let path = db_path("committed");
    let key = fixtures::TestKey::es256("k1");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let db = read_only(&path);
    for i in 0..20 {
        let token = key.sign(&fixtures::session_revoked(&format!("c{i}")));
        let record = fixtures::inspect(&token, &key.jwks(), fixtures::NOW);
        let stored = store.append(record).await.expect("append");
        let query = format!(
            "SELECT group_concat(jti) FROM sets WHERE seq = {}",
            stored.seq
        );
        assert_eq!(
            text(&db, &query),
            format!("c{i}"),
            "visible to another connection"
        );
    }
}

#[tokio::test]
async fn a_failing_store_answers_with_errors() {
    let path = db_path("failing");
    let key = fixtures::TestKey::es256("k1");
    let record = fixtures::inspect(
        &key.sign(&fixtures::session_revoked("f1")),
        &key.jwks(),
        fixtures::NOW,
    );
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let saboteur = Connection::open(&path).expect("second connection");
    for (action, scope) in [("ABORT", "the statement"), ("ROLLBACK", "the transaction")] {
        saboteur
            .execute_batch(&format!(
                "CREATE TRIGGER fail BEFORE INSERT ON sets \
                 BEGIN SELECT RAISE({action}, 'simulated failure'); END;"
            ))
            .expect("install trigger");
        let err = store.append(record.clone()).await.expect_err(scope);
        assert!(
            matches!(&err, RecordError::Storage(text) if text.contains("simulated failure")),
            "{err}"
        );
        assert!(store.is_empty(), "a failed SET is not in the record");
        saboteur
            .execute_batch("DROP TRIGGER fail")
            .expect("remove trigger");
    }
    let stored = store
        .append(record)
        .await
        .expect("append after the failures");
    assert_eq!((stored.seq, stored.redelivered), (1, false));

    let folder = path.parent().expect("folder");
    let plain = folder.join("plain-file");
    std::fs::write(&plain, "not a folder").expect("write file");
    let err = RecordStore::open(&plain.join("record.sqlite")).await.err();
    assert!(err.is_some(), "a database inside a file cannot open");
    let garbage = folder.join("garbage.sqlite");
    std::fs::write(&garbage, vec![b'x'; 8192]).expect("write file");
    let err = RecordStore::open(&garbage)
        .await
        .err()
        .expect("not a database");
    assert!(format!("{err:#}").contains("move it aside"), "{err:#}");

    store.close().await.expect("close");
    let err = store.append(samples().remove(0)).await.expect_err("closed");
    assert_eq!(err, RecordError::Closed);
}

#[tokio::test]
async fn exchanges_are_stored_without_credentials() {
    let path = db_path("exchanges");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
    let exchange = Exchange {
        id: 0,
        at: fixtures::NOW,
        stream: Some(StreamKey("demo".to_owned())),
        method: "POST".to_owned(),
        url: "https://transmitter.example.com/ssf/streams".to_owned(),
        status: Some(201),
        request_headers: vec![
            pair("authorization", "Bearer s3cret-1"),
            pair("Content-Type", "application/json"),
            pair("Cookie", "session=s3cret-2"),
        ],
        request_body: r#"{"delivery":{"method":"urn:ietf:rfc:8935","authorization_header":"Bearer s3cret-3"}}"#.to_owned(),
        response_headers: vec![pair("SET-COOKIE", "id=s3cret-4")],
        response_body: r#"{"stream_id":"f67e39a0"}"#.to_owned(),
        duration_millis: 42,
    };
    let first = store.append_exchange(exchange.clone()).await;
    let second = store.append_exchange(exchange).await;
    assert_eq!((first, second), (Ok(1), Ok(2)));
    let db = read_only(&path);
    let row = text(
        &db,
        "SELECT request_headers || request_body || response_headers || response_body || status \
         FROM exchanges WHERE id = 1",
    );
    assert!(!row.contains("s3cret"), "{row}");
    assert!(row.contains(r#"["authorization","<redacted>"]"#), "{row}");
    assert!(
        row.contains(r#"["Content-Type","application/json"]"#),
        "{row}"
    );
    assert!(row.ends_with(r#"{"stream_id":"f67e39a0"}201"#), "{row}");
}

#[tokio::test]
async fn alerts_are_updated_in_place_and_history_is_kept() {
    let path = db_path("alerts");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let stream = StreamKey("demo".to_owned());
    let mut alert = Alert {
        id: 1,
        kind: AlertKind::StreamDisabled,
        severity: Severity::Critical,
        stream: stream.clone(),
        cause: "the transmitter disabled the stream".to_owned(),
        reason: Some("maintenance".to_owned()),
        first_seen: fixtures::NOW,
        last_seen: fixtures::NOW,
        evidence_seq: Some(4),
        evidence_exchange: Some(3),
        acknowledged: false,
        resolved_at: None,
        unwatched_at: None,
        folded_under: None,
    };
    store.append_alert(&alert).await.expect("alert");
    alert.acknowledged = true;
    alert.resolved_at = Some(UnixMillis(fixtures::NOW.0 + 5000));
    alert.unwatched_at = Some(UnixMillis(fixtures::NOW.0 + 7000));
    store.append_alert(&alert).await.expect("alert update");
    let (at, later) = (fixtures::NOW, UnixMillis(fixtures::NOW.0 + 1));
    store
        .append_status(
            &stream,
            StreamStatus::Disabled,
            Some("maintenance"),
            "stream_updated #4",
            at,
        )
        .await
        .expect("status");
    store
        .append_status(&stream, StreamStatus::Enabled, None, "status_read", later)
        .await
        .expect("status");
    let marker = Marker {
        stream: stream.clone(),
        kind: MarkerKind::Stopped,
        at: later,
    };
    store.append_marker(&marker).await.expect("marker");

    let db = read_only(&path);
    let alerts = "SELECT count(*) || ' ' || acknowledged || ' ' || resolved_at || ' ' || \
                  unwatched_at FROM alerts";
    assert_eq!(
        text(&db, alerts),
        format!("1 1 {} {}", fixtures::NOW.0 + 5000, fixtures::NOW.0 + 7000)
    );
    let history = "SELECT group_concat(status || ':' || source, ', ') \
                   FROM (SELECT * FROM stream_status ORDER BY id)";
    assert_eq!(
        text(&db, history),
        "disabled:stream_updated #4, enabled:status_read"
    );
    assert_eq!(
        text(&db, "SELECT group_concat(kind) FROM markers"),
        "receiver_stopped"
    );
}

#[tokio::test]
async fn an_in_memory_record_behaves_the_same() {
    let store = RecordStore::in_memory().await.expect("in memory");
    let record = samples().remove(0);
    let first = store.append(record.clone()).await.expect("append");
    let second = store.append(record).await.expect("append");
    assert_eq!(
        (first.seq, first.redelivered, second.seq, second.redelivered),
        (1, false, 2, true)
    );
    assert_eq!(store.len(), 2);
}

#[test]
fn stored_conclusions_this_version_no_longer_knows_are_kept_as_text() {
    let mut record = samples().remove(2);
    record.seq = 9;
    let mut stored = StoredSet::from_record(&record).expect("columns");
    stored.findings = json!([{"rule": "old-rule", "severity": "warning", "message": "it was wrong",
        "reference": "SSF draft §9"}])
    .to_string();
    stored.rejection = Some(json!({"err": "future_code", "description": "no"}).to_string());
    let restored = restore::restore(stored.clone()).expect("restore");
    assert_eq!(restored.findings[0].rule, LEGACY_RULE);
    assert!(
        restored.findings[0].message.contains("old-rule")
            && restored.findings[0].message.contains("it was wrong")
    );
    let rejection = restored.rejection.expect("rejection");
    assert_eq!(rejection.err, "invalid_request");
    assert!(rejection.description.contains("future_code"));
    stored.verdict = "trusted-ish".to_owned();
    assert!(
        restore::restore(stored).is_err(),
        "an unknown verdict is an error, not a guess"
    );
}

/// A record on disk does not hold its SETs a second time in memory: its snapshot is read back
/// from the file (a row removed by another connection is gone from it), the count is kept, and
/// what is read back is the same as what was stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_on_disk_reads_its_snapshot_back_from_the_file() {
    let path = db_path("snapshot-from-file");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let mut stored = Vec::new();
    for record in samples() {
        stored.push(store.append(record).await.expect("append"));
    }
    assert_eq!(store.len(), stored.len());
    let reader = store.clone();
    let snapshot = tokio::task::spawn_blocking(move || reader.snapshot())
        .await
        .expect("read back");
    assert_eq!(snapshot.len(), stored.len());
    for (a, b) in stored.iter().zip(&snapshot) {
        assert_same(a, b);
    }
    let other = Connection::open(&path).expect("a second connection");
    other
        .execute("DELETE FROM sets WHERE seq = 1", [])
        .expect("delete");
    let reader = store.clone();
    let snapshot = tokio::task::spawn_blocking(move || reader.snapshot())
        .await
        .expect("read back");
    assert_eq!(
        snapshot.first().map(|r| r.seq),
        Some(2),
        "read from the file, not from memory"
    );
    store.close().await.expect("close");
}

/// A second instance asking for `name` while another holds the record under another name is
/// refused at start with the words it gets for the record's own path, naming what it asked for.
#[cfg(unix)]
async fn refused_while_held(name: &std::path::Path) {
    let Err(err) = RecordStore::open(name).await else {
        panic!("{} is the held record: refused", name.display());
    };
    let text = format!("{err:#}");
    assert!(text.contains("in use by another ssf-inspector"), "{text}");
    assert!(
        text.contains(&name.display().to_string()),
        "names the record asked for: {text}"
    );
}

/// The holder of a record goes on storing after another name of it was refused.
#[cfg(unix)]
async fn holder_still_stores(holder: &RecordStore, jti: &str) {
    let key = fixtures::TestKey::es256("k1");
    let token = key.sign(&fixtures::session_revoked(jti));
    let before = holder.len();
    holder
        .append(fixtures::inspect(&token, &key.jwks(), fixtures::NOW))
        .await
        .expect("the holder still stores");
    assert_eq!(holder.len(), before + 1);
}

/// The same path, a symlink to the record file and a path through a symlinked folder are one
/// record: while one instance holds it, each is refused at start (issue 21, 10); once it is
/// closed, the symlink opens the same record.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_symlink_to_a_held_record_is_refused() {
    let path = db_path("held-symlink");
    let (holder, _) = RecordStore::open(&path).await.expect("the first instance");
    holder_still_stores(&holder, "before").await;
    let folder = path.parent().expect("its folder");
    let link = folder.join("link.sqlite");
    std::os::unix::fs::symlink(&path, &link).expect("symlink to the record");
    let linked_folder = folder.with_file_name("held-symlink-folder");
    std::fs::remove_file(&linked_folder).ok();
    std::os::unix::fs::symlink(folder, &linked_folder).expect("symlink to its folder");

    refused_while_held(&path).await;
    refused_while_held(&link).await;
    refused_while_held(&linked_folder.join("record.sqlite")).await;
    holder_still_stores(&holder, "after").await;
    holder.close().await.expect("close");

    let (store, records) = RecordStore::open(&link).await.expect("open by the symlink");
    assert_eq!(records.len(), 2, "the same record");
    store.close().await.expect("close");
}

/// A hard link is another name of the same file: while one instance holds the record, the
/// other name is refused at start too (issue 21, 10).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hard_link_to_a_held_record_is_refused() {
    let path = db_path("held-hard-link");
    let (holder, _) = RecordStore::open(&path).await.expect("the first instance");
    holder_still_stores(&holder, "before").await;
    let link = path.with_file_name("other-name.sqlite");
    std::fs::hard_link(&path, &link).expect("hard link to the record");

    refused_while_held(&link).await;
    // SQLite keeps a journal beside the name it opened: none was opened through this one.
    assert!(
        !link.with_file_name("other-name.sqlite-wal").exists(),
        "nothing was opened through the other name"
    );
    holder_still_stores(&holder, "after").await;
    holder.close().await.expect("close");
}

/// Issue 22: effects handed to the sink right before the stop are all written before the
/// record closes (the writer takes what is queued at shutdown).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_effect_handed_over_before_the_stop_is_written() {
    use ssf_inspector::core::effects::{Effects, StatusChange};
    const CHANGES: i64 = 5_000;
    let path = db_path("effects-at-stop");
    let (updates, mut rx) = ssf_inspector::bridge::update_channel(ssf_inspector::bridge::no_wake());
    let rt = ssf_inspector::runtime::spawn(
        &tokio::runtime::Handle::current(),
        updates,
        Some(path.clone()),
    );
    let reader = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let sink = rt.effects();
    for i in 0..CHANGES {
        let change = StatusChange {
            stream: StreamKey("s".to_owned()),
            status: if i % 2 == 0 {
                StreamStatus::Enabled
            } else {
                StreamStatus::Paused
            },
            reason: None,
            source: "status_read".to_owned(),
            at: UnixMillis(fixtures::NOW.0 + i),
            exchange: None,
        };
        let effects = Effects {
            statuses: vec![change],
            ..Effects::default()
        };
        sink.record(effects).expect("the runtime takes effects");
    }
    rt.send(ssf_inspector::runtime::Command::Shutdown)
        .await
        .expect("shutdown");
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        rt.finished().cancelled(),
    )
    .await
    .expect("the runtime stopped");
    reader.abort();
    let db = read_only(&path);
    let count: i64 = db
        .query_row("SELECT COUNT(*) FROM stream_status", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, CHANGES, "every change handed over is written");
    let last = text(
        &db,
        "SELECT status FROM stream_status ORDER BY id DESC LIMIT 1",
    );
    assert_eq!(last, "paused", "in order");
}
