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

/// SIGTERM (what `timeout`, systemd and containers send) stops `watch` as Ctrl+C does: the
/// receiver's stop marker is printed and recorded, and the stream this run created is deleted.
#[test]
#[cfg(unix)]
fn sigterm_stops_watch_cleanly_and_undoes_its_stream() {
    use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef};
    use ssf_inspector::runtime::profiles::ProfileFiles;
    use ssf_inspector::runtime::transmitter::{Transmitter, TransmitterOptions};
    use std::io::BufRead as _;

    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let cancel = tokio_util::sync::CancellationToken::new();
    let options = TransmitterOptions {
        event_interval: std::time::Duration::from_millis(100),
        ..TransmitterOptions::default()
    };
    let local = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let tx = rt
        .block_on(Transmitter::start(local, options, cancel.clone()))
        .expect("a transmitter");
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("watch-sigterm");
    std::fs::remove_dir_all(&base).ok();
    let (config, data) = (base.join("config"), base.join("data"));
    let files = ProfileFiles::new(config.clone());
    files
        .store_secret("t", &tx.management_token)
        .expect("store");
    let profile = Profile {
        name: "termed".to_owned(),
        issuer: tx.issuer.clone(),
        auth: ManagementAuth::Bearer {
            token: SecretRef::Stored("t".to_owned()),
        },
        delivery: DeliveryMode::Push,
        ..Profile::default()
    };
    files.save(&[profile]).expect("save");
    let record = data.join("record.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
        .args([
            "watch",
            "--profile",
            "termed",
            "--json",
            "--seconds",
            "60",
            "--record",
        ])
        .arg(&record)
        .env("SSF_INSPECTOR_CONFIG_DIR", &config)
        .env("SSF_INSPECTOR_DATA_DIR", &data)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run watch");
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut seen = Vec::new();
    // Wait for the first SET, then send SIGTERM.
    for line in lines.by_ref() {
        let line = line.expect("a line");
        let set = line.contains("\"kind\":\"set\"");
        seen.push(line);
        if set {
            break;
        }
    }
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    seen.extend(lines.map_while(Result::ok));
    let status = child.wait().expect("watch ends");
    assert_eq!(status.code(), Some(0), "{seen:#?}");
    assert!(
        seen.iter()
            .any(|l| l.contains("\"marker\":\"receiver_stopped\"")),
        "the stop marker: {seen:#?}"
    );
    assert!(
        seen.iter().any(|l| l.contains("which this run created")),
        "the created stream is deleted and that is said: {seen:#?}"
    );
    let listed: Vec<serde_json::Value> = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/streams", tx.issuer))
            .bearer_auth(&tx.management_token)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json")
    });
    assert!(listed.is_empty(), "{listed:?}");
    let db = rusqlite::Connection::open(&record).expect("the record");
    let stopped: i64 = db
        .query_row(
            "SELECT count(*) FROM markers WHERE kind LIKE '%stopped'",
            [],
            |row| row.get(0),
        )
        .expect("markers");
    assert_eq!(stopped, 1);
    cancel.cancel();
}

/// A stream that cannot be set up ends `watch` at once with exit status 4, whether the set-up
/// failed (nothing listens) or was declined (another receiver's stream is listed); it does not
/// idle until `--seconds` ends, and it does not say success.
#[test]
fn watch_exits_4_at_once_when_its_stream_is_not_set_up() {
    use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef};
    use ssf_inspector::runtime::profiles::ProfileFiles;
    use ssf_inspector::runtime::transmitter::{Transmitter, TransmitterOptions};

    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let cancel = tokio_util::sync::CancellationToken::new();
    let local = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let tx = rt
        .block_on(Transmitter::start(
            local,
            TransmitterOptions::default(),
            cancel.clone(),
        ))
        .expect("a transmitter");
    // Another receiver's stream: `auto` declines to create beside it.
    let foreign = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/streams", tx.issuer))
            .bearer_auth(&tx.management_token)
            .json(&serde_json::json!({"delivery": {"method": "urn:ietf:rfc:8936"}, "description": "theirs"}))
            .send()
            .await
            .expect("create theirs")
            .status()
    });
    assert_eq!(foreign, 201);
    // A port nothing listens on: bound, then closed.
    let closed = std::net::TcpListener::bind(local)
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("watch-not-set-up");
    std::fs::remove_dir_all(&base).ok();
    let (config, data) = (base.join("config"), base.join("data"));
    let files = ProfileFiles::new(config.clone());
    files
        .store_secret("t", &tx.management_token)
        .expect("store");
    let profile = |name: &str, issuer: String| Profile {
        name: name.to_owned(),
        issuer,
        auth: ManagementAuth::Bearer {
            token: SecretRef::Stored("t".to_owned()),
        },
        delivery: DeliveryMode::Poll,
        ..Profile::default()
    };
    let profiles = [
        profile("declined", tx.issuer.clone()),
        profile("unreachable", format!("http://{closed}")),
    ];
    files.save(&profiles).expect("save");
    for (name, said) in [("declined", "did not make"), ("unreachable", "refused")] {
        let started = std::time::Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
            .args(["watch", "--profile", name, "--json", "--seconds", "60"])
            .env("SSF_INSPECTOR_CONFIG_DIR", &config)
            .env("SSF_INSPECTOR_DATA_DIR", &data)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run watch");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(4), "{name}: {stdout}");
        assert!(stdout.contains(said), "{name}: {stdout}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{name} ended at once, not at --seconds"
        );
    }
    cancel.cancel();
}
