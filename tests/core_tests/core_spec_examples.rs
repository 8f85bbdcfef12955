//! Every example SET and Subject Identifier of the Shared Signals texts (SSF 1.0, CAEP 1.0,
//! RISC 1.0 finals of 2025-08-29), of RFC 8417, RFC 8935, RFC 8936 and RFC 9493 (their approved
//! drafts), and of the older SSF/SSE drafts that transmitters still follow, rebuilt here and run
//! through the core: each event known and named, the subject on one line, the profile, and no
//! error finding unless the example itself breaks a rule.
//!
//! The examples are rebuilt from their facts (event-type URIs, member names, formats, values);
//! each names the text and section it follows. Where a text's example is not valid JSON (a
//! missing or trailing comma) the rebuilt one is, and the comment says so.
//!
//! Event types that exist only as RFC examples are in the catalogue, marked as examples; SETs
//! that name their subject only in the JWT `sub` show it as the subject line.

use crate::fixtures;

use serde_json::{Value, json};
use ssf_inspector::core::events;
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::jose::b64url;
use ssf_inspector::core::lint::{Finding, Level, subjects};
use ssf_inspector::core::record::{SetRecord, StreamKey, Transport};
use ssf_inspector::core::subject;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet, Verdict};

const CAEP: &str = "https://schemas.openid.net/secevent/caep/event-type/";
const RISC: &str = "https://schemas.openid.net/secevent/risc/event-type/";
const SSF: &str = "https://schemas.openid.net/secevent/ssf/event-type/";
const SSE: &str = "https://schemas.openid.net/secevent/sse/event-type/";

fn caep(suffix: &str) -> String {
    format!("{CAEP}{suffix}")
}

fn risc(suffix: &str) -> String {
    format!("{RISC}{suffix}")
}

fn ssf(suffix: &str) -> String {
    format!("{SSF}{suffix}")
}

fn sse(suffix: &str) -> String {
    format!("{SSE}{suffix}")
}

/// One example SET and what the core must say about it.
struct SetCase {
    /// The text, section and figure it follows.
    source: &'static str,
    /// The claims, rebuilt.
    claims: Value,
    /// Expected event names, in URI order (`events` is a JSON object, kept sorted). Empty for
    /// the catalogue-gap tests, where there is no entry yet to take a name from: then only
    /// `known` is required.
    names: &'static [&'static str],
    /// Expected subject line, or `None` where the example has no Subject Identifier and names
    /// its subject otherwise (a top-level `sub`); those are checked by
    /// [`a_top_level_sub_is_shown_as_the_subject`].
    subject: Option<&'static str>,
    /// Expected profile (`Profile::as_str`).
    profile: &'static str,
    /// Every error rule the example itself triggers (sorted).
    errors: &'static [&'static str],
    /// Rules that must be present at any level: how a legacy or odd form is recognised.
    notes: &'static [&'static str],
}

fn case(
    source: &'static str,
    claims: Value,
    names: &'static [&'static str],
    subject: &'static str,
    profile: &'static str,
) -> SetCase {
    SetCase {
        source,
        claims,
        names,
        subject: Some(subject),
        profile,
        errors: &[],
        notes: &[],
    }
}

impl SetCase {
    fn errors(mut self, errors: &'static [&'static str]) -> Self {
        self.errors = errors;
        self
    }

    fn notes(mut self, notes: &'static [&'static str]) -> Self {
        self.notes = notes;
        self
    }

    fn subject_elsewhere(mut self) -> Self {
        self.subject = None;
        self
    }
}

fn arrival() -> Arrival {
    Arrival {
        stream: StreamKey("spec".to_owned()),
        transport: Transport::File,
        received_at: fixtures::NOW,
    }
}

fn inspect_claims(claims: &Value) -> SetRecord {
    let map = claims
        .as_object()
        .cloned()
        .expect("an example SET is a JSON object");
    ingest::inspect_claims(map, arrival(), &Expectations::default())
}

/// The compact form of a token with this header and these claims (the signature segment as
/// given; nothing here signs).
fn compact(header: &Value, claims: &Value, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    )
}

fn inspect_token(token: &str) -> SetRecord {
    let no_keys = KeySet::from_jwks(&json!({"keys": []})).expect("an empty JWK Set");
    ingest::inspect(
        token.to_owned(),
        arrival(),
        &no_keys,
        &AlgorithmPolicy::default(),
        &Expectations::default(),
    )
}

/// Sorted, distinct rule ids of the findings at `level`.
fn rules_at(findings: &[Finding], level: Level) -> Vec<&'static str> {
    let mut rules: Vec<&'static str> = findings
        .iter()
        .filter(|f| f.severity == level)
        .map(|f| f.rule)
        .collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}

/// Everything wrong with `record` against `case`, one line each (empty when it conforms).
fn problems(case: &SetCase, record: &SetRecord) -> Vec<String> {
    let mut out = Vec::new();
    let src = case.source;
    for event in &record.events {
        if !event.known {
            out.push(format!("{src}: {} is not in the catalogue", event.uri));
        }
    }
    if !case.names.is_empty() {
        let names: Vec<&str> = record.events.iter().map(|e| e.name.as_str()).collect();
        if names != case.names {
            out.push(format!(
                "{src}: events named {names:?}, expected {:?}",
                case.names
            ));
        }
    }
    if case.profile == "ssf-1.0" {
        // A final text's example uses current URIs only.
        for event in &record.events {
            if let Some(entry) = events::lookup(&event.uri)
                && (entry.replaced_by.is_some() || entry.deprecated)
            {
                out.push(format!("{src}: {} is catalogued as legacy", event.uri));
            }
        }
    }
    if let Some(expected) = case.subject
        && record.subject != expected
    {
        out.push(format!(
            "{src}: subject {:?}, expected {expected:?}",
            record.subject
        ));
    }
    let profile = record.profile.map(|p| p.as_str());
    if profile != Some(case.profile) {
        out.push(format!(
            "{src}: profile {profile:?}, expected {}",
            case.profile
        ));
    }
    let errors = rules_at(&record.findings, Level::Error);
    if errors != case.errors {
        out.push(format!(
            "{src}: error rules {errors:?}, expected {:?}\n{:#?}",
            case.errors, record.findings
        ));
    }
    for note in case.notes {
        if !record.findings.iter().any(|f| f.rule == *note) {
            out.push(format!("{src}: no {note} finding\n{:#?}", record.findings));
        }
    }
    out
}

/// The case of `cases` taken from `source`.
fn by_source(cases: Vec<SetCase>, source: &str) -> SetCase {
    cases
        .into_iter()
        .find(|c| c.source == source)
        .expect("a case with that source")
}

