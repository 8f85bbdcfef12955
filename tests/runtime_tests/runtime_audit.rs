//! The audit (issue 25, metadata, keys and hygiene) of the built-in transmitter on 127.0.0.1:
//! without quirks no required check fails; with each quirk that touches the metadata or the
//! keys, the matching check fails or warns and the rest of the outcome map is unchanged.
//! Nothing is changed at the transmitter; cancelling ends the run.

use ssf_inspector::core::audit::{Outcome, Report};
use ssf_inspector::core::verify::AlgorithmPolicy;
use ssf_inspector::runtime::audit::{Audited, Cancelled, Progress, Target, run};
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::transmitter::{Quirk, Transmitter};
use tokio_util::sync::CancellationToken;

use crate::peer::quirky;
use crate::receiving;

use Outcome::{CouldNotRun, Fail, NotApplicable, Pass, Warn};

/// The built-in transmitter's outcome map without quirks. Its URLs are plain http to this
/// machine (a warning, not a failure); no fetch is answered with an error, so the hygiene
/// checks have nothing to judge.
const SPEC: [(&str, Outcome); 16] = [
    ("metadata.location", Pass),
    ("metadata.issuer-matches", Pass),
    ("metadata.https-urls", Warn),
    ("metadata.members", Pass),
    ("metadata.management-endpoints", Pass),
    ("metadata.spec-version", Pass),
    ("metadata.delivery-methods", Pass),
    ("metadata.authorization-schemes", Pass),
    ("metadata.events-supported", NotApplicable),
    ("metadata.unknown-members", Pass),
    ("keys.jwks-reachable", Pass),
    ("keys.types-and-sizes", Pass),
    ("keys.kid-unique", Pass),
    ("keys.usable-for-sets", Pass),
    ("hygiene.error-secrets", NotApplicable),
    ("hygiene.error-bodies", NotApplicable),
];

fn expected(changed: &[(&str, Outcome)]) -> Vec<(String, Outcome)> {
    SPEC.iter()
        .map(|(id, outcome)| {
            let outcome = changed
                .iter()
                .find(|(c, _)| c == id)
                .map_or(*outcome, |(_, o)| *o);
            ((*id).to_owned(), outcome)
        })
        .collect()
}

fn map(report: &Report) -> Vec<(String, Outcome)> {
    report
        .outcomes()
        .into_iter()
        .map(|(id, o)| (id.to_owned(), o))
        .collect()
}

async fn audit(tx: &Transmitter, cancel: &CancellationToken) -> Result<Audited, Cancelled> {
    let target = Target {
        profile: "tx".to_owned(),
        issuer: tx.issuer.clone(),
        metadata_url: None,
        allow_insecure_http: false,
    };
    let store = RecordStore::in_memory().await.expect("a record in memory");
    let client = reqwest::Client::new();
    run(
        store,
        &client,
        &target,
        &AlgorithmPolicy::default(),
        |_| {},
        cancel,
    )
    .await
}

