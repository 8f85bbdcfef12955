//! Capture files (issue 24): the header and one line per item written, and read back a line
//! at a time: the same SETs, verdicts, findings, alerts, status changes and markers; a cut-short
//! last line, a corrupt line, a newer format and a file that is no capture are told, never a
//! panic.

use serde_json::{Value, json};
use ssf_inspector::core::alerts::{Alert, AlertKind};
use ssf_inspector::core::capture::{
    FORMAT_VERSION, Header, Item, OpenError, Problem, Reader, SnapshotKind, lines,
};
use ssf_inspector::core::effects::StatusChange;
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::record::{SetRecord, StreamKey};
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::{KeySet, Verdict};

use crate::fixtures::{self, NOW, TestKey};

const SECRET: &str = "capture-test-s3cret-value";

fn demo() -> StreamKey {
    StreamKey("demo".to_owned())
}

/// SETs of several verdicts: valid, bad signature, unknown key, undecodable; one redelivered
/// and carried by exchange 7.
fn sets() -> Vec<SetRecord> {
    let key = TestKey::es256("k1");
    let other = TestKey::es256("k1");
    let stranger = TestKey::es256("k2");
    let tokens = [
        key.sign(&fixtures::session_revoked("j1")),
        other.sign(&fixtures::session_revoked("j2")),
        stranger.sign(&fixtures::stream_updated("j3", "disabled", "maintenance")),
        "not.a.token".to_owned(),
    ];
    let mut records: Vec<SetRecord> = tokens
        .iter()
        .enumerate()
        .map(|(n, token)| {
            let mut record = fixtures::inspect(token, &key.jwks(), UnixMillis(NOW.0 + n as i64));
            record.seq = n as u64 + 1;
            record
        })
        .collect();
    records[0].exchange = Some(7);
    records[1].redelivered = true;
    records
}

fn exchange() -> Exchange {
    Exchange {
        id: 7,
        at: NOW,
        stream: Some(demo()),
        method: "POST".to_owned(),
        url: "http://127.0.0.1:9/push".to_owned(),
        status: Some(202),
        request_headers: vec![("Authorization".to_owned(), format!("Bearer {SECRET}"))],
        request_body: "eyJ…".to_owned(),
        response_headers: Vec::new(),
        response_body: String::new(),
        duration_millis: 3,
    }
}

fn alert() -> Alert {
    Alert {
        id: 2,
        kind: AlertKind::StreamDisabled,
        severity: AlertKind::StreamDisabled.severity(),
        stream: demo(),
        cause: "the transmitter disabled the stream".to_owned(),
        reason: Some("maintenance".to_owned()),
        first_seen: NOW,
        last_seen: UnixMillis(NOW.0 + 5),
        evidence_seq: Some(3),
        evidence_exchange: Some(7),
        acknowledged: true,
        resolved_at: Some(UnixMillis(NOW.0 + 60_000)),
        unwatched_at: None,
        folded_under: None,
    }
}

fn status() -> StatusChange {
    StatusChange {
        stream: demo(),
        status: StreamStatus::Disabled,
        reason: Some("maintenance".to_owned()),
        source: "stream_updated #3".to_owned(),
        at: UnixMillis(NOW.0 + 2),
        exchange: None,
    }
}

fn marker() -> Marker {
    Marker {
        stream: demo(),
        kind: MarkerKind::Lost,
        at: UnixMillis(NOW.0 + 9),
    }
}

/// A whole capture: header, the SETs, the exchange, the alert, the status change, the marker.
fn capture_text() -> String {
    capture_of(&sets())
}

fn capture_of(records: &[SetRecord]) -> String {
    ssf_inspector::core::secrets::register(SECRET);
    let header = Header::new("test", "record.sqlite3", None, NOW);
    let mut text = header.line() + "\n";
    for record in records {
        text += &(lines::set_line(record) + "\n");
    }
    text += &(lines::exchange_line(&exchange()) + "\n");
    text += &(lines::alert_line(Some(4), &alert()) + "\n");
    text += &(lines::status_line(&status()) + "\n");
    text += &(lines::marker_line(&marker()) + "\n");
    text
}