/// Inspect every case as a bare claims object and fail with every problem found.
fn check_all(cases: &[SetCase]) {
    assert!(!cases.is_empty(), "a table with no examples");
    let found: Vec<String> = cases
        .iter()
        .flat_map(|case| problems(case, &inspect_claims(&case.claims)))
        .collect();
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// SSF 1.0 (final, 2025-08-29)

fn ssf_sets() -> Vec<SetCase> {
    vec![
        // SSF 1.0 §4.1.8, example SET with an array `aud`.
        case(
            "SSF 1.0 §4.1.8 (array aud)",
            json!({
                "jti": "123456",
                "iss": "https://transmitter.example.com",
                "aud": ["receiver.example.com/web", "receiver.example.com/mobile"],
                "iat": 1493856000,
                "txn": "8675309",
                "sub_id": {"format": "opaque", "id": "72e6991badb44e08a69672960053b342"},
                "events": {ssf("verification"): {"state": "VGhpcyBpcyBhbiBleGFtcGxlIHN0YXRlIHZhbHVlLgo="}}
            }),
            &["Verification"],
            "opaque 72e6991badb44e08a69672960053b342",
            "ssf-1.0",
        ),
        // SSF 1.0 §5, SSF event with a simple subject member.
        case(
            "SSF 1.0 §5 (simple subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": "8675309",
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "email", "email": "foo@example.com"},
                "events": {risc("account-enabled"): {}}
            }),
            &["Account enabled"],
            "email foo@example.com",
            "ssf-1.0",
        ),
        // SSF 1.0 §5, RISC event with a phone-number subject. The number is written with
        // spaces ("+1 206 555 0123"), which is not the E.164 form RFC 9493 §3.2.5 requires:
        // the example itself breaks that rule.
        case(
            "SSF 1.0 §5 (RISC event, phone-number subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": "8675309",
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "phone_number", "phone_number": "+1 206 555 0123"},
                "events": {risc("account-disabled"): {"reason": "hijacking"}}
            }),
            &["Account disabled"],
            "phone +1 206 555 0123",
            "ssf-1.0",
        )
        .errors(&["subject-value"]),
        // SSF 1.0 §5, CAEP event with properties.
        case(
            "SSF 1.0 §5 (CAEP event with properties)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": "8675309",
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "email", "email": "user@example.com"},
                "events": {caep("token-claims-change"): {"claims": {"token": "some-token-value"}}}
            }),
            &["Token claims changed"],
            "email user@example.com",
            "ssf-1.0",
        ),
        // SSF 1.0 §5, SSF event with a complex subject member.
        case(
            "SSF 1.0 §5 (complex subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": "8675309",
                "aud": "636C69656E745F6964",
                "sub_id": {
                    "format": "complex",
                    "user": {
                        "format": "iss_sub",
                        "iss": "https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/",
                        "sub": "jane.smith@example.com"
                    },
                    "device": {
                        "format": "iss_sub",
                        "iss": "https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/",
                        "sub": "e9297990-14d2-42ec-a4a9-4036db86509a"
                    }
                },
                "events": {caep("session-revoked"): {
                    "initiating_entity": "policy",
                    "reason_admin": {"en": "Policy Violation: C076E82F"},
                    "reason_user": {"en": "Land speed violation.", "es": "Violación de velocidad en tierra."},
                    "event_timestamp": 1600975810
                }}
            }),
            &["Session revoked"],
            "user: sub jane.smith@example.com @ https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/ \
             · device: sub e9297990-14d2-42ec-a4a9-4036db86509a @ https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/",
            "ssf-1.0",
        ),
        // SSF 1.0 §5, simple subject and a property member.
        case(
            "SSF 1.0 §5 (simple subject and a property)",
            json!({
                "iss": "https://sp.example2.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": "8675309",
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "email", "email": "foo@example2.com"},
                "events": {caep("token-claims-change"): {"event_timestamp": 1600975810, "claims": {"role": "ro-admin"}}}
            }),
            &["Token claims changed"],
            "email foo@example2.com",
            "ssf-1.0",
        ),
        // SSF 1.0 §5, proprietary subject identifier format. Its `iat` has one digit too many
        // (15203800012, the year 2451): flagged as in the future, not as an error.
        case(
            "SSF 1.0 §5 (proprietary catalog_item format)",
            json!({
                "iss": "https://myservice.example3.com/",
                "jti": "756E69717565206964656E746966696534",
                "iat": 15203800012_i64,
                "txn": "8675309",
                "aud": "636C69656E745F6324",
                "sub_id": {"format": "catalog_item", "catalog_id": "c0384/winter/2354122"},
                "events": {caep("token-claims-change"): {"event_timestamp": 1600975810, "claims": {"role": "ro-admin"}}}
            }),
            &["Token claims changed"],
            "catalog_item catalog_id=c0384/winter/2354122",
            "ssf-1.0",
        )
        .notes(&["subject-format-proprietary", "iat-future"]),
        // SSF 1.0 §8.1.4.2, verification SET (no txn in the example).
        case(
            "SSF 1.0 §8.1.4.2 (verification SET)",
            json!({
                "jti": "123456",
                "iss": "https://transmitter.example.com",
                "aud": "receiver.example.com",
                "iat": 1493856000,
                "sub_id": {"format": "opaque", "id": "f67e39a0a4d34d56b3aa1bc4cff0069f"},
                "events": {ssf("verification"): {"state": "VGhpcyBpcyBhbiBleGFtcGxlIHN0YXRlIHZhbHVlLgo="}}
            }),
            &["Verification"],
            "opaque f67e39a0a4d34d56b3aa1bc4cff0069f",
            "ssf-1.0",
        )
        .notes(&["txn-missing"]),
        // SSF 1.0 §8.1.5, stream-updated SET.
        case(
            "SSF 1.0 §8.1.5 (stream-updated SET)",
            json!({
                "jti": "123456",
                "iss": "https://transmitter.example.com",
                "aud": "receiver.example.com",
                "iat": 1493856000,
                "sub_id": {"format": "opaque", "id": "f67e39a0a4d34d56b3aa1bc4cff0069f"},
                "events": {ssf("stream-updated"): {"status": "paused", "reason": "Internal error"}}
            }),
            &["Stream updated"],
            "opaque f67e39a0a4d34d56b3aa1bc4cff0069f",
            "ssf-1.0",
        ),
    ]
}

#[test]
fn ssf_1_0_example_sets() {
    check_all(&ssf_sets());
}

// ---------------------------------------------------------------------------------------------
// CAEP 1.0 (final, 2025-08-29)

