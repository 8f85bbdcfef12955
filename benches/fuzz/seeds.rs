//! The seed corpus, written by `cargo bench --bench fuzz -- --write-seeds`: valid SETs signed
//! with the fuzz key for every event type of the catalogue (legacy spellings too), SETs with
//! broken headers or signatures, bare claims, JSON Lines, poll answers; the hostile ones written
//! by hand are in `hostile.rs`. Files are named `seed-…`; entries the fuzzer finds, `found-…`.

use std::path::Path;

use serde_json::{Value, json};
use ssf_inspector::core::events::{self, CATALOGUE, EventType, Family};
use ssf_inspector::core::jose;
use ssf_inspector::runtime::transmitter::sets::{payload_for, stream_subject, subject};

use crate::corpus::fuzz_dir;
use crate::hostile;
use crate::targets::{AUDIENCE, ISSUER, KEY, KID, NOW};

/// A named seed.
pub type Seed = (String, Vec<u8>);

/// The usual header of a SET signed with the fuzz key.
pub fn header() -> Value {
    json!({"alg": "ES256", "kid": KID, "typ": "secevent+jwt"})
}

/// SET claims for one event (event timestamps set to the fuzz clock).
pub fn claims(jti: &str, uri: &str, sub_id: &Value) -> Value {
    let mut payload = payload_for(uri);
    if let Some(stamp) = payload.get_mut("event_timestamp") {
        *stamp = json!(NOW.as_secs() - 60);
    }
    if events::is_stream_updated(uri) {
        payload = json!({"status": "disabled", "reason": "maintenance"});
    }
    json!({
        "iss": ISSUER, "aud": AUDIENCE, "jti": jti, "iat": NOW.as_secs() - 60, "txn": "8675309",
        "sub_id": sub_id, "events": {uri: payload},
    })
}

/// A signed SET for one event of the catalogue.
pub fn signed(n: usize, uri: &str) -> String {
    let sub_id = if uri.contains("/ssf/") || uri.contains("/sse/") || uri.ends_with("/verification")
    {
        stream_subject("f67e39a0")
    } else {
        subject(n)
    };
    KEY.sign(&header(), &claims(&format!("seed-{n:02}"), uri, &sub_id))
}

fn slug(uri: &str) -> String {
    let last = uri.rsplit(['/', ':']).next().unwrap_or_default();
    last.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// The decoder's seeds.
pub fn decoder() -> Vec<Seed> {
    let mut seeds: Vec<Seed> = Vec::new();
    let mut add =
        |name: &str, text: String| seeds.push((format!("seed-{name}"), text.into_bytes()));
    // Every event type but SCIM's many, whose payloads are alike here: its create events only.
    let wanted = |e: &EventType| e.family != Family::Scim || e.uri.contains("create");
    for (n, event) in CATALOGUE.iter().enumerate().filter(|(_, e)| wanted(e)) {
        let name = format!("set-{n:02}-{}", slug(event.uri));
        add(&name, signed(n, event.uri));
    }
    let session = claims("s1", &events::caep("session-revoked"), &subject(0));
    let with = |header: Value| KEY.sign(&header, &session);
    add(
        "alg-none",
        format!("{}.{}.", jose::b64url(br#"{"alg":"none"}"#), b64(&session)),
    );
    add(
        "hs256",
        format!(
            "{}.{}.c2ln",
            jose::b64url(br#"{"alg":"HS256","kid":"fuzz-k1"}"#),
            b64(&session)
        ),
    );
    add(
        "unknown-kid",
        with(json!({"alg": "ES256", "kid": "other", "typ": "secevent+jwt"})),
    );
    add(
        "no-kid",
        with(json!({"alg": "ES256", "typ": "secevent+jwt"})),
    );
    add("kid-number", with(json!({"alg": "ES256", "kid": 7})));
    add(
        "crit-exp",
        with(json!({"alg": "ES256", "kid": KID, "crit": ["exp"], "exp": 1})),
    );
    add(
        "crit-b64",
        with(json!({"alg": "ES256", "kid": KID, "crit": ["b64"], "b64": false})),
    );
    add(
        "typ-jwt",
        with(json!({"alg": "ES256", "kid": KID, "typ": "JWT"})),
    );
    add("rs256-header", with(json!({"alg": "RS256", "kid": KID})));
    let good = with(header());
    let mut bad = good.clone().into_bytes();
    let middle = good.len() - 20;
    bad[middle] = if bad[middle] == b'A' { b'B' } else { b'A' };
    add("bad-signature", String::from_utf8_lossy(&bad).into_owned());
    let mut other = session.clone();
    other["iss"] = json!("https://elsewhere.example.com/");
    other["aud"] = json!(["https://a.example.com/", AUDIENCE]);
    add("wrong-issuer", KEY.sign(&header(), &other));
    other["iss"] = json!(ISSUER);
    other["aud"] = json!("https://someone-else.example.com/");
    add("wrong-audience", KEY.sign(&header(), &other));
    for (name, claims) in legacy() {
        add(&format!("legacy-{name}"), KEY.sign(&header(), &claims));
    }
    add(
        "claims-pretty",
        serde_json::to_string_pretty(&session).unwrap_or_default(),
    );
    add(
        "export-line",
        json!({"kind": "set", "seq": 1, "raw": good}).to_string(),
    );
    let wrapped: Vec<String> = good
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    add("wrapped", wrapped.join("\n"));
    let lines = [
        good.clone(),
        session.to_string(),
        format!("\"{good}\""),
        "{broken".to_owned(),
        signed(3, &events::risc("account-disabled")),
    ];
    add("json-lines", lines.join("\n"));
    add("json-lines-crlf", lines.join("\r\n"));
    for (name, text) in hostile::decoder() {
        add(&format!("hostile-{name}"), text);
    }
    seeds
}

/// SETs as older or other profiles send them: SSE draft, RISC `http` URIs, SSF drafts, RFC 8417.
fn legacy() -> Vec<(&'static str, Value)> {
    let iat = NOW.as_secs() - 60;
    let iss_sub = json!({"subject_type": "iss-sub", "iss": "https://idp.example.com/", "sub": "7375626A656374"});
    vec![
        (
            "sse-stream-updated",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l1", "iat": iat,
            "events": {events::STREAM_UPDATED_SSE: {"subject": {"subject_type": "opaque", "id": "f67e39a0"}, "state": "paused", "reason": "r"}}}),
        ),
        (
            "sse-verification",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l2", "iat": iat,
            "events": {events::VERIFICATION_SSE: {"state": "abc"}}}),
        ),
        (
            "risc-http",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l3", "iat": iat,
            "events": {"http://schemas.openid.net/secevent/risc/event-type/account-disabled": {"subject": iss_sub, "reason": "hijacking"}}}),
        ),
        (
            "risc-subject-type",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l4", "iat": iat,
            "events": {events::risc("sessions-revoked"): {"subject": iss_sub}}}),
        ),
        (
            "ssf-draft",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l5", "iat": iat, "txn": 42,
            "events": {events::caep("session-revoked"): {"subject": {"format": "email", "email": "a@example.com"},
                "reason_admin": "Landspeed", "event_timestamp": NOW.0}}}),
        ),
        (
            "rfc8417",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l6", "iat": iat, "sub": "248289761001", "toe": iat,
            "events": {"urn:ietf:params:scim:event:create": {"ref": "https://scim.example.com/Users/44f6142df96bd6ab61e7521d9"}}}),
        ),
        (
            "two-events",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l7", "iat": iat, "sub_id": subject(2),
            "events": {events::caep("session-revoked"): {}, events::caep("credential-change"): {"credential_type": "password", "change_type": "update"}}}),
        ),
        (
            "backchannel-logout",
            json!({"iss": ISSUER, "aud": AUDIENCE, "jti": "l8", "iat": iat, "sub": "u1", "sid": "s1",
            "events": {"http://schemas.openid.net/event/backchannel-logout": {}}}),
        ),
    ]
}

