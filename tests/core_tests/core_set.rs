//! Core: decode and verify SETs signed in the test, the answer the receiver gives, and the
//! reducer's stream-updated rules.

use crate::fixtures;

use fixtures::{NOW, TestKey, inspect, session_revoked, state_with, stream_updated};
use serde_json::{Value, json};
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::events::Family;
use ssf_inspector::core::jose::b64url;
use ssf_inspector::core::jose::decode_compact;
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet, Verdict, verify};

#[test]
fn a_valid_set_verifies_and_is_named() {
    let key = TestKey::es256("k1");
    let token = key.sign(&session_revoked("jti-1"));
    let record = inspect(&token, &key.jwks(), NOW);
    assert_eq!(
        record.verification.verdict,
        Verdict::Valid,
        "{}",
        record.verification.detail
    );
    assert!(record.rejection.is_none(), "{:?}", record.rejection);
    assert_eq!(record.title(), "Session revoked");
    assert_eq!(record.events[0].family, Family::Caep);
    assert_eq!(record.subject, "email alice@example.com");
    assert_eq!(record.jti.as_deref(), Some("jti-1"));
    let errors: Vec<_> = record
        .findings
        .iter()
        .filter(|f| f.severity != ssf_inspector::core::lint::Level::Info)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(record.profile.map(|p| p.as_str()), Some("ssf-1.0"));
}

/// Change one character in the middle of the signature segment.
fn tamper_signature(token: &str) -> String {
    let sig_start = token.rfind('.').expect("a compact JWS") + 1;
    let i = sig_start + (token.len() - sig_start) / 2;
    let mut bytes = token.as_bytes().to_vec();
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("still ASCII")
}

#[test]
fn a_tampered_signature_is_a_bad_signature_and_rejected() {
    let key = TestKey::es256("k1");
    let token = tamper_signature(&key.sign(&session_revoked("jti-2")));
    let record = inspect(&token, &key.jwks(), NOW);
    assert_eq!(record.verification.verdict, Verdict::BadSignature);
    assert_eq!(
        record.rejection.as_ref().map(|r| r.err),
        Some("invalid_key")
    );
    assert_eq!(
        record.title(),
        "Session revoked",
        "a rejected SET is still decoded and shown"
    );
}

#[test]
fn a_tampered_payload_does_not_verify() {
    let key = TestKey::es256("k1");
    let token = key.sign(&session_revoked("jti-3"));
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims = session_revoked("jti-3");
    claims["sub_id"]["email"] = json!("mallory@example.com");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64url(claims.to_string().as_bytes()),
        parts[2]
    );
    let record = inspect(&forged, &key.jwks(), NOW);
    assert_eq!(record.verification.verdict, Verdict::BadSignature);
    assert_eq!(record.subject, "email mallory@example.com");
}

#[test]
fn an_unknown_kid_is_unknown_key() {
    let signer = TestKey::es256("rotated-away");
    let published = TestKey::es256("current");
    let record = inspect(
        &signer.sign(&session_revoked("jti-4")),
        &published.jwks(),
        NOW,
    );
    assert_eq!(record.verification.verdict, Verdict::UnknownKey);
    assert!(
        record.verification.detail.contains("rotated-away"),
        "{}",
        record.verification.detail
    );
    assert!(record.rejection.is_some());
}

#[test]
fn alg_none_is_unsecured_and_never_valid() {
    let key = TestKey::es256("k1");
    let header = json!({"alg": "none", "typ": "secevent+jwt"});
    let token = format!(
        "{}.{}.",
        b64url(header.to_string().as_bytes()),
        b64url(session_revoked("jti-5").to_string().as_bytes())
    );
    let record = inspect(&token, &key.jwks(), NOW);
    assert_eq!(record.verification.verdict, Verdict::Unsecured);
    assert!(!record.is_trusted());
    assert_eq!(
        record.rejection.as_ref().map(|r| r.err),
        Some("invalid_key")
    );
}

