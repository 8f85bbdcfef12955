//! "Every SET about this subject": a subject typed or clicked (an RFC 9493 / SSF identifier as
//! JSON, its one line as the window writes it, or a plain value such as an email address) and
//! whether a SET's subject is about it. Complex subjects and aliases match by their members: a
//! `user` email matches the same email sent as a simple subject, and an alias matches any of
//! its identifiers. Texts compare without regard to ASCII case (emails, hosts).

use serde_json::Value;

use super::subject::describe;

/// Words that start a simple subject's line ([`describe`]'s, and `sub`/`sid` of plain SETs).
const LINE_FORMATS: [&str; 12] = [
    "email", "phone", "sub", "sid", "opaque", "account", "did", "uri", "jwt", "saml", "ip",
    "aliases",
];

/// A subject asked about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubjectQuery {
    /// The simple identifiers it stands for, each as its one line (`email a@b`).
    identifiers: Vec<String>,
    /// A plain value typed (no format): any member value equal to it matches.
    value: Option<String>,
}

impl SubjectQuery {
    /// What `text` asks about: JSON (an identifier, complex or aliases), a line as the window
    /// writes subjects (`email a@b`, `user: email a@b · device: opaque d1`), or a plain value.
    /// `None` when empty; an error when it looks like JSON but does not parse.
    pub fn parse(text: &str) -> Result<Option<Self>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.starts_with('{') {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| format!("not a subject identifier in JSON: {e}"))?;
            if !value.is_object() {
                return Err("a subject identifier is a JSON object".to_owned());
            }
            let mut identifiers = Vec::new();
            simple_identifiers(&value, 8, &mut identifiers);
            return Ok(Some(Self {
                identifiers,
                value: None,
            }));
        }
        let first = text.split_whitespace().next().unwrap_or("");
        if (text.contains(' ') && LINE_FORMATS.contains(&first)) || first.ends_with(':') {
            return Ok(Some(Self {
                identifiers: simple_parts(text),
                value: None,
            }));
        }
        Ok(Some(Self {
            identifiers: Vec::new(),
            value: Some(text.to_owned()),
        }))
    }

    /// The subject of one line, as the window shows it (a details link, a row's subject).
    pub fn of_line(line: &str) -> Option<Self> {
        let identifiers = simple_parts(line);
        (!identifiers.is_empty() && line.trim() != "-").then_some(Self {
            identifiers,
            value: None,
        })
    }

    /// Whether a SET's subject (its line and member values) is about this one.
    pub fn matches(&self, line: &str, values: &[String]) -> bool {
        if let Some(value) = &self.value {
            return values.iter().any(|v| v.eq_ignore_ascii_case(value));
        }
        // Asked of every distinct subject a timeline holds (hundreds of thousands on a
        // million SETs): the parts are compared where they lie in the line, none copied.
        any_part(line, &mut |part| {
            self.identifiers
                .iter()
                .any(|id| part.eq_ignore_ascii_case(id))
        })
    }

    /// The identifiers it stands for, each on one line (or the value typed).
    pub fn describe(&self) -> String {
        match &self.value {
            Some(value) => format!("any member equal to {value}"),
            None => self.identifiers.join(" or "),
        }
    }
}

/// The simple identifiers of an identifier: itself, a complex one's members, an alias's
/// identifiers (nested at most `depth` deep).
fn simple_identifiers(value: &Value, depth: usize, out: &mut Vec<String>) {
    let Some(obj) = value.as_object() else {
        return;
    };
    let format = obj
        .get("format")
        .or_else(|| obj.get("subject_type"))
        .and_then(Value::as_str);
    let nested: Vec<&Value> = match format {
        Some("aliases") => obj
            .get("identifiers")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().collect())
            .unwrap_or_default(),
        Some("complex") | None => obj.values().filter(|v| v.is_object()).collect(),
        Some(_) => Vec::new(),
    };
    if nested.is_empty() {
        out.push(describe(value));
    } else if depth > 0 {
        for member in nested {
            simple_identifiers(member, depth - 1, out);
        }
    }
}

/// A subject's line split into its simple identifiers' lines: a complex subject's members
/// (`user: email a@b · device: opaque d1` → `email a@b`, `opaque d1`), an alias's identifiers
/// (`aliases [email a@b = phone +1…]`), a plain SET's claims (`sub u1 · sid s1`).
pub fn simple_parts(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    any_part(line, &mut |part| {
        out.push(part.to_owned());
        false
    });
    out
}

/// Call `found` with each simple identifier's line in `line`, as [`simple_parts`] splits it,
/// until it returns true; whether it did.
fn any_part(line: &str, found: &mut impl FnMut(&str) -> bool) -> bool {
    split_at_dots(line).any(|part| visit_part(part.trim(), 8, found))
}

/// `line.split(" · ")`, each separator found by its middle character: a substring search set
/// up for every line cost more than the rest of a match over a timeline's subjects.
fn split_at_dots(line: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut dots = line
        .match_indices('·')
        .map(|(at, dot)| (at, at + dot.len()))
        .filter(|(at, after)| line[..*at].ends_with(' ') && line[*after..].starts_with(' '));
    std::iter::from_fn(move || {
        if start > line.len() {
            return None;
        }
        // A separator begins at the space before its dot, after the end of the one before.
        let (part, next) = match dots.find(|(at, _)| *at > start) {
            Some((at, after)) => (&line[start..at - 1], after + 1),
            None => (&line[start..], line.len() + 1),
        };
        start = next;
        Some(part)
    })
}

/// `text.split_once(": ")`, found by its colon.
fn split_at_colon(text: &str) -> Option<(&str, &str)> {
    text.match_indices(':')
        .map(|(at, _)| at)
        .find(|at| text[at + 1..].starts_with(' '))
        .map(|at| (&text[..at], &text[at + 2..]))
}

fn visit_part(part: &str, depth: usize, found: &mut impl FnMut(&str) -> bool) -> bool {
    // `user: email a@b`: a complex subject's member, named.
    let part = match split_at_colon(part) {
        Some((member, rest)) if !member.contains(' ') => rest.trim(),
        _ => part,
    };
    match part
        .strip_prefix("aliases [")
        .and_then(|rest| rest.strip_suffix(']'))
    {
        Some(inner) if depth > 0 => inner
            .split(" = ")
            .any(|id| visit_part(id.trim(), depth - 1, found)),
        _ if !part.is_empty() => found(part),
        _ => false,
    }
}
