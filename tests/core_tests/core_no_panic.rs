//! Property tests: arbitrary bytes and mutated tokens never panic the decoder, verifier, linter or
//! input splitter, and whatever comes in is kept (the raw body is always in the record).

use crate::fixtures;

use std::sync::LazyLock;

use fixtures::{NOW, TestKey, session_revoked};
use proptest::prelude::*;
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::input::{self, InputSet};
use ssf_inspector::core::record::{StreamKey, Transport};
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet};

static KEY: LazyLock<TestKey> = LazyLock::new(|| TestKey::es256("k1"));
static KEYS: LazyLock<KeySet> = LazyLock::new(|| KEY.jwks());
static TOKEN: LazyLock<String> = LazyLock::new(|| KEY.sign(&session_revoked("prop")));

fn arrival() -> Arrival {
    Arrival {
        stream: StreamKey("prop".to_owned()),
        transport: Transport::Push,
        received_at: NOW,
    }
}

/// Everything a received body goes through, from text to record.
fn ingest_text(text: &str) {
    for item in input::split(text) {
        match item.set {
            Ok(InputSet::Token(token)) => {
                let record = ingest::inspect(
                    token.clone(),
                    arrival(),
                    &KEYS,
                    &AlgorithmPolicy::default(),
                    &Expectations::default(),
                );
                assert_eq!(record.raw, token, "the raw token is kept");
            }
            Ok(InputSet::Claims(claims)) => {
                ingest::inspect_claims(claims, arrival(), &Expectations::default());
            }
            Err(why) => assert!(!why.is_empty()),
        }
    }
    let record = ingest::inspect(
        text.to_owned(),
        arrival(),
        &KEYS,
        &AlgorithmPolicy::default(),
        &Expectations::default(),
    );
    assert_eq!(record.raw, text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        ingest_text(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_claims_never_panic(json in arb_json(4)) {
        ingest_text(&json.to_string());
        let token = format!("eyJhbGciOiJFUzI1NiJ9.{}.", ssf_inspector::core::jose::b64url(json.to_string().as_bytes()));
        ingest_text(&token);
    }

    #[test]
    fn mutated_tokens_never_panic_and_never_verify(position in 0_usize..2000, byte in any::<u8>(), cut in 0_usize..2000) {
        let mut bytes = TOKEN.as_bytes().to_vec();
        let i = position % bytes.len();
        bytes[i] = byte;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        ingest_text(&text);
        let record = ingest::inspect(text.clone(), arrival(), &KEYS, &AlgorithmPolicy::default(), &Expectations::default());
        if meaning(&text) != meaning(&TOKEN) {
            prop_assert!(!record.verification.verdict.is_valid(), "a modified token verified: {}", text);
        }
    }
}

/// What a token says, byte for byte: its signing input and decoded signature (two texts can
/// differ only in unused base64 bits and mean the same).
fn meaning(token: &str) -> Option<(String, Vec<u8>)> {
    use base64::Engine as _;
    let (input, signature) = token.rsplit_once('.')?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .ok()?;
    Some((input.to_owned(), bytes))
}

fn arb_json(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-z_:/.@+0-9-]{0,12}".prop_map(serde_json::Value::from),
        prop::sample::select(vec![
            "sub_id",
            "events",
            "format",
            "complex",
            "aliases",
            "identifiers",
            "status",
            "iat"
        ])
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(depth, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "iss",
                    "iat",
                    "jti",
                    "aud",
                    "sub",
                    "exp",
                    "txn",
                    "sub_id",
                    "events",
                    "format",
                    "subject_type",
                    "email",
                    "phone_number",
                    "identifiers",
                    "user",
                    "device",
                    "status",
                    "reason_admin",
                    "event_timestamp",
                    "https://schemas.openid.net/secevent/caep/event-type/credential-change",
                    "https://schemas.openid.net/secevent/ssf/event-type/stream-updated",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
