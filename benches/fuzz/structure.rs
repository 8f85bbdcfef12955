//! Structure-aware mutations: a JWS segment decoded, changed and encoded again (then signed
//! again with the fuzz key, half the time, so the mutated claims reach the signature-valid
//! path), and the JSON of a body or of one of its lines changed as a tree (`json_tree.rs`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::json_tree::mutate_json;
use crate::mutate::Mutator;
use crate::targets::{KEY, KID};

/// Change one JWS segment of the input (the first two decoded as JSON when they are).
pub fn segment(m: &mut Mutator, data: &mut Vec<u8>) {
    let spans = jws_spans(data);
    if spans.is_empty() {
        return wrap_as_token(m, data);
    }
    let (start, end) = *m.rng.pick(&spans);
    let token = String::from_utf8_lossy(&data[start..end]).into_owned();
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let which = m.rng.below(4).min(2);
    if which == 2 {
        let mut sig = parts[2].clone().into_bytes();
        m.bytes(&mut sig);
        parts[2] = String::from_utf8_lossy(&sig).into_owned();
    } else {
        let index = if which == 0 && m.rng.one_in(3) { 0 } else { 1 };
        parts[index] = mutate_segment(m, &parts[index]);
        if m.rng.one_in(2) {
            if index == 1 && m.rng.one_in(2) {
                parts[0] = jose_b64(&json!({"alg": "ES256", "kid": KID, "typ": "secevent+jwt"}));
            }
            let input = format!("{}.{}", parts[0], parts[1]);
            parts[2] = KEY.signature(input.as_bytes());
        }
    }
    data.splice(start..end, parts.join(".").into_bytes());
}

/// Change the JSON of the input (the whole input, or one JSON line of it).
pub fn json(m: &mut Mutator, data: &mut Vec<u8>) {
    if let Ok(mut value) = serde_json::from_slice::<Value>(data) {
        *data = mutate_json(m, &mut value).into_bytes();
        return;
    }
    let text = String::from_utf8_lossy(data).into_owned();
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let json_lines: Vec<usize> = (0..lines.len())
        .filter(|&i| serde_json::from_str::<Value>(&lines[i]).is_ok_and(|v| v.is_object()))
        .collect();
    if json_lines.is_empty() {
        return m.bytes(data);
    }
    let i = *m.rng.pick(&json_lines);
    if let Ok(mut value) = serde_json::from_str::<Value>(&lines[i]) {
        lines[i] = mutate_json(m, &mut value);
    }
    *data = lines.join("\n").into_bytes();
}

/// Byte ranges that look like compact JWSs: base64url runs with exactly two dots, `eyJ…` first.
fn jws_spans(data: &[u8]) -> Vec<(usize, usize)> {
    let in_token = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.';
    let mut spans = Vec::new();
    let mut i = 0;
    while i < data.len() {
        if !in_token(data[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < data.len() && in_token(data[i]) {
            i += 1;
        }
        let run = &data[start..i];
        if run.iter().filter(|&&b| b == b'.').count() == 2 && run.starts_with(b"ey") {
            spans.push((start, i));
        }
    }
    spans
}

/// No token in the input: sign it (as claims, when it is JSON) into one.
fn wrap_as_token(m: &mut Mutator, data: &mut Vec<u8>) {
    if m.rng.one_in(2) {
        return m.bytes(data);
    }
    let header = json!({"alg": "ES256", "kid": KID, "typ": "secevent+jwt"});
    let input = format!("{}.{}", jose_b64(&header), URL_SAFE_NO_PAD.encode(&data));
    let signature = KEY.signature(input.as_bytes());
    *data = format!("{input}.{signature}").into_bytes();
}

fn mutate_segment(m: &mut Mutator, segment: &str) -> String {
    let Ok(mut bytes) = URL_SAFE_NO_PAD.decode(segment) else {
        let mut text = segment.as_bytes().to_vec();
        m.bytes(&mut text);
        return String::from_utf8_lossy(&text).into_owned();
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut value) if !m.rng.one_in(5) => URL_SAFE_NO_PAD.encode(mutate_json(m, &mut value)),
        _ => {
            m.bytes(&mut bytes);
            URL_SAFE_NO_PAD.encode(&bytes)
        }
    }
}

fn jose_b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}
