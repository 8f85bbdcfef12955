//! The audit's pure checks (issue 25): for each, an input that passes and one that does not;
//! the report's totals, verdict, Markdown and JSON field names.

use base64::Engine as _;
use serde_json::{Value, json};
use ssf_inspector::core::audit::hygiene;
use ssf_inspector::core::audit::keys::{self, JwksFetch};
use ssf_inspector::core::audit::metadata::{self, Attempt, Fetched};
use ssf_inspector::core::audit::{Evidence, Outcome, Report, render};
use ssf_inspector::core::exchange::{Exchange, REDACTED};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::AlgorithmPolicy;

const ISSUER: &str = "https://tr.example.com";

fn good_metadata() -> Value {
    json!({
        "spec_version": "1_0",
        "issuer": ISSUER,
        "jwks_uri": "https://tr.example.com/jwks",
        "delivery_methods_supported": ["urn:ietf:rfc:8935", "urn:ietf:rfc:8936"],
        "configuration_endpoint": "https://tr.example.com/streams",
        "status_endpoint": "https://tr.example.com/status",
        "add_subject_endpoint": "https://tr.example.com/add",
        "remove_subject_endpoint": "https://tr.example.com/remove",
        "verification_endpoint": "https://tr.example.com/verify",
        "authorization_schemes": [{"spec_urn": "urn:ietf:rfc:6749"}],
    })
}

fn doc(value: &Value) -> &serde_json::Map<String, Value> {
    value.as_object().expect("an object")
}

fn with(changes: &[(&str, Option<Value>)]) -> Value {
    let mut value = good_metadata();
    let members = value.as_object_mut().expect("an object");
    for (name, change) in changes {
        match change {
            Some(v) => members.insert((*name).to_owned(), v.clone()),
            None => members.remove(*name),
        };
    }
    value
}

fn attempt(location: &str, status: u16, document: Option<Value>, exchange: u64) -> Attempt {
    Attempt {
        location: location.to_owned(),
        url: format!("{ISSUER}/.well-known/{location}"),
        exchange,
        status: Some(status),
        error: None,
        document,
    }
}

fn outcome_of(
    check: fn(&serde_json::Map<String, Value>, Evidence) -> ssf_inspector::core::audit::Check,
    value: &Value,
) -> Outcome {
    check(doc(value), Evidence::default()).outcome
}

#[test]
fn location_passes_at_the_ssf_location_warns_at_a_legacy_one_fails_at_none() {
    let at_ssf = Fetched {
        issuer: ISSUER.to_owned(),
        attempts: vec![attempt("ssf-configuration", 200, Some(good_metadata()), 1)],
    };
    let check = metadata::location(&at_ssf);
    assert_eq!(check.outcome, Outcome::Pass);
    assert_eq!(check.evidence.exchanges, [1]);

    let legacy = Fetched {
        issuer: ISSUER.to_owned(),
        attempts: vec![
            attempt("ssf-configuration", 404, None, 1),
            attempt("sse-configuration", 200, Some(good_metadata()), 2),
        ],
    };
    let check = metadata::location(&legacy);
    assert_eq!(check.outcome, Outcome::Warn);
    assert!(
        check.finding.contains("sse-configuration"),
        "{}",
        check.finding
    );
    assert_eq!(check.evidence.exchanges, [1, 2], "both exchanges kept");

    let by_profile = Fetched {
        issuer: ISSUER.to_owned(),
        attempts: vec![
            attempt("ssf-configuration", 404, None, 1),
            attempt("sse-configuration", 404, None, 2),
            attempt("risc-configuration", 404, None, 3),
            attempt("profile", 200, Some(good_metadata()), 4),
        ],
    };
    let check = metadata::location(&by_profile);
    assert_eq!(check.outcome, Outcome::Warn);
    assert!(
        check.finding.contains("profile's metadata URL"),
        "{}",
        check.finding
    );
    assert_eq!(check.evidence.exchanges, [1, 2, 3, 4]);

    let nowhere = Fetched {
        issuer: ISSUER.to_owned(),
        attempts: vec![
            attempt("ssf-configuration", 404, None, 1),
            attempt(
                "sse-configuration",
                200,
                Some(json!(["not", "an object"])),
                2,
            ),
        ],
    };
    assert_eq!(metadata::location(&nowhere).outcome, Outcome::Fail);
    let all = metadata::checks(&nowhere);
    assert!(
        all[1..].iter().all(|c| c.outcome == Outcome::CouldNotRun),
        "{all:?}"
    );
}

