//! The two fuzz targets and the invariants checked on every input. Shared by the fuzzer
//! (`benches/fuzz/main.rs`) and the corpus replay test (`tests/fuzz_corpus.rs`), so both run
//! exactly the same code.
//!
//! A target panics when an invariant breaks; it returns the outcome's features: short texts
//! naming what the product concluded (verdict, decode error, lint rules, answer code, …). A
//! feature never seen before is the fuzzer's cheap stand-in for new coverage.

use std::sync::LazyLock;

use base64::Engine as _;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::input::{self, InputSet};
use ssf_inspector::core::jose::{self, DecodeError};
use ssf_inspector::core::poll_answer::{self, PollAnswerError};
use ssf_inspector::core::record::{SetRecord, StreamKey, Transport};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet};

/// What a fuzz run feeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A received body: `input::split`, `jose::decode_compact` and `ingest::inspect` per item,
    /// and `ingest::inspect` of the whole body (as the push endpoint does).
    Decoder,
    /// An RFC 8936 poll answer: `poll_answer::parse`, then `ingest::inspect` of each token.
    Poll,
}

impl Target {
    /// Both targets, in the order a run takes them.
    pub const ALL: [Self; 2] = [Self::Decoder, Self::Poll];

    /// The name on the command line and of the corpus folder.
    pub fn name(self) -> &'static str {
        match self {
            Self::Decoder => "decoder",
            Self::Poll => "poll",
        }
    }
}

/// The fixed "now" of every fuzz input (2026-11-23T09:00:00Z), so outcomes do not drift.
pub const NOW: UnixMillis = UnixMillis(1_795_424_400_000);
/// The issuer and audience the fuzz stream expects.
pub const ISSUER: &str = "https://transmitter.example.com/ssf";
/// See [`ISSUER`].
pub const AUDIENCE: &str = "https://receiver.example.com/";
/// The `kid` of the fuzz key.
pub const KID: &str = "fuzz-k1";

/// The fuzz key: an ES256 key made for this fuzzer and published with it (it signs the seed
/// corpus, and the fuzzer re-signs mutated tokens with it so the signature-valid path runs).
/// PKCS#8 DER, base64. It guards nothing.
const FUZZ_KEY_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgg3aEbAYdzRyy7EuS65UK1vplIm5QTE6nw6CmqAw9BDChRANCAATK/NEdhXpFha09r7hQhMTWTlv8Bk2H6T+OL1sYEsYfNeECGTYDeiSfEbJE1Oy+pbO0BrHhFhQpWtHT1lzz+Dkb";

/// The fuzz key's private half (to sign) and the key set holding its public half (to verify).
pub struct FuzzKey {
    /// Signs ES256.
    pub encoding: EncodingKey,
    /// A JWKS with the public key, `kid` [`KID`].
    pub keys: KeySet,
}

/// The one fuzz key.
pub static KEY: LazyLock<FuzzKey> = LazyLock::new(|| {
    let der = base64::engine::general_purpose::STANDARD
        .decode(FUZZ_KEY_PKCS8)
        .expect("the fuzz key constant is base64");
    let encoding = EncodingKey::from_ec_der(&der);
    let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::ES256).expect("an ES256 key");
    jwk.common.key_id = Some(KID.to_owned());
    let keys = KeySet::from_jwks(&json!({"keys": [jwk]})).expect("a JWKS");
    FuzzKey { encoding, keys }
});

impl FuzzKey {
    /// The ES256 signature (base64url) of a signing input.
    pub fn signature(&self, signing_input: &[u8]) -> String {
        jsonwebtoken::crypto::sign(signing_input, &self.encoding, Algorithm::ES256)
            .expect("ES256 signing with a valid key")
    }

    /// A compact JWS of `header` and `claims` (any JSON), validly signed.
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let b64 = |v: &Value| jose::b64url(v.to_string().as_bytes());
        let input = format!("{}.{}", b64(header), b64(claims));
        let signature = self.signature(input.as_bytes());
        format!("{input}.{signature}")
    }
}

fn arrival(transport: Transport) -> Arrival {
    Arrival {
        stream: StreamKey("fuzz".to_owned()),
        transport,
        received_at: NOW,
    }
}

fn inspect(token: &str, transport: Transport) -> SetRecord {
    let expect = Expectations {
        issuer: Some(ISSUER.to_owned()),
        audience: Some(AUDIENCE.to_owned()),
        ..Expectations::default()
    };
    let policy = AlgorithmPolicy::default();
    let record = ingest::inspect(
        token.to_owned(),
        arrival(transport),
        &KEY.keys,
        &policy,
        &expect,
    );
    assert!(
        record.raw == token,
        "the raw body is kept in the record ({} bytes in, {} kept)",
        token.len(),
        record.raw.len()
    );
    record
}

/// Run one input through a target. Panics when an invariant breaks.
pub fn run(target: Target, data: &[u8], features: &mut Vec<String>) {
    match target {
        Target::Decoder => decoder(data, features),
        Target::Poll => poll(data, features),
    }
}