/// CAEP 1.0 §3.1.2 (session revoked) and §3.2.2 (token claims change).
fn caep_session_and_claims_sets() -> Vec<SetCase> {
    let idp = "https://idp.example.com/123456789/";
    let idp2 = "https://idp.example.com/987654321/";
    let jwt_subject =
        json!({"format": "jwt_id", "iss": idp2, "jti": "f61t6e20zdo3px56gepu8rzlsp4c1dpc0fx7"});
    vec![
        // CAEP 1.0 §3.1.2, session revoked, session-id subject.
        case(
            "CAEP 1.0 §3.1.2 (session id)",
            json!({
                "iss": idp,
                "jti": "24c63fb56e5a2d77a6b512616ca9fa24",
                "iat": 1615305159,
                "aud": "https://sp.example.com/caep",
                "txn": "8675309",
                "sub_id": {"format": "opaque", "id": "dMTlD|1600802906337.16|16008.16"},
                "events": {caep("session-revoked"): {"event_timestamp": 1615304991}}
            }),
            &["Session revoked"],
            "opaque dMTlD|1600802906337.16|16008.16",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.1.2, session revoked, complex subject of session, user and tenant.
        case(
            "CAEP 1.0 §3.1.2 (session, user and tenant)",
            json!({
                "iss": idp,
                "jti": "24c63fb56e5a2d77a6b512616ca9fa24",
                "iat": 1615305159,
                "aud": "https://sp.example.com/caep",
                "txn": "8675309",
                "sub_id": {
                    "format": "complex",
                    "session": {"format": "opaque", "id": "dMTlD|1600802906337.16|16008.16"},
                    "user": {"format": "iss_sub", "iss": idp, "sub": "99beb27c-c1c2-4955-882a-e0dc4996fcbc"},
                    "tenant": {"format": "opaque", "id": "123456789"}
                },
                "events": {caep("session-revoked"): {
                    "initiating_entity": "policy",
                    "reason_admin": {"en": "Landspeed Policy Violation: C076E82F"},
                    "reason_user": {
                        "en": "Access attempt from multiple regions.",
                        "es-410": "Intento de acceso desde varias regiones."
                    },
                    "event_timestamp": 1615304991
                }}
            }),
            &["Session revoked"],
            "user: sub 99beb27c-c1c2-4955-882a-e0dc4996fcbc @ https://idp.example.com/123456789/ \
             · session: opaque dMTlD|1600802906337.16|16008.16 · tenant: opaque 123456789",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.1.2, session revoked, complex subject of user, device and tenant.
        case(
            "CAEP 1.0 §3.1.2 (user, device and tenant)",
            json!({
                "iss": idp,
                "jti": "24c63fb56e5a2d77a6b512616ca9fa24",
                "iat": 1615305159,
                "aud": "https://sp.example.com/caep",
                "txn": "8675309",
                "sub_id": {
                    "format": "complex",
                    "user": {"format": "iss_sub", "iss": idp, "sub": "jane.smith@example.com"},
                    "device": {"format": "iss_sub", "iss": idp, "sub": "e9297990-14d2-42ec-a4a9-4036db86509a"},
                    "tenant": {"format": "opaque", "id": "123456789"}
                },
                "events": {caep("session-revoked"): {
                    "initiating_entity": "policy",
                    "reason_admin": {"en": "Policy Violation: C076E822"},
                    "reason_user": {
                        "en": "This device is no longer compliant.",
                        "it": "Questo dispositivo non è più conforme."
                    },
                    "event_timestamp": 1615304991
                }}
            }),
            &["Session revoked"],
            "user: sub jane.smith@example.com @ https://idp.example.com/123456789/ \
             · device: sub e9297990-14d2-42ec-a4a9-4036db86509a @ https://idp.example.com/123456789/ \
             · tenant: opaque 123456789",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.2.2, OIDC ID token claims change.
        case(
            "CAEP 1.0 §3.2.2 (OIDC ID token claims)",
            json!({
                "iss": idp2,
                "jti": "9afce1e4e642b165fcaacdd0e7aa4903",
                "iat": 1615305159,
                "aud": "https://sp.example2.net/caep",
                "txn": "8675309",
                "sub_id": jwt_subject,
                "events": {caep("token-claims-change"): {"event_timestamp": 1615304991, "claims": {"role": "ro-admin"}}}
            }),
            &["Token claims changed"],
            "jwt f61t6e20zdo3px56gepu8rzlsp4c1dpc0fx7 @ https://idp.example.com/987654321/",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.2.2, OIDC ID token claims change with the optional claims.
        case(
            "CAEP 1.0 §3.2.2 (OIDC ID token claims, optional claims)",
            json!({
                "iss": idp2,
                "jti": "9afce1e4e642b165fcaacdd0e7aa4903",
                "iat": 1615305159,
                "aud": "https://sp.example2.net/caep",
                "txn": "8675309",
                "sub_id": jwt_subject,
                "events": {caep("token-claims-change"): {
                    "event_timestamp": 1615304991,
                    "initiating_entity": "policy",
                    "reason_admin": {"en": "User left trusted network: CorpNet3"},
                    "reason_user": {
                        "en": "You're no longer connected to a trusted network.",
                        "it": "Non sei più connesso a una rete attendibile."
                    },
                    "claims": {"trusted_network": false}
                }}
            }),
            &["Token claims changed"],
            "jwt f61t6e20zdo3px56gepu8rzlsp4c1dpc0fx7 @ https://idp.example.com/987654321/",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.2.2, SAML assertion claims change.
        case(
            "CAEP 1.0 §3.2.2 (SAML assertion claims)",
            json!({
                "iss": idp2,
                "jti": "dae94fed5f459881efa38b65c6772ddc",
                "iat": 1615305159,
                "aud": "https://sp.example2.net/caep",
                "txn": "8675309",
                "sub_id": {"format": "saml_assertion_id", "issuer": idp2, "assertion_id": "_a75adf55-01d7-dbd8372ebdfc"},
                "events": {caep("token-claims-change"): {
                    "event_timestamp": 1615304991,
                    "claims": {"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/role": "ro-admin"}
                }}
            }),
            &["Token claims changed"],
            "saml _a75adf55-01d7-dbd8372ebdfc @ https://idp.example.com/987654321/",
            "ssf-1.0",
        ),
    ]
}

/// CAEP 1.0 §3.3.2 to §3.8.2.
fn caep_change_sets() -> Vec<SetCase> {
    let idp = "https://idp.example.com/123456789/";
    let idp3 = "https://idp.example.com/3456789/";
    let jane = json!({"format": "iss_sub", "iss": idp3, "sub": "jane.smith@example.com"});
    let someuser = json!({"format": "email", "email": "someuser@somedomain.com"});
    let jane_line = "sub jane.smith@example.com @ https://idp.example.com/3456789/";
    vec![
        // CAEP 1.0 §3.3.2, provisioning a new FIDO2 authenticator.
        case(
            "CAEP 1.0 §3.3.2 (new FIDO2 authenticator)",
            json!({
                "iss": idp3,
                "jti": "07efd930f0977e4fcc1149a733ce7f78",
                "iat": 1615305159,
                "aud": "https://sp.example2.net/caep",
                "txn": "8675309",
                "sub_id": jane,
                "events": {caep("credential-change"): {
                    "credential_type": "fido2-roaming",
                    "change_type": "create",
                    "fido2_aaguid": "accced6a-63f5-490a-9eea-e59bc1896cfc",
                    "friendly_name": "Jane's USB authenticator",
                    "initiating_entity": "user",
                    "reason_admin": {"en": "User self-enrollment"},
                    "event_timestamp": 1615304991
                }}
            }),
            &["Credential changed"],
            jane_line,
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.4.2, assurance level increase.
        case(
            "CAEP 1.0 §3.4.2 (assurance level increase)",
            json!({
                "iss": idp3,
                "jti": "07efd930f0977e4fcc1149a733ce7f78",
                "iat": 1615305159,
                "aud": "https://sp.example2.net/caep",
                "txn": "8675309",
                "sub_id": jane,
                "events": {caep("assurance-level-change"): {
                    "namespace": "NIST-AAL",
                    "current_level": "nist-aal2",
                    "previous_level": "nist-aal1",
                    "change_direction": "increase",
                    "initiating_entity": "user",
                    "event_timestamp": 1615304991
                }}
            }),
            &["Assurance level changed"],
            jane_line,
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.4.2, custom assurance level (a namespace outside the listed ones, which
        // CAEP 1.0 §3.4 allows).
        case(
            "CAEP 1.0 §3.4.2 (custom assurance level)",
            json!({
                "iss": idp3,
                "jti": "07efd930f0977e4fcc1149a733ce7f78",
                "iat": 1615305159,
                "aud": "https://sp.example2.net/caep",
                "txn": "8675309",
                "sub_id": jane,
                "events": {caep("assurance-level-change"): {
                    "namespace": "Retinal Scan",
                    "current_level": "hi-res-scan",
                    "initiating_entity": "user",
                    "event_timestamp": 1615304991
                }}
            }),
            &["Assurance level changed"],
            jane_line,
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.5.2, device out of compliance.
        case(
            "CAEP 1.0 §3.5.2 (device out of compliance)",
            json!({
                "iss": idp,
                "jti": "24c63fb56e5a2d77a6b512616ca9fa24",
                "iat": 1615305159,
                "aud": "https://sp.example.com/caep",
                "txn": "8675309",
                "sub_id": {
                    "format": "complex",
                    "device": {"format": "iss_sub", "iss": idp, "sub": "e9297990-14d2-42ec-a4a9-4036db86509a"},
                    "tenant": {"format": "opaque", "id": "123456789"}
                },
                "events": {caep("device-compliance-change"): {
                    "current_status": "not-compliant",
                    "previous_status": "compliant",
                    "initiating_entity": "policy",
                    "reason_admin": {"en": "Location Policy Violation: C076E8A3"},
                    "reason_user": {"en": "Device is no longer in a trusted location."},
                    "event_timestamp": 1615304991
                }}
            }),
            &["Device compliance changed"],
            "device: sub e9297990-14d2-42ec-a4a9-4036db86509a @ https://idp.example.com/123456789/ \
             · tenant: opaque 123456789",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.6.2, session established.
        case(
            "CAEP 1.0 §3.6.2 (session established)",
            json!({
                "iss": idp,
                "jti": "24c63fb56e5a2d77a6b512616ca9fa24",
                "iat": 1615305159,
                "aud": "https://sp.example.com/caep",
                "txn": "8675309",
                "sub_id": someuser,
                "events": {caep("session-established"): {
                    "fp_ua": "abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611",
                    "acr": "AAL2",
                    "amr": ["otp"],
                    "event_timestamp": 1615304991
                }}
            }),
            &["Session established"],
            "email someuser@somedomain.com",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.7.2, session presented.
        case(
            "CAEP 1.0 §3.7.2 (session presented)",
            json!({
                "iss": idp,
                "jti": "24c63fb56e5a2d77a6b512616ca9fa24",
                "iat": 1615305159,
                "aud": "https://sp.example.com/caep",
                "txn": "8675309",
                "sub_id": someuser,
                "events": {caep("session-presented"): {
                    "fp_ua": "abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611",
                    "ext_id": "12345",
                    "event_timestamp": 1615304991
                }}
            }),
            &["Session presented"],
            "email someuser@somedomain.com",
            "ssf-1.0",
        ),
        // CAEP 1.0 §3.8.2, risk level change.
        case(
            "CAEP 1.0 §3.8.2 (risk level change)",
            json!({
                "iss": idp,
                "jti": "24c63fb56e5a2d77a6b512616ca9fa24",
                "iat": 1615305159,
                "aud": "https://sp.example.com/caep",
                "txn": "8675309",
                "sub_id": {"format": "iss_sub", "iss": idp3, "sub": "jane.doe@example.com"},
                "events": {caep("risk-level-change"): {
                    "current_level": "LOW",
                    "previous_level": "HIGH",
                    "event_timestamp": 1615304991,
                    "principal": "USER",
                    "risk_reason": "PASSWORD_FOUND_IN_DATA_BREACH"
                }}
            }),
            &["Risk level changed"],
            "sub jane.doe@example.com @ https://idp.example.com/3456789/",
            "ssf-1.0",
        ),
    ]
}

#[test]
fn caep_1_0_example_sets() {
    let mut cases = caep_session_and_claims_sets();
    cases.extend(caep_change_sets());
    assert_eq!(cases.len(), 13, "CAEP 1.0 has 13 example SETs");
    check_all(&cases);
}

// ---------------------------------------------------------------------------------------------
// RISC 1.0 (final, 2025-08-29)

fn risc_sets() -> Vec<SetCase> {
    let idp = "https://idp.example.com/";
    let account = json!({"format": "iss_sub", "iss": idp, "sub": "7375626A656374"});
    let account_line = "sub 7375626A656374 @ https://idp.example.com/";
    // The RISC examples carry no txn; SSF 1.0 §4.1.9 only says SHOULD.
    vec![
        // RISC 1.0 §2.1, account credential change required.
        case(
            "RISC 1.0 §2.1 (credential change required)",
            json!({
                "iss": idp,
                "jti": "756E69717565206964656E746966696572",
                "iat": 1508184845,
                "aud": "636C69656E745F6964",
                "sub_id": account,
                "events": {risc("account-credential-change-required"): {}}
            }),
            &["Credential change required"],
            account_line,
            "ssf-1.0",
        )
        .notes(&["txn-missing"]),
        // RISC 1.0 §2.3, account disabled (the text has a trailing comma in sub_id).
        case(
            "RISC 1.0 §2.3 (account disabled)",
            json!({
                "iss": idp,
                "jti": "756E69717565206964656E746966696572",
                "iat": 1508184845,
                "aud": "636C69656E745F6964",
                "sub_id": account,
                "events": {risc("account-disabled"): {"reason": "hijacking"}}
            }),
            &["Account disabled"],
            account_line,
            "ssf-1.0",
        ),
        // RISC 1.0 §2.5, identifier changed.
        case(
            "RISC 1.0 §2.5 (identifier changed)",
            json!({
                "iss": idp,
                "jti": "756E69717565206964656E746966696572",
                "iat": 1508184845,
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "email", "email": "john.doe@example.com"},
                "events": {risc("identifier-changed"): {"new-value": "john.roe@example.com"}}
            }),
            &["Identifier changed"],
            "email john.doe@example.com",
            "ssf-1.0",
        ),
        // RISC 1.0 §2.6, identifier recycled.
        case(
            "RISC 1.0 §2.6 (identifier recycled)",
            json!({
                "iss": idp,
                "jti": "756E69717565206964656E746966696572",
                "iat": 1508184845,
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "email", "email": "foo@example.com"},
                "events": {risc("identifier-recycled"): {}}
            }),
            &["Identifier recycled"],
            "email foo@example.com",
            "ssf-1.0",
        ),
        // RISC 1.0 §2.7, compromised credential found.
        case(
            "RISC 1.0 §2.7 (credential compromise)",
            json!({
                "iss": "https://idp.example.com/3456790/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1508184845,
                "aud": "https://sp.example2.net/caep",
                "sub_id": {"format": "iss_sub", "iss": "https://idp.example.com/3456790/", "sub": "joe.smith@example.com"},
                "events": {risc("credential-compromise"): {"credential_type": "password"}}
            }),
            &["Credential compromised"],
            "sub joe.smith@example.com @ https://idp.example.com/3456790/",
            "ssf-1.0",
        ),
    ]
}

#[test]
fn risc_1_0_example_sets() {
    check_all(&risc_sets());
}

// ---------------------------------------------------------------------------------------------
// RFC 8417 (draft-ietf-secevent-token-13), RFC 8935 (draft-ietf-secevent-http-push-14)

/// The RFC 8417 §2.1.2 logout token (Figure 2): the subject is in `sub` and `sid`.
fn rfc8417_logout() -> Value {
    json!({
        "iss": "https://server.example.com",
        "sub": "248289761001",
        "aud": "s6BhdRkqt3",
        "iat": 1471566154,
        "jti": "bWJq",
        "sid": "08a5019c-17e1-4977-8f42-65a12843ea02",
        "events": {"http://schemas.openid.net/event/backchannel-logout": {}}
    })
}

/// The RFC 8935 §2.1 (Figure 1) SET, as its token's payload decodes: the RISC account-disabled
/// event with the subject inside the event and `subject_type`.
fn rfc8935_risc() -> Value {
    json!({
        "iss": "https://idp.example.com/",
        "jti": "756E69717565206964656E746966696572",
        "iat": 1508184845,
        "aud": "636C69656E745F6964",
        "events": {risc("account-disabled"): {
            "subject": {"subject_type": "iss-sub", "iss": "https://idp.example.com/", "sub": "7375626A656374"},
            "reason": "hijacking"
        }}
    })
}

fn rfc_sets() -> Vec<SetCase> {
    vec![
        // RFC 8417 §2.1.2, Figure 2: OpenID back-channel logout; not a Shared Signals event.
        case(
            "RFC 8417 §2.1.2 Figure 2 (logout)",
            rfc8417_logout(),
            &["Back-channel logout"],
            "-",
            "rfc8417",
        )
        .subject_elsewhere(),
        // RFC 8417 §2.1.4, Figure 4: a RISC working-draft event, `http://` URI, in-event
        // `subject` with `subject_type` "iss-sub", and a `cause-time` member.
        case(
            "RFC 8417 §2.1.4 Figure 4 (RISC draft)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1508184845,
                "aud": "636C69656E745F6964",
                "events": {"http://schemas.openid.net/secevent/risc/event-type/account-disabled": {
                    "subject": {"subject_type": "iss-sub", "iss": "https://idp.example.com/", "sub": "7375626A656374"},
                    "reason": "hijacking",
                    "cause-time": 1508012752
                }}
            }),
            &["Account disabled (legacy http)"],
            "sub 7375626A656374 @ https://idp.example.com/",
            "sse-legacy",
        )
        .notes(&["event-legacy-uri", "subject-legacy-format", "sub-id-required"]),
        // RFC 8935 §2.1, Figure 1: the same RISC event with the `https://` URI, still with
        // `subject_type` inside the event (what Google's RISC transmitter sends, RISC 1.0 §3.1).
        case(
            "RFC 8935 §2.1 Figure 1 (RISC SET pushed)",
            rfc8935_risc(),
            &["Account disabled"],
            "sub 7375626A656374 @ https://idp.example.com/",
            "sse-legacy",
        )
        .notes(&["subject-legacy-format", "sub-id-required"]),
    ]
}

#[test]
fn rfc_8417_and_8935_example_sets() {
    check_all(&rfc_sets());
}

// ---------------------------------------------------------------------------------------------
// Older drafts still seen in the wild, from the openid/sharedsignals history: SSF draft 03
// ("1_0-ID3", 2024-06-25, tag june2024-oidf-review) and SSE Framework draft 01 (2021-06-08,
// commit 0ab349f; the "SSE Framework ID1" the catalogue cites).

/// SSF draft 03 §5: the four example SETs of that draft, with a numeric `txn` (and string
/// reasons in one), which is what makes them `ssf-draft`.
fn ssf_draft_03_sets() -> Vec<SetCase> {
    vec![
        // SSF draft 03 §5, simple subject: numeric txn.
        case(
            "SSF draft 03 §5 (simple subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": 8675309,
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "email", "email": "foo@example.com"},
                "events": {risc("account-enabled"): {}}
            }),
            &["Account enabled"],
            "email foo@example.com",
            "ssf-draft",
        )
        .notes(&["txn-type"]),
        // SSF draft 03 §5, complex subject: numeric txn, plain-string reason_admin/reason_user.
        case(
            "SSF draft 03 §5 (complex subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": 8675309,
                "aud": "636C69656E745F6964",
                "sub_id": {
                    "format": "complex",
                    "user": {
                        "format": "iss_sub",
                        "iss": "https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/",
                        "sub": "jane.smith@example.com"
                    },
                    "device": {
                        "format": "iss_sub",
                        "iss": "https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/",
                        "sub": "e9297990-14d2-42ec-a4a9-4036db86509a"
                    }
                },
                "events": {caep("session-revoked"): {
                    "initiating_entity": "policy",
                    "reason_admin": "Policy Violation: C076E82F",
                    "reason_user": "Landspeed violation.",
                    "event_timestamp": 1600975810
                }}
            }),
            &["Session revoked"],
            "user: sub jane.smith@example.com @ https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/ \
             · device: sub e9297990-14d2-42ec-a4a9-4036db86509a @ https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/",
            "ssf-draft",
        )
        .notes(&["txn-type", "reason-language-map"]),
        // SSF draft 03 §5, simple subject and a property: numeric txn.
        case(
            "SSF draft 03 §5 (simple subject and a property)",
            json!({
                "iss": "https://sp.example2.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "txn": 8675309,
                "aud": "636C69656E745F6964",
                "sub_id": {"format": "email", "email": "foo@example2.com"},
                "events": {caep("token-claims-change"): {"event_timestamp": 1600975810, "claims": {"role": "ro-admin"}}}
            }),
            &["Token claims changed"],
            "email foo@example2.com",
            "ssf-draft",
        )
        .notes(&["txn-type"]),
        // SSF draft 03 §5, proprietary format: numeric txn (and the same iat typo).
        case(
            "SSF draft 03 §5 (proprietary catalog_item format)",
            json!({
                "iss": "https://myservice.example3.com/",
                "jti": "756E69717565206964656E746966696534",
                "iat": 15203800012_i64,
                "txn": 8675309,
                "aud": "636C69656E745F6324",
                "sub_id": {"format": "catalog_item", "catalog_id": "c0384/winter/2354122"},
                "events": {caep("token-claims-change"): {"event_timestamp": 1600975810, "claims": {"role": "ro-admin"}}}
            }),
            &["Token claims changed"],
            "catalog_item catalog_id=c0384/winter/2354122",
            "ssf-draft",
        )
        .notes(&["txn-type", "iat-future"]),
    ]
}

/// SSE Framework draft 01 §5 (Figures 5 to 8): the subject inside the event, no `sub_id`, so
/// `ssf-draft` (the profile keys `sse-legacy` on `subject_type` or an `sse`/`http` URI).
fn sse_id1_event_sets() -> Vec<SetCase> {
    let idp = "https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/";
    vec![
        // SSE draft 01 §5, Figure 5: simple subject inside the event.
        case(
            "SSE Framework draft 01 Figure 5 (simple subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "aud": "636C69656E745F6964",
                "events": {risc("account-enabled"): {"subject": {"format": "email", "email": "foo@example.com"}}}
            }),
            &["Account enabled"],
            "email foo@example.com",
            "ssf-draft",
        )
        .notes(&["sub-id-required"]),
        // SSE draft 01 §5, Figure 6: complex subject without "format", string reasons (the
        // text misses a comma after the subject).
        case(
            "SSE Framework draft 01 Figure 6 (complex subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "aud": "636C69656E745F6964",
                "events": {caep("session-revoked"): {
                    "subject": {
                        "user": {"format": "iss_sub", "iss": idp, "sub": "jane.smith@example.com"},
                        "device": {"format": "iss_sub", "iss": idp, "sub": "e9297990-14d2-42ec-a4a9-4036db86509a"}
                    },
                    "initiating_entity": "policy",
                    "reason_admin": "Policy Violation: C076E82F",
                    "reason_user": "Landspeed violation.",
                    "event_timestamp": 1600975810
                }}
            }),
            &["Session revoked"],
            "user: sub jane.smith@example.com @ https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/ \
             · device: sub e9297990-14d2-42ec-a4a9-4036db86509a @ https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/",
            "ssf-draft",
        )
        .notes(&["sub-id-required", "subject-complex-format", "reason-language-map"]),
        // SSE draft 01 §5, Figure 7: simple subject and a property.
        case(
            "SSE Framework draft 01 Figure 7 (subject and a property)",
            json!({
                "iss": "https://sp.example2.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "aud": "636C69656E745F6964",
                "events": {caep("token-claims-change"): {
                    "subject": {"format": "email", "email": "foo@example2.com"},
                    "event_timestamp": 1600975810,
                    "claims": {"role": "ro-admin"}
                }}
            }),
            &["Token claims changed"],
            "email foo@example2.com",
            "ssf-draft",
        )
        .notes(&["sub-id-required"]),
        // SSE draft 01 §5, Figure 8: proprietary subject format inside the event.
        case(
            "SSE Framework draft 01 Figure 8 (proprietary format)",
            json!({
                "iss": "https://myservice.example3.com/",
                "jti": "756E69717565206964656E746966696534",
                "iat": 15203800012_i64,
                "aud": "636C69656E745F6324",
                "events": {caep("token-claims-change"): {
                    "subject": {"format": "catalog_item", "catalog_id": "c0384/winter/2354122"},
                    "event_timestamp": 1600975810,
                    "claims": {"role": "ro-admin"}
                }}
            }),
            &["Token claims changed"],
            "catalog_item catalog_id=c0384/winter/2354122",
            "ssf-draft",
        )
        .notes(&["sub-id-required", "subject-format-proprietary"]),
    ]
}