#[test]
fn issuer_must_be_identical() {
    let good = good_metadata();
    let check = metadata::issuer(ISSUER, doc(&good), Evidence::default());
    assert_eq!(check.outcome, Outcome::Pass);
    let slash = with(&[("issuer", Some(json!("https://tr.example.com/")))]);
    let check = metadata::issuer(ISSUER, doc(&slash), Evidence::default());
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(check.required);
    assert!(check.finding.contains("\"https://tr.example.com/\""));
}

#[test]
fn urls_https_pass_loopback_http_warns_remote_http_fails() {
    assert_eq!(
        outcome_of(metadata::https_urls, &good_metadata()),
        Outcome::Pass
    );
    let local = with(&[("jwks_uri", Some(json!("http://127.0.0.1:9/jwks")))]);
    assert_eq!(outcome_of(metadata::https_urls, &local), Outcome::Warn);
    let remote = with(&[(
        "status_endpoint",
        Some(json!("http://tr.example.com/status")),
    )]);
    let check = metadata::https_urls(doc(&remote), Evidence::default());
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(
        check.finding.contains("status_endpoint"),
        "{}",
        check.finding
    );
}

#[test]
fn members_present_and_typed() {
    assert_eq!(
        outcome_of(metadata::members, &good_metadata()),
        Outcome::Pass
    );
    let no_methods = with(&[("delivery_methods_supported", None)]);
    assert_eq!(outcome_of(metadata::members, &no_methods), Outcome::Warn);
    let empty = with(&[("delivery_methods_supported", Some(json!([])))]);
    assert_eq!(outcome_of(metadata::members, &empty), Outcome::Warn);
    // An empty list of critical members says "none" (solarssk/ssf-transmitter sends it): no
    // rule is broken, nothing to warn of.
    let no_critical = with(&[("critical_subject_members", Some(json!([])))]);
    assert_eq!(outcome_of(metadata::members, &no_critical), Outcome::Pass);
    let no_jwks = with(&[("jwks_uri", None)]);
    assert_eq!(outcome_of(metadata::members, &no_jwks), Outcome::Fail);
    let wrong = with(&[("status_endpoint", Some(json!(7)))]);
    let check = metadata::members(doc(&wrong), Evidence::default());
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(
        check
            .finding
            .contains("status_endpoint is not a URL string")
    );
}

#[test]
fn management_endpoints_missing_warn() {
    assert_eq!(
        outcome_of(metadata::management_endpoints, &good_metadata()),
        Outcome::Pass
    );
    let minimal = with(&[("status_endpoint", None), ("verification_endpoint", None)]);
    let check = metadata::management_endpoints(doc(&minimal), Evidence::default());
    assert_eq!(check.outcome, Outcome::Warn);
    assert!(
        check
            .finding
            .contains("status_endpoint, verification_endpoint")
    );
}

#[test]
fn spec_version_final_passes_draft_or_absent_warns_wrong_type_fails() {
    assert_eq!(
        outcome_of(metadata::spec_version, &good_metadata()),
        Outcome::Pass
    );
    let draft = with(&[("spec_version", Some(json!("1_0-ID2")))]);
    assert_eq!(outcome_of(metadata::spec_version, &draft), Outcome::Warn);
    let absent = with(&[("spec_version", None)]);
    assert_eq!(outcome_of(metadata::spec_version, &absent), Outcome::Warn);
    let number = with(&[("spec_version", Some(json!(1.0)))]);
    assert_eq!(outcome_of(metadata::spec_version, &number), Outcome::Fail);
}

