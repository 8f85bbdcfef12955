//! JSON changed as a tree: one node replaced by deep nesting, a huge or odd number, a long
//! string, a value of the wrong type, a word of the dictionary; or a member removed or added.

use serde_json::{Value, json};

use crate::mutate::{DICTIONARY, Mutator};

/// Member names worth adding.
const KEYS: &[&str] = &[
    "events",
    "sub_id",
    "iss",
    "aud",
    "jti",
    "iat",
    "exp",
    "nbf",
    "sub",
    "txn",
    "toe",
    "format",
    "subject",
    "subject_type",
    "user",
    "device",
    "session",
    "tenant",
    "identifiers",
    "email",
    "id",
    "uri",
    "phone_number",
    "alg",
    "kid",
    "typ",
    "crit",
    "b64",
    "sets",
    "moreAvailable",
    "setErrs",
    "status",
    "reason",
    "event_timestamp",
    "initiating_entity",
    "reason_admin",
    "reason_user",
    "credential_type",
    "change_type",
    "current_level",
    "previous_level",
    "claims",
    "kind",
    "raw",
];

/// Texts put into the JSON as they are (not valid JSON values, some of them, on purpose).
const RAW: &[&str] = &[
    "1e999",
    "-1e999",
    "1E400",
    "123456789012345678901234567890",
    "18446744073709551616",
    "-9223372036854775809",
    "-0",
    "0.0000000000000000000000000000000000000000001",
    "1.0e-400",
    "1795424400000",
    "1795424400",
    "-1",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\u0000\"",
    "NaN",
    "Infinity",
    "01",
    "1.",
    "\"\u{202e}\"",
];

/// Change one node of the tree; the text, with the raw insertions put in.
pub fn mutate_json(m: &mut Mutator, value: &mut Value) -> String {
    let mut raws: Vec<String> = Vec::new();
    let count = node_count(value);
    let donor = nth(value, m.rng.below(count))
        .cloned()
        .unwrap_or(Value::Null);
    let mut n = m.rng.below(count);
    if let Some(node) = nth_mut(value, &mut n) {
        change_node(m, node, donor, &mut raws);
    }
    let mut text = if m.rng.one_in(4) {
        serde_json::to_string_pretty(value).unwrap_or_default()
    } else {
        value.to_string()
    };
    for (i, raw) in raws.iter().enumerate() {
        text = text.replace(&format!("\"\\u0001R{i}\\u0001\""), raw);
    }
    text
}

fn change_node(m: &mut Mutator, node: &mut Value, donor: Value, raws: &mut Vec<String>) {
    match m.rng.below(9) {
        0 => *node = placeholder(raws, nested(m)),
        1 => *node = placeholder(raws, (*m.rng.pick(RAW)).to_owned()),
        2 => *node = Value::String(long_string(m)),
        3 => {
            let wrong = [
                json!(null),
                json!(true),
                json!(0),
                json!(""),
                json!([]),
                json!({}),
            ];
            *node = match m.rng.below(8) {
                6 => json!([node.take()]),
                7 => json!({"x": node.take()}),
                i => wrong[i].clone(),
            };
        }
        4 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(m.rng.below(map.len()))
                    .cloned()
                    .unwrap_or_default();
                map.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(m.rng.below(items.len()));
            }
            _ => *node = Value::Null,
        },
        5 | 6 => match node {
            Value::Object(map) => {
                map.insert((*m.rng.pick(KEYS)).to_owned(), donor);
            }
            Value::Array(items) => items.push(donor),
            _ => *node = json!({ *m.rng.pick(KEYS): donor }),
        },
        7 => *node = Value::String(word(m)),
        _ => {
            let numbers = [
                i64::MAX,
                i64::MIN,
                -1,
                0,
                1_795_424_400,
                1_795_424_400_000,
                4_102_444_800,
            ];
            *node = json!(*m.rng.pick(&numbers));
        }
    }
}

/// A string that `mutate_json` replaces by `text` once the tree is written out.
fn placeholder(raws: &mut Vec<String>, text: String) -> Value {
    raws.push(text);
    Value::String(format!("\u{1}R{}\u{1}", raws.len() - 1))
}

/// A deeply nested value as text: arrays, objects, complex subjects or aliases.
fn nested(m: &mut Mutator) -> String {
    let depth = *m.rng.pick(&[8, 32, 100, 127, 128, 129, 300, 5000]);
    let (open, core, close) = match m.rng.below(4) {
        0 => ("[", "1", "]"),
        1 => ("{\"a\":", "1", "}"),
        2 => (
            "{\"format\":\"complex\",\"user\":",
            "{\"format\":\"email\",\"email\":\"a@example.com\"}",
            "}",
        ),
        _ => (
            "{\"format\":\"aliases\",\"identifiers\":[",
            "{\"format\":\"opaque\",\"id\":\"x\"}",
            "]}",
        ),
    };
    format!("{}{core}{}", open.repeat(depth), close.repeat(depth))
}

fn long_string(m: &mut Mutator) -> String {
    let len = *m.rng.pick(&[256, 4096, 30_000]);
    let unit = *m.rng.pick(&["a", "é", "\\", "\"", "\u{0}", "𝄞", "%", " "]);
    unit.repeat(len / unit.len())
}

fn word(m: &mut Mutator) -> String {
    let word = m.rng.pick(DICTIONARY);
    word.trim_matches('"').to_owned()
}

fn node_count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(node_count).sum(),
        Value::Object(map) => map.values().map(node_count).sum(),
        _ => 0,
    }
}

fn nth(value: &Value, n: usize) -> Option<&Value> {
    let mut stack = vec![value];
    let mut seen = 0;
    while let Some(node) = stack.pop() {
        if seen == n {
            return Some(node);
        }
        seen += 1;
        match node {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => stack.extend(map.values().rev()),
            _ => {}
        }
    }
    None
}

fn nth_mut<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(value);
    }
    *n -= 1;
    match value {
        Value::Array(items) => items.iter_mut().find_map(|item| nth_mut(item, n)),
        Value::Object(map) => map.values_mut().find_map(|item| nth_mut(item, n)),
        _ => None,
    }
}
