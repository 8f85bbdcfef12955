//! `watch --filter` prints only the SETs a filter matches (everything else as before), and
//! `query --record FILE` reads a record back through the same filter language (issue 13).

use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
}

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn families(set: &Value) -> Vec<String> {
    set["event_types"]
        .as_array()
        .map(|types| {
            types
                .iter()
                .filter_map(Value::as_str)
                .map(|uri| {
                    ssf_inspector::core::events::EventRef::from_uri(uri)
                        .family
                        .tag()
                        .to_ascii_lowercase()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn watch_filters_its_sets_and_query_reads_the_record_with_the_same_language() {
    let record = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-query.sqlite3");
    for suffix in ["", "-wal", "-shm", ".lock"] {
        std::fs::remove_file(format!("{}{suffix}", record.display())).ok();
    }
    let watched = bin()
        .args([
            "watch",
            "--demo",
            "--seconds",
            "5",
            "--json",
            "--filter",
            "family:caep",
            "--record",
        ])
        .arg(&record)
        .args(["--demo-interval-ms", "100"])
        .env("RUST_LOG", "off")
        .output()
        .expect("run watch");
    assert_eq!(
        watched.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&watched.stderr)
    );
    let printed = lines(&watched.stdout);
    let sets: Vec<&Value> = printed.iter().filter(|l| l["kind"] == "set").collect();
    assert!(!sets.is_empty(), "{printed:#?}");
    assert!(
        sets.iter().all(|s| families(s).iter().any(|f| f == "caep")),
        "only CAEP SETs are printed: {sets:#?}"
    );
    assert!(
        printed.iter().any(|l| l["kind"] == "connection"),
        "other lines are printed as before"
    );

    let query = |filter: &[&str]| {
        let output = bin()
            .args(["query", "--json", "--record"])
            .arg(&record)
            .args(filter)
            .output()
            .expect("run query");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        lines(&output.stdout)
    };
    let all = query(&[]);
    let caep = query(&["family:caep"]);
    let other = query(&["not", "family:caep"]);
    assert!(all.len() > caep.len(), "the demo sends more than CAEP");
    assert_eq!(caep.len() + other.len(), all.len());
    assert_eq!(caep.len(), sets.len(), "watch printed what query finds");
    assert!(
        other
            .iter()
            .all(|s| families(s).iter().all(|f| f != "caep"))
    );

    let bad = bin()
        .args(["query", "--record"])
        .arg(&record)
        .arg("tpye:x")
        .output()
        .expect("run query");
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("column 1") && stderr.contains("type:"),
        "{stderr}"
    );
}

/// A record in WAL mode can be read only where SQLite may create or open its -shm file beside
/// it; where it cannot (a read-only folder), `query` says so and what to do, not only
/// "unable to open database file: Error code 14".
#[cfg(unix)]
#[test]
fn a_record_that_cannot_be_read_in_place_says_why_and_what_to_do() {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-query-read-only");
    std::fs::remove_dir_all(&folder).ok();
    let record = folder.join("record.sqlite3");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let (store, _) = ssf_inspector::runtime::record::RecordStore::open(&record)
            .await
            .expect("a record");
        store.close().await.expect("close");
    });
    let query = || {
        bin()
            .arg("query")
            .arg("--record")
            .arg(&record)
            .output()
            .expect("run query")
    };
    assert!(query().status.success(), "readable where it is");
    // SQLite cannot make the -shm file, as in a read-only folder. A folder's mode does not stop
    // root (who may run the tests), so the -shm is a link into a folder that does not exist.
    for left in ["record.sqlite3-shm", "record.sqlite3-wal"] {
        std::fs::remove_file(folder.join(left)).ok();
    }
    std::os::unix::fs::symlink(
        folder.join("gone").join("shm"),
        folder.join("record.sqlite3-shm"),
    )
    .expect("link");
    let refused = query();
    let why = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{why}");
    assert!(
        why.contains("record.sqlite3-shm")
            && why.contains("WAL")
            && why.contains("copy the record")
            && why.contains(&folder.display().to_string()),
        "{why}"
    );
}