#[test]
fn delivery_methods_current_pass_legacy_only_warns() {
    assert_eq!(
        outcome_of(metadata::delivery_methods, &good_metadata()),
        Outcome::Pass
    );
    let legacy = with(&[(
        "delivery_methods_supported",
        Some(json!([
            "https://schemas.openid.net/secevent/risc/delivery-method/push",
            "https://schemas.openid.net/secevent/risc/delivery-method/poll"
        ])),
    )]);
    let check = metadata::delivery_methods(doc(&legacy), Evidence::default());
    assert_eq!(check.outcome, Outcome::Warn);
    assert!(check.finding.contains("RISC-era"));
}

#[test]
fn authorization_schemes_need_a_spec_urn() {
    assert_eq!(
        outcome_of(metadata::authorization_schemes, &good_metadata()),
        Outcome::Pass
    );
    let absent = with(&[("authorization_schemes", None)]);
    assert_eq!(
        outcome_of(metadata::authorization_schemes, &absent),
        Outcome::Warn
    );
    let bad = with(&[("authorization_schemes", Some(json!([{"urn": "x"}])))]);
    assert_eq!(
        outcome_of(metadata::authorization_schemes, &bad),
        Outcome::Fail
    );
}

#[test]
fn events_supported_is_judged_only_when_given() {
    assert_eq!(
        outcome_of(metadata::events_supported, &good_metadata()),
        Outcome::NotApplicable
    );
    let listed = with(&[("events_supported", Some(json!(["urn:x"])))]);
    assert_eq!(
        outcome_of(metadata::events_supported, &listed),
        Outcome::Pass
    );
    let wrong = with(&[("events_supported", Some(json!("urn:x")))]);
    assert_eq!(
        outcome_of(metadata::events_supported, &wrong),
        Outcome::Warn
    );
}

#[test]
fn unknown_members_are_listed_and_pass() {
    let check = metadata::unknown_members(doc(&good_metadata()), Evidence::default());
    assert_eq!(
        (check.outcome, check.finding.as_str()),
        (Outcome::Pass, "none")
    );
    let all_ssf = with(&[
        ("default_subjects", Some(json!("ALL"))),
        ("critical_subject_members", Some(json!(["user"]))),
    ]);
    let check = metadata::unknown_members(doc(&all_ssf), Evidence::default());
    assert_eq!(check.finding, "none", "SSF 1.0 members are known");
    let extra = with(&[("vendor_thing", Some(json!(1)))]);
    let check = metadata::unknown_members(doc(&extra), Evidence::default());
    assert_eq!(check.outcome, Outcome::Pass);
    assert!(check.finding.contains("vendor_thing"));
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn rsa(kid: &str, bytes: usize) -> Value {
    json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64(&vec![0xC1; bytes]), "e": "AQAB"})
}

fn ec(kid: &str) -> Value {
    json!({"kty": "EC", "kid": kid, "crv": "P-256", "alg": "ES256", "x": b64(&[1; 32]), "y": b64(&[2; 32])})
}

fn jwks(keys: &[Value]) -> JwksFetch {
    JwksFetch {
        url: Some("https://tr.example.com/jwks".to_owned()),
        exchange: 2,
        status: Some(200),
        error: None,
        document: Some(json!({ "keys": keys })),
    }
}

#[test]
fn jwks_reachable_needs_a_key_set() {
    assert_eq!(keys::reachable(&jwks(&[ec("a")])).outcome, Outcome::Pass);
    let mut down = jwks(&[]);
    down.status = Some(503);
    assert_eq!(keys::reachable(&down).outcome, Outcome::Fail);
    let mut not_a_set = jwks(&[]);
    not_a_set.document = Some(json!({"kid": "a"}));
    assert_eq!(keys::reachable(&not_a_set).outcome, Outcome::Fail);
    let all = keys::checks(&not_a_set, &AlgorithmPolicy::default());
    assert_eq!(
        all.iter().map(|c| c.outcome).collect::<Vec<_>>(),
        [
            Outcome::Fail,
            Outcome::CouldNotRun,
            Outcome::CouldNotRun,
            Outcome::CouldNotRun
        ]
    );
}

