//! `capture --record FILE [--filter F] --out FILE.jsonl` writes a capture of a record (issue
//! 24): read back, it holds the same SETs, verdicts, findings, alerts, status changes and
//! markers; `query` reads a capture as it reads a record; no configured secret is in it.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::capture::{Item, Reader};
use ssf_inspector::core::record::SetRecord;

use crate::cli_kit::captures::{bearer_profile, bin, config_with, fresh, items};
use crate::fixtures::evidence::{self, SECRET};

/// A record holding SETs of four verdicts, an alert, status changes and markers
/// (`fixtures::evidence`). Returns the SETs as written.
fn make_record(path: &Path) -> Vec<SetRecord> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(evidence::evidence_record(path))
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
    let output = capture(&record, &config(&folder), &out, None);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(": 5 of 5 SETs, 3 exchanges, 1 alert, 2 status changes, 2 markers"),
        "{said}"
    );

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