fn read(text: &str) -> (Vec<Item>, Vec<Problem>) {
    let reader = Reader::open(text.as_bytes()).expect("a capture");
    let (mut items, mut problems) = (Vec::new(), Vec::new());
    for item in reader {
        match item {
            Ok(item) => items.push(item),
            Err(problem) => problems.push(problem),
        }
    }
    (items, problems)
}

fn read_sets(items: &[Item]) -> Vec<&SetRecord> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Set(record) => Some(record.as_ref()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_capture_reads_back_the_same_sets_verdicts_findings_alerts_statuses_and_markers() {
    let written = sets();
    let text = capture_of(&written);
    let (items, problems) = read(&text);
    assert!(problems.is_empty(), "{problems:?}");
    let back = read_sets(&items);
    assert_eq!(back.len(), written.len());
    let verdicts: Vec<Verdict> = back.iter().map(|r| r.verification.verdict).collect();
    assert_eq!(
        verdicts,
        written
            .iter()
            .map(|r| r.verification.verdict)
            .collect::<Vec<_>>()
    );
    assert!(verdicts.contains(&Verdict::Valid) && verdicts.contains(&Verdict::BadSignature));
    for (a, b) in written.iter().zip(back) {
        assert_eq!(a.seq, b.seq);
        assert_eq!(a.raw, b.raw);
        assert_eq!(a.received_at, b.received_at);
        assert_eq!(a.stream, b.stream);
        assert_eq!(a.transport, b.transport);
        assert_eq!(a.findings, b.findings, "SET #{}", a.seq);
        assert_eq!(a.rejection, b.rejection, "SET #{}", a.seq);
        assert_eq!(a.redelivered, b.redelivered);
        assert_eq!(a.exchange, b.exchange);
        assert_eq!(a.subject, b.subject);
    }
    let alerts: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Alert { session, alert } => Some((*session, alert.as_ref().clone())),
            _ => None,
        })
        .collect();
    assert_eq!(alerts, vec![(Some(4), alert())]);
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Item::Status(s) if *s == status()))
    );
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Item::Marker(m) if *m == marker()))
    );
    let exchanges: Vec<&Exchange> = items
        .iter()
        .filter_map(|i| match i {
            Item::Exchange(e) => Some(e.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(exchanges, vec![&exchange().redacted()]);
}

#[test]
fn every_line_is_a_json_object_with_a_kind_and_no_secret() {
    let text = capture_text();
    let kinds: Vec<String> = text
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("JSON");
            value["kind"].as_str().expect("a kind").to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "capture", "set", "set", "set", "set", "exchange", "alert", "status", "marker"
        ]
    );
    assert!(!text.contains(SECRET), "{text}");
    let header: Value = serde_json::from_str(text.lines().next().expect("header")).expect("JSON");
    assert_eq!(header["format"], json!(FORMAT_VERSION));
    assert_eq!(header["app_version"], json!(env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_truncated_last_line_is_reported_with_its_number_and_the_rest_loads() {
    let text = capture_text();
    let cut = &text[..text.len() - 20];
    let (items, problems) = read(cut);
    assert_eq!(problems, vec![Problem::Truncated { line: 9 }]);
    assert_eq!(read_sets(&items).len(), 4);
    assert_eq!(items.len(), 7, "all but the marker");
    let told = problems[0].to_string();
    assert!(
        told.contains("line 9") && told.contains("cut short"),
        "{told}"
    );
    // Blanks after the last newline are nothing cut short.
    let (items, problems) = read(&(capture_text() + "\n  "));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(items.len(), 8);
}

#[test]
fn a_corrupt_line_is_reported_and_skipped() {
    let text = capture_text();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{\"kind\":\"set\",\"seq\":\"two\"}";
    lines.insert(4, "garbage, not JSON");
    lines.insert(5, "");
    let broken = lines.join("\n") + "\n";
    let (items, problems) = read(&broken);
    assert_eq!(read_sets(&items).len(), 3);
    assert_eq!(items.len(), 7);
    let numbers: Vec<usize> = problems.iter().map(Problem::line).collect();
    assert_eq!(numbers, vec![3, 5], "{problems:?}");
    assert!(matches!(&problems[1], Problem::Corrupt { why, .. } if why.contains("not JSON")));
}

#[test]
fn a_line_with_an_unknown_kind_or_a_second_header_is_corrupt() {
    let mut text = capture_text();
    text += "{\"kind\":\"hologram\"}\n";
    text += &(Header::new("test", "r", None, NOW).line() + "\n");
    let (_, problems) = read(&text);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].to_string().contains("hologram"));
    assert!(problems[1].to_string().contains("second header"));
}

#[test]
fn a_newer_format_is_refused_with_a_clear_message() {
    let text = capture_text().replacen(&format!("\"format\":{FORMAT_VERSION}"), "\"format\":99", 1);
    let Err(err) = Reader::open(text.as_bytes()) else {
        panic!("a newer format must be refused");
    };
    assert!(matches!(err, OpenError::Newer { found: 99, .. }), "{err:?}");
    let told = err.to_string();
    assert!(
        told.contains("format 99") && told.contains("newer"),
        "{told}"
    );
}

#[test]
fn a_file_that_is_no_capture_is_refused() {
    assert!(matches!(Reader::open(&b""[..]), Err(OpenError::Empty)));
    let export = lines::set_line(&sets()[0]);
    assert!(matches!(
        Reader::open(export.as_bytes()),
        Err(OpenError::NotACapture(_))
    ));
    assert!(matches!(
        Reader::open(&b"\x00\xffSQLite"[..]),
        Err(OpenError::NotACapture(_))
    ));
}

#[test]
fn snapshots_of_metadata_keys_and_stream_descriptions_keep_their_time_and_no_credential() {
    ssf_inspector::core::secrets::register(SECRET);
    let get = |id: u64, url: &str, body: Value| Exchange {
        id,
        at: UnixMillis(NOW.0 + id as i64),
        stream: Some(demo()),
        method: "GET".to_owned(),
        url: url.to_owned(),
        status: Some(200),
        request_headers: Vec::new(),
        request_body: String::new(),
        response_headers: Vec::new(),
        response_body: body.to_string(),
        duration_millis: 1,
    };
    let keys = json!({"keys": [TestKey::es256("k1").jwk]});
    let mut header = Header::new("test", "r", None, NOW);
    for exchange in [
        get(
            1,
            "https://tx.example/.well-known/ssf-configuration",
            json!({"issuer": "https://tx.example"}),
        ),
        get(2, "https://tx.example/jwks", keys.clone()),
        get(3, "https://tx.example/jwks", keys),
        get(
            4,
            "https://tx.example/streams",
            json!({"stream_id": "s1", "delivery": {"method": "push", "authorization_header": SECRET}}),
        ),
        get(
            5,
            "https://tx.example/streams/status",
            json!({"status": "enabled"}),
        ),
    ] {
        header.add_snapshot(&exchange);
    }
    let kinds: Vec<(SnapshotKind, i64)> = header
        .snapshots
        .iter()
        .map(|s| (s.kind, s.fetched_at_ms - NOW.0))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (SnapshotKind::Metadata, 1),
            (SnapshotKind::Jwks, 2),
            (SnapshotKind::Stream, 4)
        ],
        "an unchanged key set once; a status answer is no snapshot"
    );
    let line = header.line();
    assert!(!line.contains(SECRET), "{line}");
    assert!(KeySet::from_jwks(&header.snapshots[1].body).is_ok());
}