#[test]
fn rsa_keys_under_2048_bits_fail() {
    assert_eq!(keys::rsa_bits(&b64(&vec![0xC1; 256])), Some(2048));
    assert_eq!(keys::rsa_bits(&b64(&[0, 0x01, 0xff])), Some(9));
    let ok = [rsa("r", 256), ec("e")];
    assert_eq!(
        keys::types_and_sizes(&ok, Evidence::default()).outcome,
        Outcome::Pass
    );
    let short = [rsa("r", 128), ec("e")];
    let check = keys::types_and_sizes(&short, Evidence::default());
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(check.finding.contains("1024 bits"), "{}", check.finding);
    let secret = [json!({"kty": "oct", "kid": "h", "k": "c2VjcmV0"})];
    assert_eq!(
        keys::types_and_sizes(&secret, Evidence::default()).outcome,
        Outcome::Fail
    );
}

#[test]
fn kids_must_be_unique() {
    let unique = [ec("a"), rsa("b", 256)];
    assert_eq!(
        keys::kid_unique(&unique, Evidence::default()).outcome,
        Outcome::Pass
    );
    let twice = [ec("a"), rsa("a", 256)];
    let check = keys::kid_unique(&twice, Evidence::default());
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(check.finding.contains("\"a\""));
    let mut without = ec("a");
    without.as_object_mut().expect("an object").remove("kid");
    assert_eq!(
        keys::kid_unique(&[without], Evidence::default()).outcome,
        Outcome::Warn
    );
}

#[test]
fn keys_must_be_usable_for_sets_under_the_policy() {
    let policy = AlgorithmPolicy::default();
    let good = [ec("a"), rsa("b", 256)];
    assert_eq!(
        keys::usable_for_sets(&good, &policy, Evidence::default()).outcome,
        Outcome::Pass
    );
    let mut enc = rsa("b", 256);
    enc["use"] = json!("enc");
    let check = keys::usable_for_sets(&[ec("a"), enc.clone()], &policy, Evidence::default());
    assert_eq!(check.outcome, Outcome::Warn);
    assert!(
        check.finding.contains("use is \"enc\""),
        "{}",
        check.finding
    );
    let mut hmac = ec("h");
    hmac["alg"] = json!("HS256");
    assert_eq!(
        keys::usable_for_sets(&[enc, hmac], &policy, Evidence::default()).outcome,
        Outcome::Fail
    );
    let only_rs = AlgorithmPolicy::only(vec![jsonwebtoken::Algorithm::RS256]);
    assert_eq!(
        keys::usable_for_sets(&[ec("a")], &only_rs, Evidence::default()).outcome,
        Outcome::Fail
    );
}

fn exchange(id: u64, status: u16, body: &str) -> Exchange {
    Exchange {
        id,
        at: UnixMillis(0),
        stream: None,
        method: "GET".to_owned(),
        url: format!("{ISSUER}/x"),
        status: Some(status),
        request_headers: Vec::new(),
        request_body: String::new(),
        response_headers: Vec::new(),
        response_body: body.to_owned(),
        duration_millis: 1,
    }
}

