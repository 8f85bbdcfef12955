//! `export --record FILE [--filter F] [--since T] [--until T] [--incident ID] --out DIR|FILE.zip`
//! writes an evidence bundle (issue 24): its manifest verifies with the real `sha256sum -c` and
//! fails once a byte is changed; a zip holds the same files; `--incident RUN-ID` takes the stop,
//! what is folded under it and its stream's span; SUMMARY.md tells the story and the counts; no
//! configured secret is in any file.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use ssf_inspector::core::alerts::{Alert, AlertKind};
use ssf_inspector::core::capture::{Item, Reader};
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::profile::{ManagementAuth, Profile, SecretRef};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::runtime::record::RecordStore;

use crate::cli_kit::captures::{at, bearer_profile, bin, config_with, demo, fresh, items};
use crate::fixtures::{self, TestKey};

/// The management bearer token, a client secret and a push authorization, each given to the
/// binary in its environment by the profiles' references.
const BEARER: &str = "bundle-bearer-s3cret-51c9";
const CLIENT_SECRET: &str = "bundle-client-s3cret-8d20";
const PUSH_AUTH: &str = "bundle-push-s3cret-e6a4";
const SECRETS: [&str; 3] = [BEARER, CLIENT_SECRET, PUSH_AUTH];

const MINUTE: i64 = 60_000;

fn exchange(method: &str, url: &str, body: &str, millis: i64) -> Exchange {
    Exchange {
        id: 0,
        at: at(millis),
        stream: Some(demo()),
        method: method.to_owned(),
        url: url.to_owned(),
        status: Some(200),
        request_headers: vec![("Authorization".to_owned(), format!("Bearer {BEARER}"))],
        request_body: String::new(),
        response_headers: Vec::new(),
        response_body: body.to_owned(),
        duration_millis: 2,
    }
}

fn alert(id: u64, kind: AlertKind, millis: i64) -> Alert {
    Alert {
        id,
        kind,
        severity: kind.severity(),
        stream: demo(),
        cause: "the transmitter disabled the stream".to_owned(),
        reason: None,
        first_seen: at(millis),
        last_seen: at(millis),
        evidence_seq: None,
        evidence_exchange: None,
        acknowledged: false,
        resolved_at: None,
        unwatched_at: None,
        folded_under: None,
    }
}

fn marker(kind: MarkerKind, millis: i64) -> Marker {
    Marker {
        stream: demo(),
        kind,
        at: at(millis),
    }
}