#[test]
fn hmac_is_not_allowed_even_with_a_matching_kid() {
    let key = TestKey::es256("k1");
    let header = jsonwebtoken::Header {
        kid: Some("k1".to_owned()),
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256)
    };
    let secret = jsonwebtoken::EncodingKey::from_secret(b"public key bytes used as a secret");
    let token = jsonwebtoken::encode(&header, &session_revoked("jti-6"), &secret).unwrap();
    let record = inspect(&token, &key.jwks(), NOW);
    assert_eq!(record.verification.verdict, Verdict::AlgNotAllowed);
}

#[test]
fn malformed_input_is_kept_with_the_reason() {
    let key = TestKey::es256("k1");
    for (body, expected) in [
        ("not a token", "3 dot-separated segments"),
        ("e30.!!!.", "payload segment is not base64url"),
        ("", "empty"),
    ] {
        let record = inspect(body, &key.jwks(), NOW);
        assert_eq!(record.verification.verdict, Verdict::Malformed, "{body:?}");
        assert_eq!(record.raw, body, "the raw body is kept");
        let error = record.decode_error.clone().unwrap_or_default();
        assert!(error.contains(expected), "{body:?}: {error}");
        assert_eq!(
            record.rejection.as_ref().map(|r| r.err),
            Some("invalid_request")
        );
        assert_eq!(record.title(), "undecodable token");
    }
}

#[test]
fn wrong_issuer_and_audience_are_rejected_with_their_codes() {
    let key = TestKey::es256("k1");
    let mut claims = session_revoked("jti-7");
    claims["iss"] = json!("https://evil.example.com");
    let record = inspect(&key.sign(&claims), &key.jwks(), NOW);
    assert_eq!(
        record.rejection.as_ref().map(|r| r.err),
        Some("invalid_issuer")
    );
    let mut claims = session_revoked("jti-8");
    claims["aud"] = json!(["https://someone-else.example.com"]);
    let record = inspect(&key.sign(&claims), &key.jwks(), NOW);
    assert_eq!(
        record.rejection.as_ref().map(|r| r.err),
        Some("invalid_audience")
    );
}

#[test]
fn stream_updated_disabled_raises_a_critical_alert_until_acknowledged() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let first = inspect(
        &key.sign(&session_revoked("a")),
        &keys,
        UnixMillis(NOW.0 - 5000),
    );
    let disabled = inspect(
        &key.sign(&stream_updated("b", "disabled", "admin")),
        &keys,
        NOW,
    );
    let mut state = state_with(vec![first]);
    let mut second = disabled.clone();
    second.seq = 2;
    let effects = state.apply(Update::Set(std::sync::Arc::new(second)), NOW);
    let raised = effects.alerts;
    assert_eq!(raised.len(), 1, "the raise is the reducer's effect");
    let notice = Update::Notice {
        level: ssf_inspector::core::update::NoticeLevel::Info,
        text: "nothing".to_owned(),
    };
    assert!(state.apply(notice, NOW).is_empty(), "told once");
    let stream = state.streams.values().next().unwrap();
    assert_eq!(stream.status, StreamStatus::Disabled);
    assert_eq!(stream.status_reason.as_deref(), Some("admin"));
    let alert = state
        .banner_alerts()
        .next()
        .cloned()
        .expect("a banner alert");
    assert_eq!(alert.kind, AlertKind::StreamDisabled);
    assert_eq!(alert.evidence_seq, Some(2));
    let changed = state.acknowledge(alert.id).alerts;
    assert_eq!(changed.len(), 1);
    assert!(changed[0].acknowledged, "the acknowledgement is written");
    // The same stop told again is the same alert seen again: one write, no new alert.
    let mut again = disabled;
    again.seq = 3;
    let new = state.apply(Update::Set(std::sync::Arc::new(again)), NOW);
    assert!(new.raised.is_empty());
    assert_eq!(new.alerts.len(), 1);
    assert!(state.banner_alerts().next().is_none());
    assert_eq!(
        state.alerts.len(),
        1,
        "acknowledged alerts stay in the list"
    );
}