/// SSE Framework draft 01 §7.1.4.2, §7.1.5, §11.1.3 and §11.1.6 (Figures 31 to 36).
fn sse_id1_stream_sets() -> Vec<SetCase> {
    let verification = json!({"state": "VGhpcyBpcyBhbiBleGFtcGxlIHN0YXRlIHZhbHVlLgo="});
    vec![
        // SSE draft 01 §7.1.4.2, Figure 31: verification with the `sse` URI and no subject.
        case(
            "SSE Framework draft 01 Figure 31 (verification)",
            json!({
                "jti": "123456",
                "iss": "https://transmitter.example.com",
                "aud": "receiver.example.com",
                "iat": 1493856000,
                "events": {sse("verification"): verification}
            }),
            &["Verification (legacy SSE)"],
            "-",
            "sse-legacy",
        )
        .notes(&["event-legacy-uri"]),
        // SSE draft 01 §7.1.5, Figure 32: stream-updated with the `sse` URI and a per-subject
        // status (complex subject without "format"; the text has a trailing comma).
        case(
            "SSE Framework draft 01 Figure 32 (stream updated)",
            json!({
                "jti": "123456",
                "iss": "https://transmitter.example.com",
                "aud": "receiver.example.com",
                "iat": 1493856000,
                "events": {sse("stream-updated"): {
                    "subject": {"tenant": {"format": "iss_sub", "iss": "http://example.com/idp1", "sub": "1234"}},
                    "status": "paused",
                    "reason": "License is not valid"
                }}
            }),
            &["Stream updated (legacy SSE)"],
            "tenant: sub 1234 @ http://example.com/idp1",
            "sse-legacy",
        )
        .notes(&["event-legacy-uri", "subject-complex-format"]),
        // SSE draft 01 §11.1.3, Figure 33: RISC event with a "phone" subject written with
        // spaces (not E.164, RFC 9493 §3.2.5: the example breaks it) and a `cause-time`.
        case(
            "SSE Framework draft 01 Figure 33 (RISC, phone subject)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "aud": "636C69656E745F6964",
                "events": {risc("account-disabled"): {
                    "subject": {"format": "phone", "phone_number": "+1 206 555 0123"},
                    "reason": "hijacking",
                    "cause-time": 1508012752
                }}
            }),
            &["Account disabled"],
            "phone +1 206 555 0123",
            "ssf-draft",
        )
        .errors(&["subject-value"])
        .notes(&["subject-legacy-format", "sub-id-required"]),
        // SSE draft 01 §11.1.3, Figure 34: the `token-claims-changed` spelling, with `token`
        // straight in the payload instead of inside `claims`: the example lacks the required
        // `claims` (the text also has a trailing comma).
        case(
            "SSE Framework draft 01 Figure 34 (token-claims-changed)",
            json!({
                "iss": "https://idp.example.com/",
                "jti": "756E69717565206964656E746966696572",
                "iat": 1520364019,
                "aud": "636C69656E745F6964",
                "events": {caep("token-claims-changed"): {
                    "subject": {"format": "email", "email": "user@example.com"},
                    "token": "some-token-value"
                }}
            }),
            &["Token claims changed (legacy draft)"],
            "email user@example.com",
            "ssf-draft",
        )
        .errors(&["event-member-missing"])
        .notes(&["event-legacy-uri", "sub-id-required"]),
        // SSE draft 01 §11.1.6, Figure 36: verification with an array `aud`.
        case(
            "SSE Framework draft 01 Figure 36 (array aud)",
            json!({
                "jti": "123456",
                "iss": "https://transmitter.example.com",
                "aud": ["receiver.example.com/web", "receiver.example.com/mobile"],
                "iat": 1493856000,
                "events": {sse("verification"): verification}
            }),
            &["Verification (legacy SSE)"],
            "-",
            "sse-legacy",
        )
        .notes(&["event-legacy-uri"]),
    ]
}

