//! `capture --record FILE [--filter F] --out FILE.jsonl` writes a capture of a record (issue
//! 24): read back, it holds the same SETs, verdicts, findings, alerts, status changes and
//! markers; `query` reads a capture as it reads a record; no configured secret is in it.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use ssf_inspector::core::alerts::{Alert, AlertKind};
use ssf_inspector::core::capture::{Item, Reader};
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::record::SetRecord;
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::runtime::record::RecordStore;

use crate::cli_kit::captures::{at, bearer_profile, bin, config_with, demo, fresh, items};
use crate::fixtures::{self, NOW, TestKey};

/// The management token a profile names by reference (given to the binary in its environment).
const SECRET: &str = "capture-cli-s3cret-7f2a";

fn get(url: &str, body: &Value, millis: i64) -> Exchange {
    Exchange {
        id: 0,
        at: at(millis),
        stream: Some(demo()),
        method: "GET".to_owned(),
        url: url.to_owned(),
        status: Some(200),
        request_headers: vec![("Authorization".to_owned(), format!("Bearer {SECRET}"))],
        request_body: String::new(),
        response_headers: Vec::new(),
        response_body: body.to_string(),
        duration_millis: 2,
    }
}

/// A record holding SETs of four verdicts (valid, bad signature, unknown key, undecodable),
/// one carried by a push exchange, the keys and metadata as fetched (a body that quotes the
/// secret, as a transmitter echoing a request might), an alert, two status changes and markers.
/// Returns the SETs as written.
fn make_record(path: &Path) -> Vec<SetRecord> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let (store, _) = RecordStore::open_all(path).await.expect("a record");
        let key = TestKey::es256("k1");
        store
            .append_marker(&Marker {
                stream: demo(),
                kind: MarkerKind::Started,
                at: NOW,
            })
            .await
            .expect("marker");
        let metadata = get(
            "https://transmitter.example.com/.well-known/ssf-configuration/ssf",
            &json!({"issuer": fixtures::ISSUER, "jwks_uri": "https://transmitter.example.com/jwks"}),
            1,
        );
        store.append_exchange(metadata).await.expect("metadata");
        let jwks = get(
            "https://transmitter.example.com/jwks",
            &json!({"keys": [key.jwk], "note": format!("echo: Bearer {SECRET}")}),
            2,
        );
        store.append_exchange(jwks).await.expect("jwks");
        let push_id = store.exchange_id();
        let mut push = get("http://127.0.0.1:9/push", &json!({}), 3);
        push.id = push_id;
        push.method = "POST".to_owned();
        push.status = Some(202);
        store.append_exchange(push).await.expect("push");
        let tokens = [
            key.sign(&fixtures::session_revoked("j1")),
            TestKey::es256("k1").sign(&fixtures::session_revoked("j2")),
            TestKey::es256("k9").sign(&fixtures::session_revoked("j3")),
            key.sign(&fixtures::stream_updated("j4", "disabled", "maintenance")),
            "not.a.token".to_owned(),
        ];
        let mut written = Vec::new();
        for (n, token) in tokens.iter().enumerate() {
            let mut record = fixtures::inspect(token, &key.jwks(), at(10 + n as i64));
            if n == 0 {
                record.exchange = Some(push_id);
            }
            written.push(store.append(record).await.expect("a SET").as_ref().clone());
        }
        let status = |status, source: &'static str, millis| {
            let store = store.clone();
            async move {
                store
                    .append_status(&demo(), status, Some("maintenance"), source, at(millis))
                    .await
                    .expect("status");
            }
        };
        status(StreamStatus::Enabled, "status_read", 5).await;
        status(StreamStatus::Disabled, "stream_updated #4", 14).await;
        let alert = Alert {
            id: 1,
            kind: AlertKind::StreamDisabled,
            severity: AlertKind::StreamDisabled.severity(),
            stream: demo(),
            cause: "the transmitter disabled the stream".to_owned(),
            reason: Some("maintenance".to_owned()),
            first_seen: at(14),
            last_seen: at(14),
            evidence_seq: Some(4),
            evidence_exchange: None,
            acknowledged: false,
            resolved_at: None,
            unwatched_at: None,
            folded_under: None,
        };
        store.append_alert(&alert).await.expect("alert");
        store
            .append_marker(&Marker {
                stream: demo(),
                kind: MarkerKind::Stopped,
                at: at(20),
            })
            .await
            .expect("marker");
        store.close().await.expect("closed");
        written
    })
}