fn decoder(data: &[u8], features: &mut Vec<String>) {
    let text = String::from_utf8_lossy(data);
    let items = input::split(&text);
    features.push(format!("items:{}", bucket(items.len())));
    for item in items {
        match item.set {
            Ok(InputSet::Token(token)) => {
                let decoded = jose::decode_compact(&token);
                features.push(format!("jose:{}", decode_kind(decoded.as_ref().err())));
                let record = inspect(&token, Transport::Push);
                assert_eq!(
                    record.decode_error.is_some(),
                    decoded.is_err(),
                    "ingest and jose agree on whether the token decodes"
                );
                record_features("token", &record, features);
            }
            Ok(InputSet::Claims(claims)) => {
                let text = Value::Object(claims.clone()).to_string();
                let expect = Expectations::default();
                let record = ingest::inspect_claims(claims, arrival(Transport::Push), &expect);
                assert!(record.raw == text, "a claims object is kept as its JSON");
                record_features("claims", &record, features);
            }
            Err(why) => {
                assert!(!why.is_empty(), "a refused line says why");
                let kind: String = why
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(40)
                    .collect();
                features.push(format!("line:{kind}"));
            }
        }
    }
    let record = inspect(&text, Transport::Push);
    record_features("body", &record, features);
}

fn poll(data: &[u8], features: &mut Vec<String>) {
    let whole = poll_answer::parse(data);
    // The capped read the poller makes takes every answer the whole read takes (it may take
    // more: what it skips is not decoded), and at most its cap.
    let capped = poll_answer::parse_at_most(data, 2);
    assert!(
        whole.is_err() || capped.is_ok(),
        "parse_at_most refuses an answer parse takes"
    );
    if let (Ok(whole), Ok(capped)) = (&whole, &capped) {
        assert!(capped.sets.len() <= 2, "at most the cap is taken");
        assert_eq!(whole.more_available, capped.more_available);
        // Stored tokens written as references leave an answer an answer.
        let stored: std::collections::HashMap<String, String> = whole
            .sets
            .iter()
            .map(|(_, raw)| (raw.clone(), "(SET #1)".to_owned()))
            .collect();
        let text = String::from_utf8_lossy(data);
        if let Some(rewritten) = poll_answer::with_stored_references(&text, &stored) {
            features.push("poll:references".to_owned());
            if std::str::from_utf8(data).is_ok() {
                assert!(
                    poll_answer::parse(rewritten.as_bytes()).is_ok(),
                    "an answer with references is still an answer"
                );
            }
        }
    }
    match whole {
        Ok(answer) => {
            features.push(format!("poll:sets:{}", bucket(answer.sets.len())));
            features.push(format!("poll:more:{}", answer.more_available));
            for (jti, raw) in &answer.sets {
                let record = inspect(raw, Transport::Poll);
                let same_jti = record.jti.as_deref() == Some(jti.as_str());
                features.push(format!("poll:jti-matches:{same_jti}"));
                record_features("polled", &record, features);
            }
        }
        Err(err) => {
            assert!(!err.to_string().is_empty(), "a refused answer says why");
            let kind = match err {
                PollAnswerError::NotJson(_) => "not-json",
                PollAnswerError::NoSets => "no-sets",
            };
            features.push(format!("poll:error:{kind}"));
        }
    }
}

/// What a record concluded, as features: each conclusion where it was made, each lint rule
/// once, and once more when the signature was valid (the mutated-and-re-signed path).
fn record_features(place: &str, record: &SetRecord, features: &mut Vec<String>) {
    let valid = record.verification.verdict.is_valid();
    features.push(format!(
        "{place}:verdict:{}",
        record.verification.verdict.as_str()
    ));
    features.push(format!("{place}:form:{:?}", record.form));
    if let Some(profile) = record.profile {
        features.push(format!("{place}:profile:{}", profile.as_str()));
    }
    let answer = record.rejection.as_ref().map_or("accepted", |r| r.err);
    features.push(format!("{place}:answer:{answer}"));
    features.push(format!("{place}:events:{}", bucket(record.events.len())));
    features.push(format!("{place}:subject:{}", record.subject != "-"));
    for event in &record.events {
        features.push(format!(
            "event:{}:known:{}",
            event.family.tag(),
            event.known
        ));
    }
    for finding in &record.findings {
        let rule = format!("{}:{}", finding.rule, finding.severity.as_str());
        if valid {
            features.push(format!("valid:rule:{rule}"));
        }
        features.push(format!("rule:{rule}"));
    }
}

/// A decode result's kind: `ok`, or the error variant and its segment.
fn decode_kind(err: Option<&DecodeError>) -> String {
    match err {
        None => "ok".to_owned(),
        Some(DecodeError::Empty) => "empty".to_owned(),
        Some(DecodeError::SegmentCount { found }) => format!("segments:{}", bucket(*found)),
        Some(DecodeError::Base64 { segment, .. }) => format!("base64:{}", segment.name()),
        Some(DecodeError::Utf8 { segment, .. }) => format!("utf8:{}", segment.name()),
        Some(DecodeError::Json { segment, .. }) => format!("json:{}", segment.name()),
    }
}

/// 0, 1, 2, then powers of two: counts that differ in size, not by one.
fn bucket(n: usize) -> usize {
    if n < 3 { n } else { n.next_power_of_two() }
}