/// A record of two runs. Run 1 watches `demo` (and receives a SET of `other`): SETs at 0, 25,
/// 30 (stream-updated disabled), 40 and 60 minutes, one of `other` at 25; the stream disabled
/// at 30 minutes and enabled again at 50 (incident 1-1, silence folded under it at 45), the
/// receiver stopped at 35 and started again at 38. Run 2 raises a pause at 70 minutes (2-1).
/// The metadata and keys as fetched quote every secret, as an echoing transmitter might, and
/// the stop's reason quotes the bearer token.
fn make_record(path: &Path) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let (store, _) = RecordStore::open_all(path).await.expect("a record");
        let key = TestKey::es256("k1");
        store
            .append_marker(&marker(MarkerKind::Started, 0))
            .await
            .expect("marker");
        let echo = format!("echo {BEARER} {CLIENT_SECRET} {PUSH_AUTH}");
        let metadata = exchange(
            "GET",
            "https://transmitter.example.com/.well-known/ssf-configuration/ssf",
            &json!({"issuer": fixtures::ISSUER, "jwks_uri": "https://transmitter.example.com/jwks", "note": echo})
                .to_string(),
            1,
        );
        store.append_exchange(metadata).await.expect("metadata");
        let jwks = exchange(
            "GET",
            "https://transmitter.example.com/jwks",
            &json!({"keys": [key.jwk], "note": echo}).to_string(),
            2,
        );
        store.append_exchange(jwks).await.expect("jwks");
        let push_id = store.exchange_id();
        let mut push = exchange("POST", "http://127.0.0.1:9/push", &echo, 3);
        push.id = push_id;
        push.status = Some(202);
        push.request_headers = vec![("Authorization".to_owned(), PUSH_AUTH.to_owned())];
        store.append_exchange(push).await.expect("push");
        let sets = [
            ("j1", 0, "demo"),
            ("j2", 25, "demo"),
            ("j3", 25, "other"),
            ("j4", 30, "demo"),
            ("j5", 40, "demo"),
            ("j6", 60, "demo"),
        ];
        for (jti, minutes, stream) in sets {
            let claims = if jti == "j4" {
                fixtures::stream_updated(jti, "disabled", "maintenance")
            } else {
                fixtures::session_revoked(jti)
            };
            let mut record =
                fixtures::inspect(&key.sign(&claims), &key.jwks(), at(minutes * MINUTE + 10));
            record.stream = StreamKey(stream.to_owned());
            if jti == "j2" {
                record.exchange = Some(push_id);
            }
            store.append(record).await.expect("a SET");
        }
        for (status, source, minutes) in [
            (StreamStatus::Enabled, "status_read", 0),
            (StreamStatus::Disabled, "stream_updated #4", 30),
            (StreamStatus::Enabled, "status_read", 50),
        ] {
            store
                .append_status(&demo(), status, None, source, at(minutes * MINUTE + 10))
                .await
                .expect("status");
        }
        let mut stop = alert(1, AlertKind::StreamDisabled, 30 * MINUTE + 10);
        stop.reason = Some(format!("maintenance by Bearer {BEARER}"));
        stop.evidence_seq = Some(4);
        stop.resolved_at = Some(at(50 * MINUTE + 10));
        store.append_alert(&stop).await.expect("alert");
        let mut silent = alert(2, AlertKind::Silent, 45 * MINUTE);
        silent.folded_under = Some(1);
        store.append_alert(&silent).await.expect("alert");
        store
            .append_marker(&marker(MarkerKind::Stopped, 35 * MINUTE))
            .await
            .expect("marker");
        store
            .append_marker(&marker(MarkerKind::Started, 38 * MINUTE))
            .await
            .expect("marker");
        store.close().await.expect("closed");

        let (store, _) = RecordStore::open_all(path).await.expect("the record again");
        store
            .append_alert(&alert(1, AlertKind::StreamPaused, 70 * MINUTE))
            .await
            .expect("alert");
        store
            .append_marker(&marker(MarkerKind::Stopped, 80 * MINUTE))
            .await
            .expect("marker");
        store.close().await.expect("closed");
    });
}

/// A config folder with a profile whose management token is a reference, and one with a
/// client secret and a push authorization.
fn config(folder: &Path) -> PathBuf {
    let bearer = bearer_profile("acme", "BUNDLE_TEST_BEARER");
    let oauth = Profile {
        name: "globex".to_owned(),
        issuer: "https://globex.example.com/ssf".to_owned(),
        auth: ManagementAuth::ClientCredentials {
            token_endpoint: "https://globex.example.com/oauth/token".to_owned(),
            client_id: "inspector".to_owned(),
            client_secret: SecretRef::Env("BUNDLE_TEST_CLIENT_SECRET".to_owned()),
            scopes: vec!["ssf.manage".to_owned()],
        },
        push_authorization: Some(SecretRef::Env("BUNDLE_TEST_PUSH".to_owned())),
        ..Profile::default()
    };
    config_with(folder, &[bearer, oauth])
}

fn export(record: &Path, config: &Path, out: &Path, extra: &[&str]) -> Output {
    bin()
        .arg("export")
        .arg("--record")
        .arg(record)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("SSF_INSPECTOR_CONFIG_DIR", config)
        .env("BUNDLE_TEST_BEARER", BEARER)
        .env("BUNDLE_TEST_CLIENT_SECRET", CLIENT_SECRET)
        .env("BUNDLE_TEST_PUSH", PUSH_AUTH)
        .env("RUST_LOG", "off")
        .output()
        .expect("run export")
}

