//! An evidence bundle's pure parts (issue 24): incidents named `RUN-ID` and picked (an unknown or
//! ambiguous id answered with the list), an incident's scope, the gaps the markers show.

use ssf_inspector::core::alerts::{Alert, AlertKind};
use ssf_inspector::core::bundle::incident::{Incidents, MARGIN};
use ssf_inspector::core::bundle::summary::gaps;
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::time::UnixMillis;

fn alert(id: u64, kind: AlertKind, at: i64) -> Alert {
    Alert {
        id,
        kind,
        severity: kind.severity(),
        stream: StreamKey("s".to_owned()),
        cause: String::new(),
        reason: None,
        first_seen: UnixMillis(at),
        last_seen: UnixMillis(at),
        evidence_seq: None,
        evidence_exchange: None,
        acknowledged: false,
        resolved_at: None,
        unwatched_at: None,
        folded_under: None,
    }
}

fn record() -> Incidents {
    let mut silent = alert(2, AlertKind::Silent, 2_000_000);
    silent.folded_under = Some(1);
    let mut stop = alert(1, AlertKind::StreamDisabled, 1_000_000);
    stop.resolved_at = Some(UnixMillis(3_000_000));
    Incidents::from_alerts([
        (1, stop),
        (1, silent),
        (2, alert(1, AlertKind::StreamPaused, 5_000_000)),
        (2, alert(4, AlertKind::Silent, 6_000_000)),
    ])
}

#[test]
fn incidents_are_stops_named_by_run_and_id_with_what_is_folded_under_them() {
    let incidents = record();
    let names: Vec<String> = incidents.0.iter().map(|i| i.id.to_string()).collect();
    assert_eq!(names, ["1-1", "2-1"], "a silence of its own heads nothing");
    let first = incidents.pick("1-1").expect("there");
    assert_eq!(first.folded.iter().map(|a| a.id).collect::<Vec<_>>(), [2]);
    assert!(incidents.pick("2-1").expect("there").folded.is_empty());

    let scope = first.scope();
    assert_eq!(scope.from, Some(UnixMillis(1_000_000 - MARGIN)));
    assert_eq!(scope.until, Some(UnixMillis(3_000_001)), "its end included");
    assert_eq!(scope.alerts, Some((1, vec![1, 2])));
    assert!(scope.holds_alert(1, &alert(2, AlertKind::Silent, 0)));
    assert!(
        !scope.holds_alert(2, &alert(1, AlertKind::StreamPaused, 0)),
        "the same id in another run is another alert"
    );
    let open = incidents.pick("2-1").expect("there").scope();
    assert_eq!(open.until, None, "in force: to the record's end");
}

#[test]
fn an_unknown_or_ambiguous_id_says_which_incidents_there_are() {
    let incidents = record();
    let unknown = incidents.pick("7-3").expect_err("no such incident");
    assert!(
        unknown.contains("1-1  stream s") && unknown.contains("2-1  stream s"),
        "{unknown}"
    );
    let ambiguous = incidents.pick("1").expect_err("two runs have alert 1");
    assert!(ambiguous.contains("1-1, 2-1"), "{ambiguous}");
    assert!(incidents.pick("nonsense").is_err());
    let none = Incidents::default().pick("1-1").expect_err("none");
    assert!(none.contains("holds no incident"), "{none}");
}

#[test]
fn gaps_run_from_a_stop_or_loss_to_the_next_start_of_the_same_stream() {
    let marker = |stream: &str, kind, at| Marker {
        stream: StreamKey(stream.to_owned()),
        kind,
        at: UnixMillis(at),
    };
    let found = gaps(&[
        marker("a", MarkerKind::Started, 0),
        marker("a", MarkerKind::Stopped, 10),
        marker("b", MarkerKind::Lost, 15),
        marker("a", MarkerKind::Started, 20),
        marker("a", MarkerKind::Lost, 30),
    ]);
    let seen: Vec<(&str, i64, Option<i64>)> = found
        .iter()
        .map(|g| (g.stream.as_str(), g.from.0, g.to.map(|t| t.0)))
        .collect();
    assert_eq!(
        seen,
        [("a", 10, Some(20)), ("b", 15, None), ("a", 30, None)]
    );
}

#[test]
fn the_selection_says_what_a_bundle_holds_in_words() {
    use ssf_inspector::core::bundle::selection;
    let incidents = record();
    let one = selection(None, None, None, incidents.pick("1-1").ok());
    assert!(
        one.starts_with(
            "incident 1-1 (Stream disabled by transmitter on stream `s`, 1 alert folded under it)"
        ),
        "{one}"
    );
    assert!(
        one.ends_with("to its end at 1970-01-01T00:50:00.000Z"),
        "{one}"
    );
    let none = selection(None, None, None, incidents.pick("2-1").ok());
    assert!(none.contains(", nothing folded under it)"), "{none}");
    assert!(
        none.ends_with("to the end of the record (it is still in force)"),
        "{none}"
    );
    assert_eq!(selection(None, None, None, None), "the whole record");
    assert_eq!(
        selection(Some("verdict:valid"), Some(UnixMillis(0)), None, None),
        "the SETs the filter `verdict:valid` matches; from 1970-01-01T00:00:00.000Z"
    );
}
