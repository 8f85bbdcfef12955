//! The compact timeline (`core::timeline`): SETs read back from the record as summaries show
//! the same rows and match every filter the same as the full SETs did; free text over claims
//! is asked of the record and shown when it answers; only a bounded number of full SETs stay.

use crate::fixtures;

use std::sync::Arc;

use serde_json::json;
use ssf_inspector::core::filter::Filter;
use ssf_inspector::core::record::SetRecord;
use ssf_inspector::core::set_summary::SetSummary;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::timeline::{FULL_SETS_KEPT, Timeline};

/// SETs that differ in every way a filter looks at.
fn samples() -> Vec<SetRecord> {
    let key = fixtures::TestKey::es256("k1");
    let impostor = fixtures::TestKey::es256("k1");
    let jwks = key.jwks();
    let at = fixtures::NOW;
    let mut bob = fixtures::session_revoked("jti-bob");
    bob["sub_id"] = json!({"format": "email", "email": "bob@example.com"});
    bob["events"]["https://schemas.openid.net/secevent/caep/event-type/session-revoked"]["reason_admin"] =
        json!({"en": "Impossible travel from Reykjavik"});
    let mut wrong_issuer = fixtures::session_revoked("jti-mallory");
    wrong_issuer["iss"] = json!("https://mallory.example");
    let mut untidy = fixtures::session_revoked("jti-untidy");
    untidy["sub"] = json!("alice");
    let mut records = vec![
        fixtures::inspect(&key.sign(&fixtures::session_revoked("jti-1")), &jwks, at),
        fixtures::inspect(&key.sign(&bob), &jwks, at),
        fixtures::inspect(
            &impostor.sign(&fixtures::session_revoked("jti-2")),
            &jwks,
            at,
        ),
        fixtures::inspect(&key.sign(&wrong_issuer), &jwks, at),
        fixtures::inspect(
            &key.sign(&fixtures::stream_updated("jti-3", "paused", "maintenance")),
            &jwks,
            at,
        ),
        fixtures::inspect(&key.sign(&untidy), &jwks, at),
        fixtures::inspect("not.a token", &jwks, at),
    ];
    for (i, record) in records.iter_mut().enumerate() {
        record.seq = i as u64 + 1;
        record.received_at = UnixMillis(at.0 + i as i64 * 1000);
    }
    records[1].redelivered = true;
    records
}

const FILTERS: [&str; 16] = [
    "",
    "type:session-revoked",
    "type:stream-updated or family:risc",
    "subject:bob@example.com",
    "subject:alice",
    "verdict:invalid",
    "verdict:bad_signature",
    "finding:sub-forbidden",
    "severity:error",
    "jti:jti-bob",
    "iss:https://mallory.example",
    "redelivered",
    "is:rejected",
    "not is:accepted or transport:poll",
    "session",
    "mallory",
];

fn shown(timeline: &Timeline) -> Vec<u64> {
    timeline.visible_seqs().collect()
}

/// Answer what the timeline asks as the record would: each SET checked whole.
fn settle(timeline: &mut Timeline, records: &[SetRecord]) -> usize {
    let mut asked = 0;
    while let Some(ask) = timeline.take_unresolved() {
        let filter = Filter::parse(&ask.filter).expect("it parsed before");
        let answers: Vec<(u64, bool)> = ask
            .seqs
            .iter()
            .map(|seq| {
                let record = records
                    .iter()
                    .find(|r| r.seq == *seq)
                    .expect("asked of a SET held");
                (*seq, filter.matches(record, fixtures::NOW))
            })
            .collect();
        asked += answers.len();
        timeline.resolve(ask.generation, &answers);
    }
    asked
}