#[test]
fn enabled_again_resolves_and_unverified_stream_updated_changes_nothing() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let disabled = inspect(&key.sign(&stream_updated("a", "disabled", "x")), &keys, NOW);
    let enabled = inspect(
        &key.sign(&stream_updated("b", "enabled", "back")),
        &keys,
        NOW,
    );
    let forged = inspect(
        &tamper_signature(&key.sign(&stream_updated("c", "paused", "y"))),
        &keys,
        NOW,
    );
    let state = state_with(vec![disabled, enabled, forged]);
    let stream = state.streams.values().next().unwrap();
    assert_eq!(
        stream.status,
        StreamStatus::Enabled,
        "the forged paused SET is ignored"
    );
    assert!(
        state.alerts.iter().all(|a| !a.is_active()),
        "{:?}",
        state.alerts
    );
    assert_eq!(
        state.timeline.len(),
        3,
        "the forged SET is still in the timeline"
    );
}

#[test]
fn a_critical_header_the_receiver_does_not_understand_is_rejected() {
    let key = TestKey::es256("k1");
    let claims = session_revoked("crit-1");
    let base = json!({"alg": "ES256", "typ": "secevent+jwt", "kid": "k1"});
    let with = |extra: serde_json::Value| {
        let mut header = base.clone();
        for (name, value) in extra.as_object().expect("an object") {
            header[name] = value.clone();
        }
        inspect(&key.sign_with_header(&header, &claims), &key.jwks(), NOW)
    };
    let plain = with(json!({}));
    assert_eq!(
        plain.verification.verdict,
        Verdict::Valid,
        "the control signs well"
    );
    let cases = [
        (
            json!({"crit": ["x-unknown"], "x-unknown": true}),
            "\"x-unknown\"",
        ),
        (json!({"crit": ["b64"], "b64": false}), "RFC 7797"),
        (json!({"crit": []}), "non-empty array"),
        (json!({"crit": ["kid"]}), "registered parameter"),
        (json!({"crit": ["x-absent"]}), "does not have"),
        (
            json!({"crit": "x-unknown", "x-unknown": 1}),
            "non-empty array",
        ),
    ];
    for (extra, says) in cases {
        let record = with(extra.clone());
        assert_eq!(
            record.verification.verdict,
            Verdict::CritUnsupported,
            "{extra}"
        );
        assert!(
            record.verification.detail.contains(says),
            "{extra}: {}",
            record.verification.detail
        );
        let rejection = record.rejection.as_ref().expect("refused, not 202");
        assert_eq!(rejection.err, "invalid_request", "{extra}");
    }
}

#[test]
fn a_kid_that_is_not_a_string_is_malformed_not_absent() {
    let key = TestKey::es256("k1");
    let header = json!({"alg": "ES256", "typ": "secevent+jwt", "kid": 5});
    let record = inspect(
        &key.sign_with_header(&header, &session_revoked("kid-5")),
        &key.jwks(),
        NOW,
    );
    assert_eq!(record.verification.verdict, Verdict::Malformed);
    assert!(record.verification.detail.contains("kid is not a string"));
    assert!(record.rejection.is_some());
}

