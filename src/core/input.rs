//! Reading SETs from text: a compact JWS (line-wrapped or not), a bare JSON claims object, or
//! JSON Lines with one of either per line (the inspector's own export lines too, by their `raw`).

use serde_json::{Map, Value};

/// One SET as found in the input.
#[derive(Clone, Debug, PartialEq)]
pub enum InputSet {
    /// A compact JWS (white space removed).
    Token(String),
    /// A bare claims object (nothing to verify).
    Claims(Map<String, Value>),
}

/// An input item: its first line (1-based) and the SET, or why that line is not one.
#[derive(Clone, Debug, PartialEq)]
pub struct InputItem {
    /// Line where the item starts.
    pub line: usize,
    /// The SET, or what is wrong with the line (kept, never skipped silently).
    pub set: Result<InputSet, String>,
}

/// Split input text into SETs.
pub fn split(text: &str) -> Vec<InputItem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    if trimmed.starts_with('{')
        && let Ok(Value::Object(object)) = serde_json::from_str::<Value>(trimmed)
    {
        let line = text
            .lines()
            .position(|l| !l.trim().is_empty())
            .map_or(1, |i| i + 1);
        return vec![InputItem {
            line,
            set: Ok(from_object(object)),
        }];
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    // One token wrapped over several lines: only base64url characters and exactly two dots.
    let joined: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let wrapped = lines.len() > 1
        && joined.matches('.').count() == 2
        && joined
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.=".contains(c));
    if wrapped {
        let line = lines.first().map_or(1, |(n, _)| *n);
        return vec![InputItem {
            line,
            set: Ok(InputSet::Token(joined)),
        }];
    }
    lines
        .into_iter()
        .map(|(line, text)| InputItem {
            line,
            set: parse_line(text),
        })
        .collect()
}

/// One line of JSON Lines input (trimmed, not empty): a token, a quoted token, or an object.
pub fn parse_line(line: &str) -> Result<InputSet, String> {
    if line.starts_with('{') {
        return match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => Ok(from_object(object)),
            Ok(_) => Err("not a JSON object".to_owned()),
            Err(err) => Err(format!("not JSON: {err}")),
        };
    }
    if line.starts_with('"') {
        return match serde_json::from_str::<Value>(line) {
            Ok(Value::String(token)) => Ok(InputSet::Token(token)),
            _ => Err("a quoted line must be a JSON string holding a token".to_owned()),
        };
    }
    Ok(InputSet::Token(line.to_owned()))
}

/// An object is a claims set, unless it is an inspector export line (`kind: set` with `raw`).
fn from_object(object: Map<String, Value>) -> InputSet {
    let exported = object.get("kind").and_then(Value::as_str) == Some("set");
    match object.get("raw").and_then(Value::as_str) {
        Some(raw) if exported => InputSet::Token(raw.to_owned()),
        _ => InputSet::Claims(object),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        split(text)
            .into_iter()
            .map(|i| match i.set {
                Ok(InputSet::Token(t)) => format!("{}:token:{t}", i.line),
                Ok(InputSet::Claims(c)) => format!("{}:claims:{}", i.line, c.len()),
                Err(e) => format!("{}:error:{e}", i.line),
            })
            .collect()
    }

    #[test]
    fn reads_every_input_form() {
        assert_eq!(kinds("  aaa.bbb.ccc \n"), ["1:token:aaa.bbb.ccc"]);
        assert_eq!(
            kinds("aaa.b\nbb.ccc\n"),
            ["1:token:aaa.bbb.ccc"],
            "line-wrapped"
        );
        assert_eq!(
            kinds("{\n \"iss\": \"x\",\n \"jti\": \"1\"\n}"),
            ["1:claims:2"],
            "pretty JSON"
        );
        assert_eq!(
            kinds("a.b.c\n\n{\"iss\":\"x\"}\n\"d.e.f\"\n{broken\n"),
            [
                "1:token:a.b.c",
                "3:claims:1",
                "4:token:d.e.f",
                "5:error:not JSON: key must be a string at line 1 column 2"
            ]
        );
        assert_eq!(
            kinds("a.b.c\nnot a token {\n"),
            ["1:token:a.b.c", "2:token:not a token {"],
            "garbage lines are kept"
        );
        assert_eq!(
            kinds("{\"kind\":\"set\",\"raw\":\"x.y.z\"}"),
            ["1:token:x.y.z"],
            "export lines"
        );
        assert!(split(" \n ").is_empty());
    }
}
