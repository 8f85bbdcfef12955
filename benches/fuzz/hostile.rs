//! Hand-written hostile seeds: what a broken or malicious transmitter might send, each aimed
//! at one place of the decoder, the linter or the poll reader.

use serde_json::{Value, json};
use ssf_inspector::core::events;
use ssf_inspector::core::jose;

use crate::seeds::{claims, header};
use crate::targets::{AUDIENCE, ISSUER, KEY, NOW};

fn b64(bytes: &[u8]) -> String {
    jose::b64url(bytes)
}

fn signed(claims: &Value) -> String {
    KEY.sign(&header(), claims)
}

fn session() -> Value {
    claims(
        "h1",
        &events::caep("session-revoked"),
        &json!({"format": "email", "email": "a@example.com"}),
    )
}

/// A session-revoked SET with one claim replaced.
fn with_claim(name: &str, value: Value) -> String {
    let mut claims = session();
    claims[name] = value;
    signed(&claims)
}

/// A validly signed token whose payload is `claims` as written (not re-serialised).
fn token_of(claims: &str) -> String {
    let input = format!(
        "{}.{}",
        b64(header().to_string().as_bytes()),
        b64(claims.as_bytes())
    );
    format!("{input}.{}", KEY.signature(input.as_bytes()))
}

fn nested_text(open: &str, core: &str, close: &str, depth: usize) -> String {
    format!("{}{core}{}", open.repeat(depth), close.repeat(depth))
}