/// The poll target's seeds.
pub fn poll() -> Vec<Seed> {
    let mut seeds: Vec<Seed> = Vec::new();
    let mut add = |name: &str, value: &Value| {
        seeds.push((format!("seed-poll-{name}"), value.to_string().into_bytes()));
    };
    let uris = [
        events::caep("session-revoked"),
        events::risc("account-disabled"),
        events::STREAM_UPDATED.to_owned(),
    ];
    let sets: serde_json::Map<String, Value> = uris
        .iter()
        .enumerate()
        .map(|(n, uri)| (format!("seed-{n:02}"), json!(signed(n, uri))))
        .collect();
    add(
        "three-sets-more",
        &json!({"sets": sets, "moreAvailable": true}),
    );
    add("empty", &json!({"sets": {}, "moreAvailable": false}));
    add("empty-no-more", &json!({"sets": {}}));
    add(
        "with-seterrs",
        &json!({"sets": sets, "setErrs": {"x1": {"err": "invalid_key", "description": "d"}}, "ack": ["x0"], "moreAvailable": false}),
    );
    let session = claims("m1", &events::caep("session-revoked"), &subject(0));
    add(
        "mixed",
        &json!({"sets": {
        "m1": KEY.sign(&header(), &session),
        "m2": format!("{}.{}.", jose::b64url(br#"{"alg":"none"}"#), b64(&session)),
        "m3": KEY.sign(&json!({"alg": "ES256", "kid": "other"}), &session),
        "m4": {"iss": ISSUER},
        "m5": 12,
        "m6": "not a token",
    }, "moreAvailable": true}),
    );
    add(
        "jti-mismatch",
        &json!({"sets": {"not-the-jti": KEY.sign(&header(), &session)}}),
    );
    let legacy: serde_json::Map<String, Value> = legacy()
        .into_iter()
        .map(|(name, claims)| (name.to_owned(), json!(KEY.sign(&header(), &claims))))
        .collect();
    add("legacy", &json!({"sets": legacy, "moreAvailable": false}));
    let many: serde_json::Map<String, Value> = (0..60)
        .map(|n| {
            (
                format!("seed-{n:02}"),
                json!(signed(n, &events::caep("credential-change"))),
            )
        })
        .collect();
    add("sixty-sets", &json!({"sets": many}));
    for (name, text) in hostile::poll() {
        seeds.push((format!("seed-poll-hostile-{name}"), text.into_bytes()));
    }
    seeds
}

fn b64(value: &Value) -> String {
    jose::b64url(value.to_string().as_bytes())
}

/// Replace the `seed-…` files of both corpus folders (found entries stay).
pub fn write() -> std::io::Result<()> {
    for (name, seeds) in [("decoder", decoder()), ("poll", poll())] {
        let dir = fuzz_dir().join("corpus").join(name);
        std::fs::create_dir_all(&dir)?;
        remove_seeds(&dir)?;
        for (file, bytes) in &seeds {
            std::fs::write(dir.join(file), bytes)?;
        }
        println!("{}: {} seed files", dir.display(), seeds.len());
    }
    Ok(())
}

fn remove_seeds(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("seed-"))
        {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}