/// A config folder with one profile whose management token is an environment reference.
fn config(folder: &Path) -> PathBuf {
    config_with(folder, &[bearer_profile("acme", "CAPTURE_TEST_TOKEN")])
}

fn capture(record: &Path, config: &Path, out: &Path, filter: Option<&str>) -> Output {
    let mut command = bin();
    command
        .arg("capture")
        .arg("--record")
        .arg(record)
        .arg("--out")
        .arg(out)
        .env("SSF_INSPECTOR_CONFIG_DIR", config)
        .env("CAPTURE_TEST_TOKEN", SECRET)
        .env("RUST_LOG", "off");
    if let Some(filter) = filter {
        command.args(["--filter", filter]);
    }
    let output = command.output().expect("run capture");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn query_json(file: &Path, filter: &[&str]) -> Vec<Value> {
    let output = bin()
        .args(["query", "--json", "--record"])
        .arg(file)
        .args(filter)
        .env("RUST_LOG", "off")
        .output()
        .expect("run query");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn a_capture_holds_the_records_sets_verdicts_findings_alerts_statuses_and_markers() {
    let folder = fresh("cli_capture", "round_trip");
    let record = folder.join("record.sqlite3");
    let written = make_record(&record);
    let out = folder.join("incident.jsonl");
    capture(&record, &config(&folder), &out, None);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&out)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "as private as the record");
    }
    let items = items(&out);
    let sets: Vec<&SetRecord> = items
        .iter()
        .filter_map(|i| match i {
            Item::Set(record) => Some(record.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(sets.len(), written.len());
    let mut verdicts = std::collections::BTreeSet::new();
    for (a, b) in written.iter().zip(&sets) {
        assert_eq!(
            (a.seq, &a.raw, a.received_at, a.exchange),
            (b.seq, &b.raw, b.received_at, b.exchange)
        );
        assert_eq!(a.verification, b.verification, "SET #{}", a.seq);
        assert_eq!(a.findings, b.findings, "SET #{}", a.seq);
        assert_eq!(a.rejection, b.rejection, "SET #{}", a.seq);
        verdicts.insert(b.verification.verdict.as_str());
    }
    assert!(verdicts.len() >= 4, "several verdict kinds: {verdicts:?}");
    let count = |kind: fn(&Item) -> bool| items.iter().filter(|i| kind(i)).count();
    assert_eq!(count(|i| matches!(i, Item::Exchange(_))), 3);
    assert_eq!(count(|i| matches!(i, Item::Status(_))), 2);
    assert_eq!(count(|i| matches!(i, Item::Marker(_))), 2);
    let alerts: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Alert { alert, .. } => Some(alert.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, AlertKind::StreamDisabled);
    assert_eq!(alerts[0].evidence_seq, Some(4));

    let header: Value = serde_json::from_str(
        std::fs::read_to_string(&out)
            .expect("read")
            .lines()
            .next()
            .expect("a header"),
    )
    .expect("JSON");
    let snapshots: Vec<&str> = header["snapshots"]
        .as_array()
        .expect("snapshots")
        .iter()
        .filter_map(|s| s["kind"].as_str())
        .collect();
    assert_eq!(snapshots, ["metadata", "jwks"]);
    assert_eq!(header["profiles"][0]["name"], "acme");

    // `query` reads the capture as it reads the record: the same SETs, verdicts and findings.
    let from_record = query_json(&record, &[]);
    let from_capture = query_json(&out, &[]);
    assert_eq!(from_capture, from_record);
    assert_eq!(from_capture.len(), written.len());
    let valid = query_json(&out, &["verdict:valid"]);
    assert_eq!(
        valid,
        query_json(&record, &["verdict:valid"]),
        "the filter reads a capture's SETs as a record's"
    );
    assert!(!valid.is_empty() && valid.len() < written.len());
}

#[test]
fn a_capture_holds_no_configured_secret() {
    let folder = fresh("cli_capture", "no_secret");
    let record = folder.join("record.sqlite3");
    make_record(&record);
    let raw = std::fs::read(&record).expect("the record");
    assert!(
        raw.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
        "the test's record holds the secret in a body, so the capture has something to scrub"
    );
    let out = folder.join("whole.jsonl");
    capture(&record, &config(&folder), &out, None);
    let text = std::fs::read_to_string(&out).expect("the capture");
    assert!(text.contains("capture"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    assert!(text.contains("env:CAPTURE_TEST_TOKEN") || text.contains("CAPTURE_TEST_TOKEN"));
}

#[test]
fn a_filtered_capture_holds_what_the_filter_matches_and_the_exchanges_that_carried_it() {
    let folder = fresh("cli_capture", "filtered");
    let record = folder.join("record.sqlite3");
    make_record(&record);
    let out = folder.join("valid.jsonl");
    let output = capture(&record, &config(&folder), &out, Some("jti:j1"));
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(told.contains("1 of 5 SETs"), "{told}");
    let items = items(&out);
    let sets: Vec<u64> = items
        .iter()
        .filter_map(|i| match i {
            Item::Set(record) => Some(record.seq),
            _ => None,
        })
        .collect();
    assert_eq!(sets, vec![1]);
    let exchanges: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Exchange(e) => Some(e.method.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(exchanges, ["POST"], "only the push that carried SET #1");
    let header = Reader::open(std::fs::read(&out).expect("read").as_slice())
        .expect("a capture")
        .header()
        .clone();
    assert_eq!(header.filter.as_deref(), Some("jti:j1"));
    assert_eq!(
        header.snapshots.len(),
        2,
        "the keys as fetched, all the same"
    );
}

#[test]
fn query_reads_a_damaged_capture_and_tells_what_it_skipped() {
    let folder = fresh("cli_capture", "damaged");
    let record = folder.join("record.sqlite3");
    make_record(&record);
    let whole = folder.join("whole.jsonl");
    capture(&record, &config(&folder), &whole, None);
    let text = std::fs::read_to_string(&whole).expect("the capture");
    let mut lines: Vec<&str> = text.lines().collect();
    // The second SET's line is damaged, and the file is cut short in its last line.
    lines[2] = "{\"kind\":\"set\",\"raw\":";
    let damaged = lines.join("\n");
    let damaged = &damaged[..damaged.len() - 10];
    let path = folder.join("damaged.jsonl");
    std::fs::write(&path, damaged).expect("written");
    let output = bin()
        .args(["query", "--json", "--record"])
        .arg(&path)
        .env("RUST_LOG", "off")
        .output()
        .expect("run query");
    let told = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{told}");
    assert!(told.contains("line 3 is skipped"), "{told}");
    assert!(
        told.contains(&format!("line {} is cut short", lines.len())),
        "{told}"
    );
    assert!(told.contains("4 of 4 SETs match"), "{told}");
    let newer = folder.join("newer.jsonl");
    std::fs::write(&newer, text.replacen("\"format\":1", "\"format\":2", 1)).expect("written");
    let output = bin()
        .args(["query", "--record"])
        .arg(&newer)
        .env("RUST_LOG", "off")
        .output()
        .expect("run query");
    let told = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{told}");
    assert!(
        told.contains("format 2") && told.contains("newer"),
        "{told}"
    );
}