#[test]
fn older_draft_example_sets_are_recognised_as_legacy() {
    let mut cases = ssf_draft_03_sets();
    cases.extend(sse_id1_event_sets());
    cases.extend(sse_id1_stream_sets());
    for case in &cases {
        assert_ne!(case.profile, "ssf-1.0", "{}", case.source);
    }
    check_all(&cases);
}

// ---------------------------------------------------------------------------------------------
// Example SETs as tokens: RFC 8935 §2.1 (HS256), RFC 8417 §2.4 and RFC 8936 §2.5 (unsecured),
// and one SSF example signed in the test.

#[test]
fn example_tokens_decode_to_the_same_record_as_their_claims() {
    // RFC 8935 §2.1, Figure 1: typed, HS256. The inspector never trusts a MAC (a SET must be
    // signed with the transmitter's public key), so the verdict and a `signature` error come
    // from the header alone and a stand-in signature segment does as well as the example's.
    let pushed = compact(
        &json!({"typ": "secevent+jwt", "alg": "HS256"}),
        &rfc8935_risc(),
        &b64url(b"a stand-in for the MAC"),
    );
    let record = inspect_token(&pushed);
    assert_eq!(record.verification.verdict, Verdict::AlgNotAllowed);
    assert_eq!(
        record.rejection.as_ref().map(|r| r.err),
        Some("invalid_key")
    );
    // Same record as the claims alone, plus the signature error for the MAC.
    let claims_case =
        by_source(rfc_sets(), "RFC 8935 §2.1 Figure 1 (RISC SET pushed)").errors(&["signature"]);
    let found = problems(&claims_case, &record);
    assert!(found.is_empty(), "\n{}", found.join("\n"));

    // SSF 1.0 §8.1.4.2 verification SET, signed here with an ES256 key and `typ` secevent+jwt.
    let key = fixtures::TestKey::es256("k1");
    let verification = by_source(ssf_sets(), "SSF 1.0 §8.1.4.2 (verification SET)");
    let signed = key.sign(&verification.claims);
    let record = ingest::inspect(
        signed,
        arrival(),
        &key.jwks(),
        &AlgorithmPolicy::default(),
        &Expectations::default(),
    );
    assert_eq!(
        record.verification.verdict,
        Verdict::Valid,
        "{}",
        record.verification.detail
    );
    assert!(record.rejection.is_none(), "{:?}", record.rejection);
    let found = problems(&verification, &record);
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

#[test]
fn unsecured_example_tokens_are_flagged_but_decoded() {
    // RFC 8417 §2.4, Figure 6 (typed, alg none) and RFC 8936 §2.5, Figure 6 (alg none, no
    // typ): the examples are unsecured, which RFC 8417 §5.1 allows only when integrity comes
    // from elsewhere, so alg-none is the example's own error.
    let tokens = [
        (
            "RFC 8417 §2.4 Figure 6",
            json!({"typ": "secevent+jwt", "alg": "none"}),
            rfc8417_scim_create(),
        ),
        (
            "RFC 8936 §2.5 Figure 6, first SET",
            json!({"alg": "none"}),
            rfc8417_scim_create(),
        ),
        (
            "RFC 8936 §2.5 Figure 6, second SET",
            json!({"alg": "none"}),
            rfc8417_scim_password_reset(),
        ),
    ];
    for (source, header, claims) in tokens {
        let record = inspect_token(&compact(&header, &claims, ""));
        assert_eq!(record.verification.verdict, Verdict::Unsecured, "{source}");
        assert_eq!(
            record.profile.map(|p| p.as_str()),
            Some("rfc8417"),
            "{source}"
        );
        assert_eq!(
            rules_at(&record.findings, Level::Error),
            ["alg-none"],
            "{source}: {:#?}",
            record.findings
        );
        assert_eq!(
            record.jti.as_deref(),
            claims["jti"].as_str(),
            "{source}: decoded"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Subject Identifiers: RFC 9493 §1 and §3.2, SSF 1.0 §3 and §8.1.3, SSE Framework draft 01 §3.

/// (source, identifier, expected line, every error and warning rule expected).
type SubjectCase = (&'static str, Value, &'static str, &'static [&'static str]);

fn rfc9493_subjects() -> Vec<SubjectCase> {
    let email = |e: &str| json!({"format": "email", "email": e});
    vec![
        // RFC 9493 §1, Figure 1.
        (
            "RFC 9493 §1 Figure 1",
            email("user@example.com"),
            "email user@example.com",
            &[],
        ),
        // RFC 9493 §1, Figure 3: the three subject members of the message-interception event.
        (
            "RFC 9493 §1 Figure 3 (from)",
            email("alice@example.com"),
            "email alice@example.com",
            &[],
        ),
        (
            "RFC 9493 §1 Figure 3 (to)",
            email("bob@example.com"),
            "email bob@example.com",
            &[],
        ),
        (
            "RFC 9493 §1 Figure 3 (interceptor)",
            email("eve@example.com"),
            "email eve@example.com",
            &[],
        ),
        // RFC 9493 §3.2.1, account.
        (
            "RFC 9493 §3.2.1",
            json!({"format": "account", "uri": "acct:example.user@service.example.com"}),
            "account acct:example.user@service.example.com",
            &[],
        ),
        // RFC 9493 §3.2.2, email.
        (
            "RFC 9493 §3.2.2",
            email("user@example.com"),
            "email user@example.com",
            &[],
        ),
        // RFC 9493 §3.2.3, issuer and subject.
        (
            "RFC 9493 §3.2.3",
            json!({"format": "iss_sub", "iss": "https://issuer.example.com/", "sub": "145234573"}),
            "sub 145234573 @ https://issuer.example.com/",
            &[],
        ),
        // RFC 9493 §3.2.4, opaque.
        (
            "RFC 9493 §3.2.4",
            json!({"format": "opaque", "id": "11112222333344445555"}),
            "opaque 11112222333344445555",
            &[],
        ),
        // RFC 9493 §3.2.5, phone number.
        (
            "RFC 9493 §3.2.5",
            json!({"format": "phone_number", "phone_number": "+12065550100"}),
            "phone +12065550100",
            &[],
        ),
        // RFC 9493 §3.2.6, a bare DID and a DID URL with path and query.
        (
            "RFC 9493 §3.2.6 (bare DID)",
            json!({"format": "did", "url": "did:example:123456"}),
            "did did:example:123456",
            &[],
        ),
        (
            "RFC 9493 §3.2.6 (DID URL)",
            json!({"format": "did", "url": "did:example:123456/did/url/path?versionId=1"}),
            "did did:example:123456/did/url/path?versionId=1",
            &[],
        ),
        // RFC 9493 §3.2.7, a website URI and a random URN.
        (
            "RFC 9493 §3.2.7 (website)",
            json!({"format": "uri", "uri": "https://user.example.com/"}),
            "uri https://user.example.com/",
            &[],
        ),
        (
            "RFC 9493 §3.2.7 (URN)",
            json!({"format": "uri", "uri": "urn:uuid:4e851e98-83c4-4743-a5da-150ecb53042f"}),
            "uri urn:uuid:4e851e98-83c4-4743-a5da-150ecb53042f",
            &[],
        ),
        // RFC 9493 §3.2.8, aliases.
        (
            "RFC 9493 §3.2.8",
            json!({"format": "aliases", "identifiers": [
                email("user@example.com"),
                {"format": "phone_number", "phone_number": "+12065550100"},
                email("user+qualifier@example.com")
            ]}),
            "aliases [email user@example.com = phone +12065550100 = email user+qualifier@example.com]",
            &[],
        ),
    ]
}

fn ssf_subjects() -> Vec<SubjectCase> {
    let jdoe = json!({"format": "email", "email": "jdoe@example.com"});
    let tenant = json!({"format": "opaque", "id": "example-a38h4792-uw2"});
    vec![
        // SSF 1.0 §3.2, simple subject.
        (
            "SSF 1.0 §3.2",
            json!({"format": "email", "email": "foo@example.com"}),
            "email foo@example.com",
            &[],
        ),
        // SSF 1.0 §3.3, complex subject of user and tenant.
        (
            "SSF 1.0 §3.3",
            json!({
                "format": "complex",
                "user": {"format": "email", "email": "bar@example.com"},
                "tenant": {"format": "iss_sub", "iss": "https://example.com/idp1", "sub": "1234"}
            }),
            "user: email bar@example.com · tenant: sub 1234 @ https://example.com/idp1",
            &[],
        ),
        // SSF 1.0 §3.5.1, JWT ID.
        (
            "SSF 1.0 §3.5.1",
            json!({"format": "jwt_id", "iss": "https://idp.example.com/123456789/", "jti": "B70BA622-9515-4353-A866-823539EECBC8"}),
            "jwt B70BA622-9515-4353-A866-823539EECBC8 @ https://idp.example.com/123456789/",
            &[],
        ),
        // SSF 1.0 §3.5.2, SAML assertion ID.
        (
            "SSF 1.0 §3.5.2",
            json!({"format": "saml_assertion_id", "issuer": "https://idp.example.com/123456789/", "assertion_id": "_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6"}),
            "saml _8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6 @ https://idp.example.com/123456789/",
            &[],
        ),
        // SSF 1.0 §3.5.3, IP addresses (an IPv4 and a fully written IPv6 address).
        (
            "SSF 1.0 §3.5.3",
            json!({"format": "ip-addresses", "ip-addresses": ["10.29.37.75", "2001:0db8:0000:0000:0000:8a2e:0370:7334"]}),
            "ip 10.29.37.75, 2001:0db8:0000:0000:0000:8a2e:0370:7334",
            &[],
        ),
        // SSF 1.0 §5, proprietary format agreed between the parties.
        (
            "SSF 1.0 §5 (catalog_item)",
            json!({"format": "catalog_item", "catalog_id": "c0384/winter/2354122"}),
            "catalog_item catalog_id=c0384/winter/2354122",
            &[],
        ),
        // SSF 1.0 §8.1.3.1, the six subjects of the matching examples.
        (
            "SSF 1.0 §8.1.3.1 (tenant)",
            json!({"format": "complex", "tenant": tenant}),
            "tenant: opaque example-a38h4792-uw2",
            &[],
        ),
        (
            "SSF 1.0 §8.1.3.1 (tenant and user)",
            json!({"format": "complex", "tenant": tenant, "user": jdoe}),
            "user: email jdoe@example.com · tenant: opaque example-a38h4792-uw2",
            &[],
        ),
        (
            "SSF 1.0 §8.1.3.1 (user and device IP)",
            json!({"format": "complex", "user": jdoe, "device": {"format": "ip-addresses", "ip-addresses": ["10.29.37.75"]}}),
            "user: email jdoe@example.com · device: ip 10.29.37.75",
            &[],
        ),
        (
            "SSF 1.0 §8.1.3.1 (user)",
            json!({"format": "complex", "user": jdoe}),
            "user: email jdoe@example.com",
            &[],
        ),
        (
            "SSF 1.0 §8.1.3.1 (user and group 123456)",
            json!({"format": "complex", "user": jdoe, "group": {"format": "did", "url": "did:example:123456"}}),
            "user: email jdoe@example.com · group: did did:example:123456",
            &[],
        ),
        (
            "SSF 1.0 §8.1.3.1 (user and group 9999999)",
            json!({"format": "complex", "user": jdoe, "group": {"format": "did", "url": "did:example:9999999"}}),
            "user: email jdoe@example.com · group: did did:example:9999999",
            &[],
        ),
        // SSF 1.0 §8.1.3.2, add-subject request.
        (
            "SSF 1.0 §8.1.3.2",
            json!({"format": "email", "email": "example.user@example.com"}),
            "email example.user@example.com",
            &[],
        ),
        // SSF 1.0 §8.1.3.3, remove-subject request: the format is spelled "phone" (with the
        // `phone_number` member), a draft spelling.
        (
            "SSF 1.0 §8.1.3.3",
            json!({"format": "phone", "phone_number": "+12065550123"}),
            "phone +12065550123",
            &["subject-legacy-format"],
        ),
    ]
}

fn sse_id1_subjects() -> Vec<SubjectCase> {
    vec![
        // SSE Framework draft 01 §3.1, Figure 1: a simple subject member ("transferer").
        (
            "SSE Framework draft 01 Figure 1",
            json!({"format": "email", "email": "foo@example.com"}),
            "email foo@example.com",
            &[],
        ),
        // SSE Framework draft 01 §3.2, Figure 2: a complex subject ("transferee") without
        // "format".
        (
            "SSE Framework draft 01 Figure 2",
            json!({
                "user": {"format": "email", "email": "bar@example.com"},
                "tenant": {"format": "iss_sub", "iss": "http://example.com/idp1", "sub": "1234"}
            }),
            "user: email bar@example.com · tenant: sub 1234 @ http://example.com/idp1",
            &["subject-complex-format"],
        ),
        // SSE Framework draft 01 §3.4.1, Figure 3: "jwt-id".
        (
            "SSE Framework draft 01 Figure 3",
            json!({"format": "jwt-id", "iss": "https://idp.example.com/123456789/", "jti": "B70BA622-9515-4353-A866-823539EECBC8"}),
            "jwt B70BA622-9515-4353-A866-823539EECBC8 @ https://idp.example.com/123456789/",
            &["subject-legacy-format"],
        ),
        // SSE Framework draft 01 §3.4.2, Figure 4: "saml-assertion-id".
        (
            "SSE Framework draft 01 Figure 4",
            json!({"format": "saml-assertion-id", "issuer": "https://idp.example.com/123456789/", "assertion_id": "_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6"}),
            "saml _8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6 @ https://idp.example.com/123456789/",
            &["subject-legacy-format"],
        ),
    ]
}

#[test]
fn example_subject_identifiers_render_on_one_line_and_validate() {
    let mut cases = rfc9493_subjects();
    cases.extend(ssf_subjects());
    cases.extend(sse_id1_subjects());
    let mut found = Vec::new();
    for (source, identifier, line, flagged) in &cases {
        let shown = subject::describe(identifier);
        if shown != *line || shown.contains('\n') {
            found.push(format!("{source}: shown as {shown:?}, expected {line:?}"));
        }
        let mut findings = Vec::new();
        subjects::validate(identifier, "sub_id", &mut findings);
        let mut rules = rules_at(&findings, Level::Error);
        rules.extend(rules_at(&findings, Level::Warning));
        rules.sort_unstable();
        if rules != *flagged {
            found.push(format!(
                "{source}: flagged {rules:?}, expected {flagged:?}\n{findings:#?}"
            ));
        }
    }
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

#[test]
fn rfc_9493_jwt_examples_take_sub_id_as_the_subject() {
    // RFC 9493 §4.1 and §4.2: JWTs (not SETs, so no events) with `sub_id`, alone or next to a
    // `sub` that names the same subject; the subject line is `sub_id`'s.
    let cases = [
        // §4.1, JWT with a phone-number sub_id (the introduction's example too).
        (
            json!({"iss": "issuer.example.com", "sub_id": {"format": "phone_number", "phone_number": "+12065550100"}}),
            "phone +12065550100",
        ),
        // §4.1, sub_id and no sub.
        (
            json!({"iss": "issuer.example.com", "sub_id": {"format": "email", "email": "user@example.com"}}),
            "email user@example.com",
        ),
        // §4.1, sub and sub_id with the same identifier.
        (
            json!({"iss": "issuer.example.com", "sub": "user@example.com", "sub_id": {"format": "email", "email": "user@example.com"}}),
            "email user@example.com",
        ),
        // §4.1, sub and sub_id with different values of the same identifier type.
        (
            json!({"iss": "issuer.example.com", "sub": "liz@example.com", "sub_id": {"format": "email", "email": "elizabeth@example.com"}}),
            "email elizabeth@example.com",
        ),
        // §4.1, sub and sub_id with different identifier types.
        (
            json!({"iss": "issuer.example.com", "sub": "user@example.com", "sub_id": {"format": "account", "uri": "acct:example.user@service.example.com"}}),
            "account acct:example.user@service.example.com",
        ),
        // §4.2, iss_sub whose issuer is the JWT issuer.
        (
            json!({"iss": "issuer.example.com", "sub_id": {"format": "iss_sub", "iss": "issuer.example.com", "sub": "example_user"}}),
            "sub example_user @ issuer.example.com",
        ),
        // §4.2, iss_sub whose issuer differs from the JWT issuer.
        (
            json!({"iss": "client.example.com", "sub_id": {"format": "iss_sub", "iss": "issuer.example.com", "sub": "example_user"}}),
            "sub example_user @ issuer.example.com",
        ),
        // §4.2, JWT iss and sub both differ from the subject's.
        (
            json!({"iss": "client.example.com", "sub": "client_user", "sub_id": {"format": "iss_sub", "iss": "issuer.example.com", "sub": "example_user"}}),
            "sub example_user @ issuer.example.com",
        ),
    ];
    for (claims, line) in cases {
        let record = inspect_claims(&claims);
        assert_eq!(record.subject, line, "{claims}");
        let mut findings = Vec::new();
        subjects::validate(&claims["sub_id"], "sub_id", &mut findings);
        assert!(findings.is_empty(), "{claims}: {findings:#?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Examples whose event types exist only in the RFC texts (the catalogue names them as examples),
// and SETs whose subject is only the JWT `sub`.

/// RFC 8417 §2.1.1, Figure 1 (and the second SET of RFC 8936 §2.5, Figure 6): a hypothetical
/// SCIM password reset with an extension event, subject in `sub`.
fn rfc8417_scim_password_reset() -> Value {
    json!({
        "iss": "https://scim.example.com",
        "iat": 1458496025,
        "jti": "3d0c3cf797584bd193bd0fb1bd4e7d30",
        "aud": [
            "https://jhub.example.com/Feeds/98d52461fa5bbc879593b7754",
            "https://jhub.example.com/Feeds/5d7604516b1d08641d7676ee7"
        ],
        "sub": "https://scim.example.com/Users/44f6142df96bd6ab61e7521d9",
        "events": {
            "urn:ietf:params:scim:event:passwordReset": {"id": "44f6142df96bd6ab61e7521d9"},
            "https://example.com/scim/event/passwordResetExt": {"resetAttempts": 5}
        }
    })
}

/// RFC 8417 §2.4, Figure 5 (and the first SET of RFC 8936 §2.5, Figure 6): a hypothetical SCIM
/// create event.
fn rfc8417_scim_create() -> Value {
    json!({
        "iss": "https://scim.example.com",
        "iat": 1458496404,
        "jti": "4d3559ec67504aaba65d40b0363faad8",
        "aud": [
            "https://scim.example.com/Feeds/98d52461fa5bbc879593b7754",
            "https://scim.example.com/Feeds/5d7604516b1d08641d7676ee7"
        ],
        "events": {"urn:ietf:params:scim:event:create": {
            "ref": "https://scim.example.com/Users/44f6142df96bd6ab61e7521d9",
            "attributes": ["id", "name", "userName", "password", "emails"]
        }}
    })
}

#[test]
fn rfc_8417_scim_password_reset_events_are_known() {
    check_all(&[case(
        "RFC 8417 §2.1.1 Figure 1 (SCIM password reset)",
        rfc8417_scim_password_reset(),
        // Keys come out in sorted order (serde_json maps).
        &[
            "Password reset extension (RFC 8417 example)",
            "Password reset (RFC 8417 example)",
        ],
        "sub https://scim.example.com/Users/44f6142df96bd6ab61e7521d9",
        "rfc8417",
    )]);
}

#[test]
fn rfc_8417_consent_event_is_known() {
    // RFC 8417 §2.1.3, Figure 3: a fictional consent event; the subject's iss and sub are
    // members of the event payload, not a Subject Identifier, so there is no subject line.
    check_all(&[case(
        "RFC 8417 §2.1.3 Figure 3 (consent)",
        json!({
            "iss": "https://my.med.example.org",
            "iat": 1458496025,
            "jti": "fb4e75b5411e4e19b6c0fe87950f7749",
            "aud": ["https://rp.example.com"],
            "events": {"https://openid.net/heart/specs/consent.html": {
                "iss": "https://connect.example.com",
                "sub": "248289761001",
                "consentUri": ["https://terms.med.example.org/labdisclosure.html#Agree"]
            }}
        }),
        &["Consent (RFC 8417 example)"],
        "-",
        "rfc8417",
    )]);
}

#[test]
fn rfc_8417_scim_create_event_is_known() {
    check_all(&[case(
        "RFC 8417 §2.4 Figure 5 (SCIM create)",
        rfc8417_scim_create(),
        &["SCIM create (RFC 8417 example)"],
        "-",
        "rfc8417",
    )]);
}

#[test]
fn rfc_9493_message_interception_event_is_known() {
    // RFC 9493 §1, Figure 3: three subject members and no primary subject, so no subject
    // line; the example has no `jti`, which RFC 8417 §2.2 requires (its own error).
    check_all(&[case(
        "RFC 9493 §1 Figure 3 (message interception)",
        json!({
            "iss": "issuer.example.com",
            "iat": 1508184845,
            "aud": "aud.example.com",
            "events": {"https://secevent.example.com/events/message-interception": {
                "from": {"format": "email", "email": "alice@example.com"},
                "to": {"format": "email", "email": "bob@example.com"},
                "interceptor": {"format": "email", "email": "eve@example.com"}
            }}
        }),
        &["Message interception (RFC 9493 example)"],
        "-",
        "rfc8417",
    )
    .errors(&["claim-jti"])]);
}

#[test]
fn a_top_level_sub_is_shown_as_the_subject() {
    // RFC 8417 §2.1.1 Figure 1 and §2.1.2 Figure 2 name their subject only in `sub` (the
    // logout token adds `sid`); the subject line should show it rather than "-".
    for (claims, sub) in [
        (rfc8417_logout(), "248289761001"),
        (
            rfc8417_scim_password_reset(),
            "https://scim.example.com/Users/44f6142df96bd6ab61e7521d9",
        ),
    ] {
        let record = inspect_claims(&claims);
        assert!(
            record.subject.contains(sub),
            "subject line {:?} does not show sub {sub}",
            record.subject
        );
    }
}