async fn audit_with(quirks: &[Quirk]) -> Audited {
    let (tx, cancel) = receiving::transmitter(quirky(quirks)).await;
    let audited = audit(&tx, &CancellationToken::new())
        .await
        .expect("the audit runs");
    cancel.cancel();
    audited
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_built_in_transmitter_passes_every_required_check() {
    let (tx, cancel) = receiving::transmitter(quirky(&[])).await;
    let mut steps = Vec::new();
    let audited = run(
        RecordStore::in_memory().await.expect("a record"),
        &reqwest::Client::new(),
        &Target {
            profile: "tx".to_owned(),
            issuer: tx.issuer.clone(),
            metadata_url: None,
            allow_insecure_http: false,
        },
        &AlgorithmPolicy::default(),
        |p: Progress| steps.push((p.done, p.of)),
        &CancellationToken::new(),
    )
    .await
    .expect("the audit runs");
    cancel.cancel();
    let report = &audited.report;
    assert_eq!(map(report), expected(&[]));
    assert!(report.passed, "{}", report.total);
    assert_eq!(steps, [(0, 3), (1, 3), (2, 3), (3, 3)]);
    // Two GETs, each kept and named as evidence; nothing but GETs.
    let methods: Vec<&str> = audited
        .exchanges
        .iter()
        .map(|e| e.method.as_str())
        .collect();
    assert_eq!(methods, ["GET", "GET"]);
    let ids: Vec<u64> = audited.exchanges.iter().map(|e| e.id).collect();
    let check = report.check("metadata.location").expect("the check");
    assert_eq!(check.evidence.exchanges, [ids[0]]);
    let check = report.check("keys.kid-unique").expect("the check");
    assert_eq!(check.evidence.exchanges, [ids[1]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_metadata_or_key_quirk_changes_its_check_alone() {
    let cases: [(Quirk, &[(&str, Outcome)]); 7] = [
        (
            Quirk::LegacyDelivery,
            &[("metadata.delivery-methods", Warn)],
        ),
        (
            Quirk::MinimalMetadata,
            &[("metadata.management-endpoints", Warn)],
        ),
        // The SSF location's 404 is an error answer the hygiene checks now judge: a JSON
        // body, with no secret.
        (
            Quirk::LegacyWellKnown,
            &[
                ("metadata.location", Warn),
                ("hygiene.error-secrets", Pass),
                ("hygiene.error-bodies", Pass),
            ],
        ),
        (Quirk::IssuerSlash, &[("metadata.issuer-matches", Fail)]),
        // A 1024-bit RSA key is also one this receiver cannot verify with.
        (
            Quirk::ShortRsaKey,
            &[
                ("keys.types-and-sizes", Fail),
                ("keys.usable-for-sets", Warn),
            ],
        ),
        (Quirk::DuplicateKid, &[("keys.kid-unique", Fail)]),
        // Its echoes are of the management API, which this slice does not call.
        (Quirk::EchoErrors, &[]),
    ];
    for (quirk, changed) in cases {
        let audited = audit_with(&[quirk]).await;
        let report = &audited.report;
        assert_eq!(map(report), expected(changed), "{quirk}");
        let fails_required = changed
            .iter()
            .any(|(id, o)| *o == Fail && report.check(id).is_some_and(|c| c.required));
        assert_eq!(report.passed, !fails_required, "{quirk}: {}", report.total);
        for (id, _) in changed {
            let check = report.check(id).expect("the check");
            assert!(!check.evidence.exchanges.is_empty(), "{quirk}: {id}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_location_keeps_both_exchanges_as_evidence() {
    let audited = audit_with(&[Quirk::LegacyWellKnown]).await;
    let urls: Vec<(&str, Option<u16>)> = audited
        .exchanges
        .iter()
        .map(|e| (e.url.rsplit('/').next().unwrap_or(""), e.status))
        .collect();
    assert_eq!(
        urls,
        [
            ("ssf-configuration", Some(404)),
            ("sse-configuration", Some(200)),
            ("jwks.json", Some(200)),
        ]
    );
    let check = audited
        .report
        .check("metadata.location")
        .expect("the check");
    let ids: Vec<u64> = audited.exchanges.iter().map(|e| e.id).take(2).collect();
    assert_eq!(check.evidence.exchanges, ids);
    assert!(
        check.finding.contains("sse-configuration"),
        "{}",
        check.finding
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transmitter_that_cannot_be_reached_fails_the_location_and_the_rest_could_not_run() {
    let (tx, cancel) = receiving::transmitter(quirky(&[])).await;
    let issuer = tx.issuer.clone();
    cancel.cancel();
    drop(tx);
    // Wait (bounded) until the port no longer answers.
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client.get(&issuer).send().await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let target = Target {
        profile: "tx".to_owned(),
        issuer,
        metadata_url: None,
        allow_insecure_http: false,
    };
    let audited = run(
        RecordStore::in_memory().await.expect("a record"),
        &client,
        &target,
        &AlgorithmPolicy::default(),
        |_| {},
        &CancellationToken::new(),
    )
    .await
    .expect("the audit runs");
    let report = &audited.report;
    assert!(!report.passed);
    let outcomes = map(report);
    assert_eq!(outcomes[0], ("metadata.location".to_owned(), Fail));
    assert!(
        outcomes[1..14].iter().all(|(_, o)| *o == CouldNotRun),
        "{outcomes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_audit_ends_without_a_report() {
    let (tx, cancel) = receiving::transmitter(quirky(&[])).await;
    let stop = CancellationToken::new();
    stop.cancel();
    assert!(audit(&tx, &stop).await.is_err());
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_ends_an_audit_waiting_on_an_answer() {
    // A transmitter that takes the request and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let issuer = format!("http://{}", listener.local_addr().expect("its address"));
    let (asked, was_asked) = tokio::sync::oneshot::channel();
    let held = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.expect("a connection");
        asked.send(()).ok();
        std::future::pending::<()>().await;
        drop(socket);
    });
    let stop = CancellationToken::new();
    let audit = tokio::spawn({
        let stop = stop.clone();
        async move {
            let target = Target {
                profile: "tx".to_owned(),
                issuer,
                metadata_url: None,
                allow_insecure_http: false,
            };
            run(
                RecordStore::in_memory().await.expect("a record"),
                &reqwest::Client::new(),
                &target,
                &AlgorithmPolicy::default(),
                |_| {},
                &stop,
            )
            .await
            .map(|_| ())
        }
    });
    was_asked.await.expect("the metadata was asked for");
    stop.cancel();
    // Bounded only so a run that ignores the token fails instead of hanging.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(30), audit)
        .await
        .expect("the audit ends once cancelled")
        .expect("the task");
    assert!(ended.is_err(), "cancelled, no report");
    held.abort();
}
