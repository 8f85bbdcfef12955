//! Lint rules, table-driven from the spec text: each case mutates a conformant SSF 1.0 SET and
//! names the rule, severity and profile it must produce.

use serde_json::{Map, Value, json};
use ssf_inspector::core::events;
use ssf_inspector::core::lint::{self, Level, LintContext, subjects};
use ssf_inspector::core::time::UnixMillis;

const NOW: UnixMillis = UnixMillis(1_795_424_400_000);

fn base() -> Value {
    json!({
        "iss": "https://tr.example.com/",
        "aud": "https://rx.example.com/",
        "jti": "4d3559ec67504aaba65d40b0363faad8",
        "iat": NOW.as_secs() - 60,
        "txn": "8675309",
        "sub_id": {"format": "email", "email": "alice@example.com"},
        "events": {
            events::caep("session-revoked"): {
                "initiating_entity": "policy",
                "reason_admin": {"en": "Landspeed policy violation"},
                "event_timestamp": NOW.as_secs() - 65
            }
        }
    })
}

fn header() -> Value {
    json!({"typ": "secevent+jwt", "alg": "RS256", "kid": "k1"})
}

fn ctx() -> LintContext {
    LintContext {
        expected_issuer: Some("https://tr.example.com/".to_owned()),
        expected_audience: Some("https://rx.example.com/".to_owned()),
        now: NOW,
    }
}

fn obj(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().expect("an object")
}

fn set_event(claims: &mut Value, uri: &str, payload: &Value) {
    claims["events"] = json!({ uri: payload });
}

#[test]
fn a_conformant_ssf_set_has_no_error_or_warning() {
    let report = lint::lint(Some(&obj(&header())), &obj(&base()), &ctx());
    assert_eq!(report.profile.as_str(), "ssf-1.0");
    let loud: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity > Level::Info)
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

type Mutation = fn(&mut Value, &mut Value);

