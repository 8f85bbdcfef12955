//! `ssf-inspector watch --demo` as a script uses it: JSON lines for SETs and alerts, and exit
//! status 3 on a critical alert with `--exit-on-critical`; the record keeps the SETs, the alert,
//! the stream's status history and the receiver's start and stop.

use std::process::Command;

use serde_json::Value;

#[test]
fn watch_guards_a_stream_and_exits_3_when_it_is_disabled() {
    let record = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("watch-guard.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", record.display())).ok();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
        .args([
            "watch",
            "--demo",
            "--seconds",
            "20",
            "--json",
            "--exit-on-critical",
            "--record",
        ])
        .arg(&record)
        .args(["--demo-disable-after", "1", "--demo-interval-ms", "100"])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run watch");
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let sets: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "set").collect();
    assert!(sets.len() >= 5, "{lines:#?}");
    assert!(sets.iter().all(|s| s["verdict"] == "valid"), "{sets:#?}");
    assert!(
        sets.iter()
            .all(|s| s["event_types"].as_array().is_some_and(|e| !e.is_empty()))
    );
    let alert = lines
        .iter()
        .find(|l| l["kind"] == "alert")
        .expect("an alert line");
    assert_eq!(alert["alert"], "stream_disabled");
    assert_eq!(alert["severity"], "critical");
    // The SETs and the alert are in the record.
    let db = rusqlite::Connection::open(&record).expect("open the record");
    let stored: i64 = db
        .query_row("SELECT count(*) FROM sets", [], |row| row.get(0))
        .expect("count sets");
    assert_eq!(usize::try_from(stored).unwrap(), sets.len());
    let kind: String = db
        .query_row("SELECT kind FROM alerts", [], |row| row.get(0))
        .expect("an alert row");
    assert_eq!(kind, "stream_disabled");
    // The status history: enabled (read at start), then disabled by the stream-updated SET.
    let history: String = db
        .query_row(
            "SELECT group_concat(status || ' by ' || substr(source, 1, 14), ', ') \
             FROM (SELECT * FROM stream_status ORDER BY id)",
            [],
            |row| row.get(0),
        )
        .expect("the status history");
    assert_eq!(
        history,
        "enabled by status_read, disabled by stream_updated"
    );
    // The receiver's start and stop are marked.
    let markers: String = db
        .query_row(
            "SELECT group_concat(kind, ', ') FROM (SELECT * FROM markers ORDER BY id)",
            [],
            |row| row.get(0),
        )
        .expect("markers");
    assert_eq!(markers, "receiver_started, receiver_stopped");
}