/// Hostile bodies for the decoder.
pub fn decoder() -> Vec<(&'static str, String)> {
    let uri = events::caep("session-revoked");
    let complex_deep = nested_text(
        r#"{"format":"complex","user":"#,
        r#"{"format":"email","email":"a@b.c"}"#,
        "}",
        100,
    );
    let aliases_deep = nested_text(
        r#"{"format":"aliases","identifiers":["#,
        r#"{"format":"opaque","id":"x"}"#,
        "]}",
        60,
    );
    let claims_with = |sub_id: &str| {
        format!(
            r#"{{"iss":"{ISSUER}","aud":"{AUDIENCE}","jti":"d1","iat":{},"sub_id":{sub_id},"events":{{"{uri}":{{}}}}}}"#,
            NOW.as_secs()
        )
    };
    vec![
        ("empty", String::new()),
        ("blank", " \n\t\r\n ".to_owned()),
        ("dots", "...".to_owned()),
        ("four-segments", "a.b.c.d".to_owned()),
        ("short-segments", "eyJ.eyJ.x".to_owned()),
        (
            "padded",
            format!(
                "{}==.{}=.",
                b64(br#"{"alg":"none"}"#),
                b64(session().to_string().as_bytes())
            ),
        ),
        (
            "payload-not-utf8",
            format!(
                "{}.{}.",
                b64(br#"{"alg":"none"}"#),
                b64(b"\xff\xfe{\"iss\":1}")
            ),
        ),
        (
            "payload-array",
            format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(b"[]")),
        ),
        (
            "header-string",
            format!("{}.{}.", b64(br#""ES256""#), b64(b"{}")),
        ),
        (
            "header-deep",
            format!(
                "{}.{}.",
                b64(nested_text("[", "1", "]", 200).as_bytes()),
                b64(b"{}")
            ),
        ),
        (
            "events-deep-120",
            token_of(&format!(
                r#"{{"iss":"{ISSUER}","jti":"d","iat":1,"events":{{"{uri}":{}}}}}"#,
                nested_text(r#"{"a":"#, "1", "}", 120)
            )),
        ),
        (
            "events-deep-200",
            token_of(&format!(
                r#"{{"iss":"{ISSUER}","events":{}}}"#,
                nested_text("[", "1", "]", 200)
            )),
        ),
        ("sub-id-complex-deep", token_of(&claims_with(&complex_deep))),
        ("sub-id-aliases-deep", token_of(&claims_with(&aliases_deep))),
        ("sub-id-empty", with_claim("sub_id", json!({}))),
        (
            "sub-id-unknown-format",
            with_claim("sub_id", json!({"format": "x".repeat(300)})),
        ),
        (
            "iat-huge",
            token_of(&claims_with_raw("iat", "123456789012345678901234567890")),
        ),
        ("iat-i64-min", with_claim("iat", json!(i64::MIN))),
        ("iat-u64-max", with_claim("iat", json!(u64::MAX))),
        ("iat-negative-float", with_claim("iat", json!(-1.5))),
        ("iat-string", with_claim("iat", json!("1795424340"))),
        ("iat-millis", with_claim("iat", json!(NOW.0))),
        ("exp-before-iat", with_claim("exp", json!(1))),
        ("exp-i64-max", with_claim("exp", json!(i64::MAX))),
        (
            "events-not-object",
            with_claim("events", json!({uri.clone(): "revoked"})),
        ),
        ("events-empty", with_claim("events", json!({}))),
        ("events-array", with_claim("events", json!([uri]))),
        (
            "event-timestamp-i64-min",
            with_claim(
                "events",
                json!({uri.clone(): {"event_timestamp": i64::MIN}}),
            ),
        ),
        (
            "event-timestamp-i64-max",
            with_claim(
                "events",
                json!({uri.clone(): {"event_timestamp": i64::MAX}}),
            ),
        ),
        (
            "reason-map-odd",
            with_claim(
                "events",
                json!({uri.clone(): {"reason_admin": {"": 1, "en": ["x"], "\u{0}": null}}}),
            ),
        ),
        ("jti-long", with_claim("jti", json!("j".repeat(30_000)))),
        (
            "iss-rtl",
            with_claim(
                "iss",
                json!("https://transmitter.example.com/ssf\u{202e}evil"),
            ),
        ),
        (
            "aud-numbers",
            with_claim("aud", json!([1, 2.5, null, {"a": AUDIENCE}])),
        ),
        ("txn-object", with_claim("txn", json!({"nested": [1, 2]}))),
        ("nul-bytes", format!("{}\u{0}\u{0}", signed(&session()))),
        ("bom", format!("\u{feff}{}", signed(&session()))),
        ("invalid-utf8-line", "a.b.c\n\u{fffd}\u{fffd}{\n".to_owned()),
        ("quoted-not-string", "\"a.b.c\n\"\\ud800\"".to_owned()),
        (
            "export-line-raw-number",
            r#"{"kind":"set","raw":42}"#.to_owned(),
        ),
        ("claims-huge-number", claims_with_raw("iat", "1e999")),
        ("claims-deep", nested_text(r#"{"a":"#, "1", "}", 300)),
        (
            "many-lines",
            (0..500)
                .map(|n| format!("l{n}.x.y"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ]
}

/// Session-revoked claims as text with one member's value written raw.
fn claims_with_raw(name: &str, raw: &str) -> String {
    let mut claims = session();
    claims[name] = json!("\u{1}");
    claims.to_string().replace("\"\\u0001\"", raw)
}

/// Hostile poll answers.
pub fn poll() -> Vec<(&'static str, String)> {
    let token = signed(&session());
    vec![
        (
            "html",
            "<html><body>502 Bad Gateway</body></html>".to_owned(),
        ),
        ("empty-body", String::new()),
        ("sets-array", json!({"sets": [token]}).to_string()),
        ("sets-string", json!({"sets": token}).to_string()),
        ("no-sets", json!({"moreAvailable": true}).to_string()),
        ("top-level-array", json!([{"sets": {}}]).to_string()),
        (
            "token-null",
            r#"{"sets":{"a":null,"b":true,"c":[],"d":{}}}"#.to_owned(),
        ),
        (
            "duplicate-jti",
            format!(r#"{{"sets":{{"j":"{token}","j":"x.y.z"}}}}"#),
        ),
        (
            "more-string",
            json!({"sets": {"j": token}, "moreAvailable": "true"}).to_string(),
        ),
        (
            "deep",
            format!(r#"{{"sets":{{"j":{}}}}}"#, nested_text("[", "1", "]", 120)),
        ),
        (
            "too-deep",
            format!(r#"{{"sets":{{"j":{}}}}}"#, nested_text("[", "1", "]", 200)),
        ),
        (
            "huge-number",
            r#"{"sets":{},"moreAvailable":1e999}"#.to_owned(),
        ),
        (
            "lone-surrogate",
            r#"{"sets":{"\ud800":"a.b.c"}}"#.to_owned(),
        ),
        ("trailing-garbage", format!(r#"{{"sets":{{}}}} {}"#, "x")),
        (
            "long-jti",
            json!({"sets": {"j".repeat(20_000): token}}).to_string(),
        ),
    ]
}