#[test]
#[expect(clippy::too_many_lines, reason = "one row per rule")]
fn each_rule_fires_with_its_severity_and_profile() {
    let cases: &[(&str, Mutation, &str, Level, &str)] = &[
        (
            "no typ",
            |_, h| drop(h.as_object_mut().unwrap().remove("typ")),
            "typ-explicit",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "typ JWT",
            |_, h| h["typ"] = json!("JWT"),
            "typ-explicit",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "alg none",
            |_, h| h["alg"] = json!("none"),
            "alg-none",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "jku header",
            |_, h| h["jku"] = json!("https://evil/jwks"),
            "header-key-reference",
            Level::Warning,
            "ssf-1.0",
        ),
        (
            "sub present",
            |c, _| c["sub"] = json!("alice"),
            "sub-forbidden",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "exp present",
            |c, _| c["exp"] = json!(NOW.as_secs()),
            "exp-forbidden",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "no iss",
            |c, _| drop(c.as_object_mut().unwrap().remove("iss")),
            "claim-iss",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "no jti",
            |c, _| drop(c.as_object_mut().unwrap().remove("jti")),
            "claim-jti",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "no iat",
            |c, _| drop(c.as_object_mut().unwrap().remove("iat")),
            "claim-iat",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "iat string",
            |c, _| c["iat"] = json!("yesterday"),
            "claim-iat",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "iat in ms",
            |c, _| c["iat"] = json!(NOW.0),
            "iat-millis",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "iat future",
            |c, _| c["iat"] = json!(NOW.as_secs() + 3600),
            "iat-future",
            Level::Warning,
            "ssf-1.0",
        ),
        (
            "iat old",
            |c, _| c["iat"] = json!(NOW.as_secs() - 90 * 86_400),
            "iat-old",
            Level::Info,
            "ssf-1.0",
        ),
        (
            "no events",
            |c, _| drop(c.as_object_mut().unwrap().remove("events")),
            "claim-events",
            Level::Error,
            "rfc8417",
        ),
        (
            "events array",
            |c, _| c["events"] = json!([]),
            "claim-events",
            Level::Error,
            "rfc8417",
        ),
        (
            "payload not object",
            |c, _| set_event(c, &events::caep("session-revoked"), &json!("x")),
            "event-payload-object",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "two events",
            |c, _| c["events"][events::risc("account-disabled")] = json!({}),
            "events-single",
            Level::Warning,
            "ssf-1.0",
        ),
        (
            "no sub_id",
            |c, _| drop(c.as_object_mut().unwrap().remove("sub_id")),
            "sub-id-required",
            Level::Error,
            "ssf-draft",
        ),
        (
            "txn number",
            |c, _| c["txn"] = json!(42),
            "txn-type",
            Level::Warning,
            "ssf-draft",
        ),
        (
            "no txn",
            |c, _| drop(c.as_object_mut().unwrap().remove("txn")),
            "txn-missing",
            Level::Info,
            "ssf-1.0",
        ),
        (
            "aud number",
            |c, _| c["aud"] = json!(7),
            "aud-type",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "aud elsewhere",
            |c, _| c["aud"] = json!(["https://other/"]),
            "aud-mismatch",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "iss elsewhere",
            |c, _| c["iss"] = json!("https://tr.example.com"),
            "iss-mismatch",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "no aud",
            |c, _| drop(c.as_object_mut().unwrap().remove("aud")),
            "aud-missing",
            Level::Info,
            "ssf-1.0",
        ),
        (
            "empty email",
            |c, _| c["sub_id"]["email"] = json!(""),
            "subject-member-empty",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "extra member",
            |c, _| c["sub_id"]["name"] = json!("Alice"),
            "subject-member-extra",
            Level::Warning,
            "ssf-1.0",
        ),
        (
            "reason string",
            |c, _| c["events"][events::caep("session-revoked")]["reason_admin"] = json!("x"),
            "reason-language-map",
            Level::Warning,
            "ssf-draft",
        ),
        (
            "timestamp ms",
            |c, _| c["events"][events::caep("session-revoked")]["event_timestamp"] = json!(NOW.0),
            "event-timestamp-millis",
            Level::Warning,
            "ssf-draft",
        ),
        (
            "credential-change without change_type",
            |c, _| {
                set_event(
                    c,
                    &events::caep("credential-change"),
                    &json!({"credential_type": "password"}),
                );
            },
            "event-member-missing",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "change_type outside its domain",
            |c, _| {
                set_event(
                    c,
                    &events::caep("credential-change"),
                    &json!({"credential_type": "password", "change_type": "rotate"}),
                );
            },
            "event-member-value",
            Level::Warning,
            "ssf-1.0",
        ),
        (
            "stream-updated without status",
            |c, _| set_event(c, events::STREAM_UPDATED, &json!({"reason": "x"})),
            "event-member-missing",
            Level::Error,
            "ssf-1.0",
        ),
        (
            "stream-updated status outside its domain",
            |c, _| set_event(c, events::STREAM_UPDATED, &json!({"status": "stopped"})),
            "event-member-value",
            Level::Warning,
            "ssf-1.0",
        ),
        (
            "deprecated RISC",
            |c, _| set_event(c, &events::risc("sessions-revoked"), &json!({})),
            "event-deprecated",
            Level::Warning,
            "ssf-1.0",
        ),
        (
            "SSE stream-updated",
            |c, _| {
                set_event(
                    c,
                    events::STREAM_UPDATED_SSE,
                    &json!({"status": "disabled"}),
                );
            },
            "event-legacy-uri",
            Level::Info,
            "sse-legacy",
        ),
        (
            "unknown event",
            |c, _| {
                set_event(
                    c,
                    "https://schemas.openid.net/secevent/caep/event-type/made-up",
                    &json!({}),
                );
            },
            "event-unknown-type",
            Level::Info,
            "ssf-1.0",
        ),
        (
            "legacy subject_type",
            |c, _| c["sub_id"] = json!({"subject_type": "iss-sub", "iss": "https://i", "sub": "1"}),
            "subject-legacy-format",
            Level::Warning,
            "sse-legacy",
        ),
    ];
    for (name, mutate, rule, level, profile) in cases {
        let (mut claims, mut head) = (base(), header());
        mutate(&mut claims, &mut head);
        let report = lint::lint(Some(&obj(&head)), &obj(&claims), &ctx());
        let hit = report.findings.iter().find(|f| f.rule == *rule);
        let Some(hit) = hit else {
            panic!("{name}: expected rule {rule}, got {:#?}", report.findings);
        };
        assert_eq!(hit.severity, *level, "{name}: {hit:?}");
        assert!(
            !hit.reference.is_empty() && !hit.message.is_empty(),
            "{name}: {hit:?}"
        );
        assert_eq!(report.profile.as_str(), *profile, "{name}");
    }
}

#[test]
fn an_iat_at_the_ends_of_the_number_range_is_judged_without_overflow() {
    // Found by the fuzz corpus (seed-hostile-iat-i64-min): `now - iat` overflowed, a panic in
    // debug builds and, in release, a wrapped difference that hid the iat-old finding.
    for (iat, rule) in [
        (json!(i64::MIN), "iat-old"),
        (json!(-1.0e300), "iat-old"),
        (json!(i64::MIN + 1), "iat-old"),
        (json!(i64::MAX), "iat-millis"),
    ] {
        let mut claims = base();
        claims["iat"] = iat.clone();
        let report = lint::lint(Some(&obj(&header())), &obj(&claims), &ctx());
        assert!(
            report.findings.iter().any(|f| f.rule == rule),
            "iat {iat}: {:#?}",
            report.findings
        );
    }
}