#[test]
fn a_jwks_of_many_keys_costs_a_kidless_set_at_most_a_few_verifications() {
    use ssf_inspector::core::verify::{KEYS_TRIED_PER_SET, MAX_JWKS_KEYS};
    let others: Vec<TestKey> = (0..6).map(|i| TestKey::es256(&format!("o{i}"))).collect();
    let signer = TestKey::es256("late");
    let without_kid = |key: &TestKey| {
        let mut jwk = key.jwk.clone();
        jwk.as_object_mut().expect("an object").remove("kid");
        jwk
    };
    // 10,000 keys without kid, the signer's last.
    let mut listed: Vec<Value> = (0..10_000).map(|i| without_kid(&others[i % 6])).collect();
    listed.push(without_kid(&signer));
    let keys = KeySet::from_jwks(&json!({ "keys": listed })).expect("a key set");
    assert_eq!(
        keys.len(),
        MAX_JWKS_KEYS,
        "at most {MAX_JWKS_KEYS} keys are read"
    );
    assert!(
        keys.skipped
            .iter()
            .any(|s| s.contains("9901 keys after the first 100 were not read")),
        "{:?}",
        keys.skipped
    );
    let header = json!({"alg": "ES256", "typ": "secevent+jwt"});
    let policy = AlgorithmPolicy::default();
    let verdict = |token: &str| verify(&decode_compact(token).expect("decodes"), &keys, &policy);
    let first = verdict(&others[1].sign_with_header(&header, &session_revoked("k-1")));
    assert_eq!(first.verdict, Verdict::Valid, "{}", first.detail);
    let late = verdict(&signer.sign_with_header(&header, &session_revoked("k-2")));
    assert_eq!(late.verdict, Verdict::BadSignature);
    assert!(
        late.detail.contains(&format!(
            "tried the first {KEYS_TRIED_PER_SET} of the 100 keys that fit"
        )),
        "{}",
        late.detail
    );
}

#[test]
fn a_kidless_set_is_tried_only_against_keys_of_its_algorithm() {
    let key = TestKey::es256("k1");
    let mut es384 = key.jwk.clone();
    es384["alg"] = json!("ES384");
    es384.as_object_mut().expect("an object").remove("kid");
    let keys = KeySet::from_jwks(&json!({ "keys": [es384] })).expect("a key set");
    let token = key.sign_with_header(
        &json!({"alg": "ES256", "typ": "secevent+jwt"}),
        &session_revoked("k-3"),
    );
    let outcome = verify(
        &decode_compact(&token).expect("decodes"),
        &keys,
        &AlgorithmPolicy::default(),
    );
    assert_eq!(outcome.verdict, Verdict::UnknownKey, "{}", outcome.detail);
    assert!(
        outcome
            .detail
            .contains("no kid, and the JWKS has no ES256 key")
    );
}

#[test]
fn a_set_line_reads_as_the_set_value_written_out() {
    let key = TestKey::es256("k1");
    let mut claims = session_revoked("jti-line");
    claims["iss"] = json!("https://evil.example.com");
    let mut rejected = inspect(&key.sign(&claims), &key.jwks(), NOW);
    rejected.redelivered = true;
    rejected.seq = 41;
    let accepted = inspect(&key.sign(&session_revoked("jti-ok")), &key.jwks(), NOW);
    let malformed = inspect("not.a.token\"", &key.jwks(), NOW);
    for record in [&rejected, &accepted, &malformed] {
        for include_raw in [false, true] {
            let line = record.json_line(include_raw);
            let value: Value = serde_json::from_str(&line).expect("one JSON object");
            assert_eq!(value, record.to_json(include_raw), "{line}");
            // The top level is written in name order, as it always was.
            let names: Vec<&String> = value.as_object().expect("an object").keys().collect();
            let at = |name: &str| line.find(&format!("\"{name}\":")).expect(name);
            assert!(names.windows(2).all(|w| at(w[0]) < at(w[1])), "{line}");
            assert_eq!(value["kind"], "set");
            assert_eq!(value.get("raw").is_some(), include_raw, "{line}");
        }
    }
    let value = rejected.to_json(false);
    assert_eq!(value["seq"], 41);
    assert_eq!(value["accepted"], false);
    assert_eq!(value["rejection"]["err"], "invalid_issuer");
    assert_eq!(value["redelivered"], true);
    assert_eq!(value["jti"], "jti-line");
}