#[test]
fn error_answers_must_not_echo_a_secret() {
    let none = [exchange(1, 200, "{}")];
    assert_eq!(
        hygiene::error_secrets(&none).outcome,
        Outcome::NotApplicable
    );
    let clean = [exchange(1, 404, r#"{"error":"not_found"}"#)];
    assert_eq!(hygiene::error_secrets(&clean).outcome, Outcome::Pass);
    // As kept: scrubbed already.
    let scrubbed = [exchange(
        2,
        400,
        &format!("Authorization: Bearer {REDACTED}"),
    )];
    let check = hygiene::error_secrets(&scrubbed);
    assert_eq!(check.outcome, Outcome::Fail);
    assert_eq!(check.evidence.exchanges, [2]);
    // Not scrubbed yet: the registry finds it, and the evidence never quotes it.
    let secret = "audit-test-secret-7f3e1a";
    ssf_inspector::core::secrets::register(secret);
    let raw = [exchange(3, 500, &format!("{{\"echo\":\"{secret}\"}}"))];
    let check = hygiene::error_secrets(&raw);
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(!format!("{check:?}").contains(secret));
}

#[test]
fn error_answers_should_be_json_objects() {
    let json_body = [exchange(1, 404, r#"{"error":"not_found"}"#)];
    assert_eq!(hygiene::error_bodies(&json_body).outcome, Outcome::Pass);
    let html = [
        exchange(1, 200, "{}"),
        exchange(2, 404, "<h1>Not Found</h1>"),
    ];
    let check = hygiene::error_bodies(&html);
    assert_eq!(check.outcome, Outcome::Warn);
    assert_eq!(check.evidence.exchanges, [2]);
    assert!(check.evidence.facts[0].contains("Not Found"));
}

#[test]
fn the_report_fails_only_on_a_required_failure_and_renders_both_ways() {
    let legacy = with(&[(
        "delivery_methods_supported",
        Some(json!([
            "https://schemas.openid.net/secevent/risc/delivery-method/push"
        ])),
    )]);
    let fetched = Fetched {
        issuer: ISSUER.to_owned(),
        attempts: vec![attempt("ssf-configuration", 200, Some(legacy), 1)],
    };
    let mut checks = metadata::checks(&fetched);
    checks.extend(keys::checks(&jwks(&[ec("a")]), &AlgorithmPolicy::default()));
    let report = Report::new(ISSUER, "tx", UnixMillis(0), checks.clone());
    assert!(report.passed, "a warning does not fail the audit");
    assert_eq!(report.totals.warn, 1);
    assert!(
        report
            .total
            .starts_with("14 checks: 12 passed, 1 warned, 1 not applicable"),
        "{}",
        report.total
    );
    assert!(
        report
            .check("keys.kid-unique")
            .is_some_and(|c| c.finding == "1 kid, each once"),
        "one, not ones"
    );
    assert!(
        report.total.contains("the audit passes"),
        "{}",
        report.total
    );

    let mut twice = jwks(&[ec("a"), ec("a")]);
    twice.exchange = 5;
    let mut failing = metadata::checks(&fetched);
    failing.extend(keys::checks(&twice, &AlgorithmPolicy::default()));
    let report = Report::new(ISSUER, "tx", UnixMillis(0), failing).with_exchanges(&[exchange(
        5,
        200,
        "{\"keys\":[]}",
    )]);
    assert!(!report.passed);
    assert!(
        report
            .total
            .ends_with("required check failed (keys.kid-unique)"),
        "{}",
        report.total
    );

    let markdown = render::markdown(&report);
    assert!(markdown.starts_with("# Audit of https://tr.example.com\n"));
    assert!(markdown.contains("## Metadata\n") && markdown.contains("## Keys\n"));
    assert!(
        markdown.contains("| `keys.kid-unique` (required) | ❌ fail |"),
        "{markdown}"
    );
    assert!(markdown.contains("- `keys.kid-unique`: exchanges #5"));
    assert!(
        markdown.ends_with("## Exchanges\n\n- #5 GET https://tr.example.com/x → 200 (1 ms)\n"),
        "{markdown}"
    );

    let json = serde_json::to_value(&report).expect("JSON");
    for field in [
        "issuer", "profile", "run_at", "passed", "total", "totals", "checks",
    ] {
        assert!(json.get(field).is_some(), "{field}");
    }
    let check = &json["checks"][0];
    for field in [
        "id", "group", "title", "section", "required", "outcome", "finding", "evidence",
    ] {
        assert!(check.get(field).is_some(), "{field}");
    }
    assert_eq!(json["totals"]["fail"], 1);
    assert_eq!(json["checks"][0]["group"], "metadata");
    assert_eq!(
        json["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["id"] == "keys.kid-unique")
            .expect("the check")["outcome"],
        "fail"
    );
    let back: Report = serde_json::from_value(json).expect("read back");
    assert_eq!(back, report);
}

#[test]
fn a_table_cell_cannot_be_broken_by_a_quoted_value() {
    let odd = with(&[("spec_version", Some(json!("1|0\nX")))]);
    let fetched = Fetched {
        issuer: ISSUER.to_owned(),
        attempts: vec![attempt("ssf-configuration", 200, Some(odd), 1)],
    };
    let report = Report::new(ISSUER, "tx", UnixMillis(0), metadata::checks(&fetched));
    let markdown = render::markdown(&report);
    let row = markdown
        .lines()
        .find(|l| l.starts_with("| `metadata.spec-version`"))
        .expect("its row");
    assert!(row.contains("1\\|0 X"), "{row}");
}