#[test]
fn summaries_match_every_filter_as_the_full_sets_do_and_show_the_same_rows() {
    let records = samples();
    // The filter set before the SETs come (each matched as it arrives), and after (the view
    // rebuilt, texts answered once per distinct value).
    for (filter, before) in FILTERS.iter().flat_map(|f| [(*f, true), (*f, false)]) {
        let mut full = Timeline::default();
        let mut compact = Timeline::default();
        if before {
            full.set_filter(filter, fixtures::NOW);
            compact.set_filter(filter, fixtures::NOW);
        }
        for record in &records {
            full.push(Arc::new(record.clone()), fixtures::NOW);
            compact.push_summary(&SetSummary::of(record), fixtures::NOW);
        }
        if !before {
            full.set_filter(filter, fixtures::NOW);
            compact.set_filter(filter, fixtures::NOW);
        }
        let free_text = Filter::parse(filter).expect("parses").needs_full_record();
        if !free_text {
            assert!(
                compact.take_unresolved().is_none(),
                "{filter:?} needs no claims"
            );
        }
        settle(&mut compact, &records);
        assert_eq!(compact.unresolved(), 0);
        assert_eq!(
            shown(&compact),
            shown(&full),
            "{filter:?} (set before the SETs: {before}): the summaries answer as the SETs"
        );
    }
    let mut full = Timeline::default();
    let mut compact = Timeline::default();
    for record in &records {
        full.push(Arc::new(record.clone()), fixtures::NOW);
        compact.push_summary(&SetSummary::of(record), fixtures::NOW);
    }
    let row = |t: &Timeline| {
        t.entries()
            .map(|e| {
                let rejection = e.rejection().map(str::to_owned);
                let title = e.title().to_owned();
                let subject = e.subject().to_owned();
                (
                    e.seq(),
                    e.received_at(),
                    title,
                    subject,
                    e.verdict(),
                    rejection,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(row(&compact), row(&full));
    let expected: Vec<_> = records
        .iter()
        .map(|r| {
            let rejection = r.rejection.as_ref().map(|x| x.err.to_owned());
            let (title, subject) = (r.title().to_owned(), r.subject.clone());
            (
                r.seq,
                r.received_at,
                title,
                subject,
                r.verification.verdict,
                rejection,
            )
        })
        .collect();
    assert_eq!(row(&full), expected, "a row shows what the full SET says");
    assert_eq!(
        compact.dictionary().sizes()[1],
        3,
        "three distinct event lists (session revoked, stream updated, none), each held once"
    );
}

#[test]
fn free_text_in_claims_is_asked_of_the_record_and_shown_when_it_answers() {
    let records = samples();
    let mut timeline = Timeline::default();
    for record in &records {
        timeline.push_summary(&SetSummary::of(record), fixtures::NOW);
    }
    timeline.set_filter("reykjavik", fixtures::NOW);
    assert!(
        shown(&timeline).is_empty(),
        "nothing is shown before the answer"
    );
    let ask = timeline.take_unresolved().expect("the record is asked");
    assert!(timeline.take_unresolved().is_none(), "asked once");
    let decoded: Vec<u64> = records
        .iter()
        .filter(|r| r.jws.is_some())
        .map(|r| r.seq)
        .collect();
    assert_eq!(
        ask.seqs, decoded,
        "every decoded SET; the undecodable one has no claims"
    );
    assert_eq!(ask.filter, "reykjavik");
    assert_eq!(timeline.unresolved(), decoded.len());

    // An answer for an older filter is ignored.
    timeline.resolve(ask.generation - 1, &[(2, true)]);
    assert!(shown(&timeline).is_empty());
    let answers: Vec<(u64, bool)> = ask.seqs.iter().map(|s| (*s, *s == 2)).collect();
    timeline.resolve(ask.generation, &answers[..2]);
    assert_eq!(
        shown(&timeline),
        [2],
        "shown as soon as its part is answered"
    );
    timeline.resolve(ask.generation, &answers[2..]);
    assert_eq!(timeline.unresolved(), 0);
    assert_eq!(shown(&timeline), [2]);

    // A SET arriving whole is answered at once, claims included.
    let mut late = records[1].clone();
    late.seq = 99;
    timeline.push(Arc::new(late), fixtures::NOW);
    assert_eq!(shown(&timeline), [2, 99]);
    assert!(timeline.take_unresolved().is_none());

    // Text the compact row holds (an event name) shows at once; the other SETs' claims are
    // still asked about.
    timeline.set_filter("stream updated", fixtures::NOW);
    assert_eq!(shown(&timeline), [5]);
    let asked = settle(&mut timeline, &records);
    assert_eq!(
        asked,
        decoded.len() - 1,
        "all decoded SETs but the one that matched"
    );
    assert_eq!(shown(&timeline), [5]);
}

#[test]
fn only_a_bounded_number_of_full_sets_is_held_and_the_shown_one_stays() {
    let template = samples().remove(0);
    let mut timeline = Timeline::default();
    let count = FULL_SETS_KEPT as u64 * 3;
    timeline.push(Arc::new(template.clone()), fixtures::NOW);
    timeline.keep(Some(1));
    for seq in 2..=count {
        let mut record = template.clone();
        record.seq = seq;
        timeline.push(Arc::new(record), fixtures::NOW);
    }
    assert_eq!(timeline.entries().len() as u64, count);
    assert!(timeline.full(1).is_some(), "the shown SET is kept");
    assert!(
        timeline.full(2).is_none(),
        "older ones are left to the record"
    );
    assert!(timeline.full(count).is_some(), "the newest are at hand");
    let held = (1..=count).filter(|s| timeline.full(*s).is_some()).count();
    assert_eq!(held, FULL_SETS_KEPT + 1);
    timeline.keep(Some(2));
    assert!(
        timeline.full(2).is_none(),
        "not held: it must be read from the record"
    );
    let mut loaded = template;
    loaded.seq = 2;
    timeline.loaded(Arc::new(loaded));
    timeline.keep(Some(2));
    assert!(timeline.full(2).is_some());
}