#[test]
fn a_non_shared_signals_set_is_judged_by_rfc_8417_alone() {
    let mut claims = base();
    claims.as_object_mut().unwrap().remove("sub_id");
    claims["sub"] = json!("user-1");
    set_event(
        &mut claims,
        "urn:ietf:params:scim:event:example",
        &json!({}),
    );
    let report = lint::lint(Some(&obj(&header())), &obj(&claims), &ctx());
    assert_eq!(report.profile.as_str(), "rfc8417");
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule != "sub-forbidden" && f.rule != "sub-id-required"),
        "{:#?}",
        report.findings
    );
}

#[test]
fn every_subject_format_validates_when_well_formed() {
    let good = [
        json!({"format": "account", "uri": "acct:alice@example.com"}),
        json!({"format": "email", "email": "alice@example.com"}),
        json!({"format": "iss_sub", "iss": "https://issuer.example.com/", "sub": "145234573"}),
        json!({"format": "opaque", "id": "11112222333344445555"}),
        json!({"format": "phone_number", "phone_number": "+12065550100"}),
        json!({"format": "did", "url": "did:example:123456"}),
        json!({"format": "uri", "uri": "https://user.example.com/"}),
        json!({"format": "aliases", "identifiers": [{"format": "email", "email": "a@example.com"}, {"format": "phone_number", "phone_number": "+12065550100"}]}),
        json!({"format": "jwt_id", "iss": "https://idp.example.com/", "jti": "B70BA622"}),
        json!({"format": "saml_assertion_id", "issuer": "https://idp.example.com/", "assertion_id": "_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6"}),
        json!({"format": "ip-addresses", "ip-addresses": ["10.29.37.75", "2001:db8::1"]}),
        json!({
            "format": "complex",
            "user": {"format": "iss_sub", "iss": "https://idp.example.com/", "sub": "dMTlD|1600802906337.16|16008.16"},
            "device": {"format": "opaque", "id": "d1"},
            "session": {"format": "opaque", "id": "s1"},
            "application": {"format": "opaque", "id": "app"},
            "tenant": {"format": "opaque", "id": "t"},
            "org_unit": {"format": "opaque", "id": "ou"},
            "group": {"format": "opaque", "id": "g"}
        }),
    ];
    for subject in good {
        let mut out = Vec::new();
        subjects::validate(&subject, "sub_id", &mut out);
        assert!(out.is_empty(), "{subject}: {out:#?}");
    }
}

#[test]
fn each_subject_format_rejects_its_malformed_values() {
    let bad = [
        (
            json!({"format": "account", "uri": "mailto:alice@example.com"}),
            "subject-value",
        ),
        (
            json!({"format": "email", "email": "alice at example.com"}),
            "subject-value",
        ),
        (
            json!({"format": "iss_sub", "iss": "https://i/"}),
            "subject-member-missing",
        ),
        (
            json!({"format": "opaque", "id": " "}),
            "subject-member-empty",
        ),
        (
            json!({"format": "phone_number", "phone_number": "206-555-0100"}),
            "subject-value",
        ),
        (
            json!({"format": "did", "url": "example:123"}),
            "subject-value",
        ),
        (
            json!({"format": "uri", "uri": "no scheme"}),
            "subject-value",
        ),
        (
            json!({"format": "aliases", "identifiers": [{"format": "aliases", "identifiers": []}]}),
            "subject-aliases-nested",
        ),
        (
            json!({"format": "aliases", "identifiers": []}),
            "subject-member-empty",
        ),
        (
            json!({"format": "ip-addresses", "ip-addresses": ["10.0.0.300"]}),
            "subject-value",
        ),
        (json!({"format": "complex"}), "subject-member-missing"),
        (
            json!({"format": "complex", "user": "alice"}),
            "subject-object",
        ),
        (json!({"email": "a@example.com"}), "subject-format-missing"),
        (json!("alice"), "subject-object"),
    ];
    for (subject, rule) in bad {
        let mut out = Vec::new();
        subjects::validate(&subject, "sub_id", &mut out);
        assert!(
            out.iter()
                .any(|f| f.rule == rule && f.severity == Level::Error),
            "{subject}: expected {rule}, got {out:#?}"
        );
    }
    let mut out = Vec::new();
    subjects::validate(
        &json!({"format": "catalog_item", "catalog_id": "c0123", "item_id": "i0001"}),
        "sub_id",
        &mut out,
    );
    assert_eq!(
        out.iter().map(|f| (f.rule, f.severity)).collect::<Vec<_>>(),
        [("subject-format-proprietary", Level::Info)]
    );
}
