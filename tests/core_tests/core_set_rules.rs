//! SETs that break a MUST (no `jti`, a `typ` that is not `secevent+jwt`, an `exp` in the past)
//! are refused with `invalid_request` by default and kept; a profile that relaxes a rule
//! accepts them and the finding still says what is wrong (issue 12).

use crate::fixtures;

use fixtures::{ISSUER, NOW, TestKey, expectations, session_revoked};
use serde_json::{Value, json};
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::record::{SetRecord, StreamKey, Transport};
use ssf_inspector::core::set_rules::SetRules;
use ssf_inspector::core::verify::{AlgorithmPolicy, Verdict};

fn received(token: &str, key: &TestKey, expect: &Expectations) -> SetRecord {
    let arrival = Arrival {
        stream: StreamKey("rules".to_owned()),
        transport: Transport::Push,
        received_at: NOW,
    };
    ingest::inspect(
        token.to_owned(),
        arrival,
        &key.jwks(),
        &AlgorithmPolicy::default(),
        expect,
    )
}

fn lenient() -> Expectations {
    Expectations {
        rules: SetRules::LENIENT,
        ..expectations()
    }
}

fn signed(key: &TestKey, typ: Option<&str>, claims: &Value) -> String {
    let mut header = json!({"alg": "ES256", "kid": key.kid});
    if let Some(typ) = typ {
        header["typ"] = json!(typ);
    }
    key.sign_with_header(&header, claims)
}

fn has_finding(record: &SetRecord, rule: &str) -> bool {
    record.findings.iter().any(|f| f.rule == rule)
}

#[test]
fn a_conforming_set_is_accepted() {
    let key = TestKey::es256("k1");
    let record = received(&key.sign(&session_revoked("ok")), &key, &expectations());
    assert_eq!(record.verification.verdict, Verdict::Valid);
    assert_eq!(record.rejection, None);
}

#[test]
fn a_set_without_jti_is_refused_unless_the_profile_accepts_it() {
    let key = TestKey::es256("k1");
    let mut claims = session_revoked("x");
    claims.as_object_mut().expect("an object").remove("jti");
    let token = key.sign(&claims);
    let refused = received(&token, &key, &expectations());
    let rejection = refused.rejection.as_ref().expect("refused");
    assert_eq!(rejection.err, "invalid_request");
    assert!(rejection.description.contains("no jti"), "{rejection:?}");
    assert_eq!(refused.raw, token, "kept as received");
    let accepted = received(&token, &key, &lenient());
    assert_eq!(accepted.rejection, None);
    assert!(
        !accepted.findings.is_empty(),
        "the finding is still listed: {:?}",
        accepted.findings
    );
}

/// An empty `jti` identifies nothing (RFC 8417 §2.2): it breaks the rule as a missing one does.
#[test]
fn an_empty_jti_is_refused_like_a_missing_one_unless_the_profile_accepts_it() {
    let key = TestKey::es256("k1");
    let mut claims = session_revoked("x");
    claims["jti"] = json!("");
    let token = key.sign(&claims);
    let refused = received(&token, &key, &expectations());
    let rejection = refused.rejection.as_ref().expect("refused");
    assert_eq!(rejection.err, "invalid_request");
    assert!(rejection.description.contains("empty jti"), "{rejection:?}");
    let accepted = received(&token, &key, &lenient());
    assert_eq!(accepted.rejection, None);
    assert!(
        has_finding(&accepted, "claim-jti"),
        "{:?}",
        accepted.findings
    );
}

#[test]
fn a_typ_other_than_secevent_is_refused_and_a_missing_one_on_ssf_sets() {
    let key = TestKey::es256("k1");
    let claims = session_revoked("typ");
    let jwt = received(&signed(&key, Some("JWT"), &claims), &key, &expectations());
    let rejection = jwt.rejection.as_ref().expect("refused");
    assert_eq!(rejection.err, "invalid_request");
    assert!(rejection.description.contains("\"JWT\""), "{rejection:?}");
    let upper = received(
        &signed(&key, Some("Application/SecEvent+JWT"), &claims),
        &key,
        &expectations(),
    );
    assert_eq!(upper.rejection, None, "typ is compared in any case");
    let missing = received(&signed(&key, None, &claims), &key, &expectations());
    assert!(missing.rejection.is_some(), "an SSF 1.0 SET must be typed");
    assert!(has_finding(&missing, "typ-explicit"));
    let accepted = received(&signed(&key, Some("JWT"), &claims), &key, &lenient());
    assert_eq!(accepted.rejection, None);
    assert!(has_finding(&accepted, "typ-explicit"));
}

#[test]
fn a_missing_typ_on_a_legacy_set_is_only_flagged() {
    let key = TestKey::es256("k1");
    let legacy = json!({
        "iss": ISSUER,
        "aud": fixtures::AUDIENCE,
        "jti": "legacy-1",
        "iat": NOW.as_secs() - 60,
        "events": {
            "https://schemas.openid.net/secevent/risc/event-type/account-disabled": {
                "subject": {"subject_type": "email", "email": "alice@example.com"},
                "reason": "hijacking"
            }
        }
    });
    let record = received(&signed(&key, None, &legacy), &key, &expectations());
    assert_ne!(
        record.profile.map(|p| p.as_str()),
        Some("ssf-1.0"),
        "{:?}",
        record.profile
    );
    assert_eq!(record.rejection, None, "RFC 8417 only recommends typ");
    assert!(has_finding(&record, "typ-explicit"));
}

#[test]
fn an_expired_set_is_refused_and_a_future_exp_only_flagged() {
    let key = TestKey::es256("k1");
    let mut expired = session_revoked("exp-past");
    expired["exp"] = json!(NOW.as_secs() - 3600);
    let record = received(&key.sign(&expired), &key, &expectations());
    let rejection = record.rejection.as_ref().expect("refused");
    assert!(rejection.description.contains("expired"), "{rejection:?}");
    assert!(has_finding(&record, "exp-forbidden"));
    // Within the leeway for clock skew: not expired.
    let mut skewed = session_revoked("exp-skew");
    skewed["exp"] = json!(NOW.as_secs() - 30);
    assert_eq!(
        received(&key.sign(&skewed), &key, &expectations()).rejection,
        None
    );
    let mut future = session_revoked("exp-future");
    future["exp"] = json!(NOW.as_secs() + 3600);
    let record = received(&key.sign(&future), &key, &expectations());
    assert_eq!(record.rejection, None);
    assert!(has_finding(&record, "exp-forbidden"));
    assert_eq!(
        received(&key.sign(&expired), &key, &lenient()).rejection,
        None
    );
}