fn exported(record: &Path, config: &Path, out: &Path, extra: &[&str]) -> Output {
    let output = export(record, config, out, extra);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A record and its config in a fresh folder.
fn setup(test: &str) -> (PathBuf, PathBuf, PathBuf) {
    let folder = fresh("cli_export", test);
    let record = folder.join("record.sqlite3");
    make_record(&record);
    let config = config(&folder);
    (folder, record, config)
}

fn sha256sum_check(folder: &Path) -> Output {
    Command::new("sha256sum")
        .args(["-c", "MANIFEST.sha256"])
        .current_dir(folder)
        .output()
        .expect("run sha256sum (coreutils)")
}

/// Every file under `folder`, relative, sorted.
fn files_under(folder: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(folder).expect("inside");
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// Unzip `zip` into `into` with the zip crate; returns the entries' names in their order.
fn unzip(zip: &Path, into: &Path) -> Vec<String> {
    let file = std::fs::File::open(zip).expect("the zip");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut names = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("an entry");
        let name = entry.name().expect("a name").into_owned();
        let path = into.join(&name);
        if entry.is_dir() {
            std::fs::create_dir_all(&path).expect("a folder");
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("a folder");
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read");
            std::fs::write(&path, bytes).expect("written");
            names.push(name);
        }
    }
    names
}

#[test]
fn a_bundle_manifest_verifies_with_sha256sum_and_fails_once_a_byte_changes() {
    let (folder, record, config) = setup("manifest");
    let out = folder.join("bundle");
    let output = exported(&record, &config, &out, &[]);
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(told.contains("6 of 6 SETs"), "{told}");
    let files = files_under(&out);
    assert_eq!(
        files,
        [
            "MANIFEST.sha256",
            "SUMMARY.md",
            "capture.jsonl",
            "exchanges.jsonl",
            "findings.jsonl",
            "snapshots/01-metadata.json",
            "snapshots/02-jwks.json",
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| std::fs::metadata(p).expect("there").permissions().mode() & 0o777;
        assert_eq!(mode(&out), 0o700);
        assert_eq!(mode(&out.join("snapshots")), 0o700);
        for file in &files {
            assert_eq!(mode(&out.join(file)), 0o600, "{file}");
        }
    }
    let manifest = std::fs::read_to_string(out.join("MANIFEST.sha256")).expect("manifest");
    assert_eq!(manifest.lines().count(), files.len() - 1, "{manifest}");
    let check = sha256sum_check(&out);
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // One byte of the capture changed: sha256sum names it and fails.
    let capture = out.join("capture.jsonl");
    let mut bytes = std::fs::read(&capture).expect("the capture");
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    std::fs::write(&capture, bytes).expect("changed");
    let check = sha256sum_check(&out);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(!check.status.success(), "{said}");
    assert!(said.contains("capture.jsonl: FAILED"), "{said}");
    assert!(said.contains("SUMMARY.md: OK"), "{said}");
}

#[test]
fn a_zip_bundle_unzips_to_the_same_files_and_its_manifest_verifies() {
    let (folder, record, config) = setup("zip");
    let zip = folder.join("evidence.zip");
    exported(&record, &config, &zip, &["--incident", "1-1"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&zip)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .expect("the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let unzipped = folder.join("unzipped");
    let mut names = unzip(&zip, &unzipped);
    assert_eq!(names.last().map(String::as_str), Some("MANIFEST.sha256"));
    names.sort();
    assert_eq!(names, files_under(&unzipped));
    let manifest = std::fs::read_to_string(unzipped.join("MANIFEST.sha256")).expect("manifest");
    let named: Vec<&str> = manifest.lines().map(|l| &l[66..]).collect();
    let others: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| *n != "MANIFEST.sha256")
        .collect();
    assert_eq!(named, others, "the manifest names every other entry");
    let check = sha256sum_check(&unzipped);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // The same export to a folder holds the same files; those that do not tell when they
    // were saved hold the same bytes.
    let out = folder.join("as-folder");
    exported(&record, &config, &out, &["--incident", "1-1"]);
    assert_eq!(files_under(&out), files_under(&unzipped));
    for file in [
        "exchanges.jsonl",
        "findings.jsonl",
        "snapshots/02-jwks.json",
    ] {
        assert_eq!(
            std::fs::read(out.join(file)).expect("read"),
            std::fs::read(unzipped.join(file)).expect("read"),
            "{file}"
        );
    }
}

#[test]
fn an_incident_bundle_takes_the_stop_what_is_folded_under_it_and_its_span() {
    let (folder, record, config) = setup("incident");
    let out = folder.join("incident");
    let output = exported(&record, &config, &out, &["--incident", "1-1"]);
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(told.contains("3 of 6 SETs"), "{told}");
    let items = items(&out.join("capture.jsonl"));
    let jtis: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Set(r) => r.jti.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        jtis,
        ["j2", "j4", "j5"],
        "demo's SETs from 10 minutes before the stop to its end; not the other stream's"
    );
    let alerts: Vec<(Option<u64>, u64, AlertKind)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Alert { session, alert } => Some((*session, alert.id, alert.kind)),
            _ => None,
        })
        .collect();
    assert_eq!(
        alerts,
        [
            (Some(1), 1, AlertKind::StreamDisabled),
            (Some(1), 2, AlertKind::Silent)
        ],
        "the stop and what is folded under it; not run 2's alert 1"
    );
    let statuses: Vec<StreamStatus> = items
        .iter()
        .filter_map(|i| match i {
            Item::Status(s) => Some(s.status),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [StreamStatus::Disabled, StreamStatus::Enabled]);
    let markers: Vec<MarkerKind> = items
        .iter()
        .filter_map(|i| match i {
            Item::Marker(m) => Some(m.kind),
            _ => None,
        })
        .collect();
    assert_eq!(markers, [MarkerKind::Stopped, MarkerKind::Started]);
    let exchanges: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Exchange(e) => Some(e.method.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(exchanges, ["POST"], "the push that carried j2");

    let header = Reader::open(
        std::fs::read(out.join("capture.jsonl"))
            .expect("read")
            .as_slice(),
    )
    .expect("a capture")
    .header()
    .clone();
    assert!(
        header
            .selection
            .as_deref()
            .is_some_and(|s| s.starts_with("incident 1-1 (")),
        "the capture says it holds one incident, not the whole record: {:?}",
        header.selection
    );

    // SUMMARY.md tells the story, the gap and the counts.
    let summary = std::fs::read_to_string(out.join("SUMMARY.md")).expect("the summary");
    assert!(summary.contains("incident 1-1"), "{summary}");
    assert!(
        summary.contains("- Incident 1-1: disabled by the transmitter at 09:30:00"),
        "{summary}"
    );
    assert!(
        summary.contains("3 SETs received before, 1 after"),
        "j1, j2 and j4 at or before the stop, j5 until its end: {summary}"
    );
    assert!(summary.contains("silence noticed at 09:45:00"), "{summary}");
    assert!(
        summary.contains("resolved at 09:50:00 (enabled again, found by a status read)"),
        "{summary}"
    );
    assert!(
        summary.contains("not watched from ") && summary.contains("(the receiver stopped) to "),
        "{summary}"
    );
    assert!(
        summary.contains(
            "3 SETs (3 with lint findings), 2 alerts, 2 status changes, 2 markers, 1 exchange."
        ),
        "{summary}"
    );
    assert!(summary.contains("| Session revoked | 2 |"), "{summary}");
    assert!(summary.contains("| Stream updated | 1 |"), "{summary}");
    assert!(
        summary.contains("| email alice@example.com | 2 |"),
        "{summary}"
    );
    assert!(summary.contains("Stream `demo`: 3 SETs"), "{summary}");
}

#[test]
fn an_unknown_incident_says_which_the_record_holds() {
    let (folder, record, config) = setup("unknown");
    let out = folder.join("never");
    let output = export(&record, &config, &out, &["--incident", "9-9"]);
    let told = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{told}");
    assert!(told.contains("no incident \"9-9\""), "{told}");
    assert!(told.contains("1-1  stream demo"), "{told}");
    assert!(told.contains("2-1  stream demo"), "{told}");
    assert!(!out.exists());
    // A bare id two runs have is asked again with its run.
    let output = export(&record, &config, &out, &["--incident", "1"]);
    let told = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{told}");
    assert!(told.contains("1-1, 2-1"), "{told}");
    assert!(!out.exists());
}

#[test]
fn since_and_until_take_what_after_and_before_take() {
    let (folder, record, config) = setup("span");
    let out = folder.join("span");
    let since = at(20 * MINUTE).rfc3339();
    let until = at(41 * MINUTE).rfc3339();
    exported(
        &record,
        &config,
        &out,
        &["--since", &since, "--until", &until],
    );
    let jtis: Vec<String> = items(&out.join("capture.jsonl"))
        .iter()
        .filter_map(|i| match i {
            Item::Set(r) => r.jti.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(jtis, ["j2", "j3", "j4", "j5"]);
    let output = export(&record, &config, &folder.join("bad"), &["--since", "15m"]);
    let told = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{told}");
    assert!(told.contains("--since") && told.contains("-15m"), "{told}");
}

#[test]
fn export_refuses_a_folder_that_holds_anything_and_a_zip_that_exists() {
    let (folder, record, config) = setup("refuse");
    let out = folder.join("busy");
    std::fs::create_dir_all(&out).expect("a folder");
    std::fs::write(out.join("notes.txt"), "mine").expect("written");
    let output = export(&record, &config, &out, &[]);
    let told = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{told}");
    assert!(told.contains("is not empty"), "{told}");
    assert_eq!(files_under(&out), ["notes.txt"]);
    let zip = folder.join("old.zip");
    std::fs::write(&zip, "mine").expect("written");
    let output = export(&record, &config, &zip, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&zip).expect("kept"), "mine");
    // An empty folder is taken.
    let empty = folder.join("empty");
    std::fs::create_dir_all(&empty).expect("a folder");
    exported(&record, &config, &empty, &[]);
    assert!(empty.join("MANIFEST.sha256").is_file());
}

#[test]
fn no_file_of_a_bundle_holds_a_configured_secret() {
    let (folder, record, config) = setup("secrets");
    let raw = std::fs::read(&record).expect("the record");
    for secret in SECRETS {
        assert!(
            raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the test's record holds {secret}, so the bundle has something to scrub"
        );
    }
    let out = folder.join("whole");
    exported(&record, &config, &out, &[]);
    let zip = folder.join("incident.zip");
    exported(&record, &config, &zip, &["--incident", "1-1"]);
    let unzipped = folder.join("unzipped");
    unzip(&zip, &unzipped);
    let mut checked = 0;
    for root in [&out, &unzipped] {
        for file in files_under(root) {
            let text = std::fs::read_to_string(root.join(&file)).expect("a text file");
            for secret in SECRETS {
                assert!(!text.contains(secret), "{file} holds {secret}:\n{text}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 14, "seven files in each");
    let summary = std::fs::read_to_string(unzipped.join("SUMMARY.md")).expect("summary");
    assert!(
        summary.contains("maintenance by Bearer"),
        "the reason is told, its secret scrubbed: {summary}"
    );
    assert!(
        summary.contains("`acme`") && summary.contains("`globex`"),
        "{summary}"
    );
}
