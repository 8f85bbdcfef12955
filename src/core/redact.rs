//! Presenter mode's masking of personal values: subjects (`a•••@example.com`, `+1•••00`,
//! `u•••7`) in subject lines, claims and free text, and SETs in HTTP bodies. What is masked is
//! only what is shown; the record and exports keep the values.

use serde_json::Value;

/// The mask put in place of the hidden characters.
const DOTS: &str = "•••";

/// Members whose string value names a subject (RFC 9493 formats, the JWT `sub`, and the ids
/// SCIM and RISC events carry).
const SUBJECT_MEMBERS: [&str; 10] = [
    "email",
    "phone_number",
    "sub",
    "id",
    "uri",
    "url",
    "username",
    "assertion_id",
    "sid",
    "ip-addresses",
];

/// Words of a subject line (see [`super::subject::describe`]) that are formats or separators,
/// never values.
const LINE_WORDS: [&str; 22] = [
    "email",
    "phone",
    "sub",
    "opaque",
    "account",
    "did",
    "uri",
    "jwt",
    "saml",
    "ip",
    "aliases",
    "sid",
    "user:",
    "device:",
    "session:",
    "application:",
    "tenant:",
    "org_unit:",
    "group:",
    "·",
    "@",
    "-",
];

/// One value masked: an email keeps its first character and its domain, a phone number its
/// first and last two characters, any other id its first character (and its last when long).
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if let Some((local, domain)) = value.rsplit_once('@')
        && !domain.is_empty()
    {
        // `acct:alice@example.com` keeps its scheme.
        let (scheme, local) = match local.rsplit_once(':') {
            Some((scheme, rest)) => (format!("{scheme}:"), rest),
            None => (String::new(), local),
        };
        let first: String = local.chars().take(1).collect();
        return format!("{scheme}{first}{DOTS}@{domain}");
    }
    let phone = chars.len() >= 7
        && chars
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')' | '.'));
    if phone {
        let head: String = chars.iter().take(2).collect();
        let tail: String = chars[chars.len() - 2..].iter().collect();
        return format!("{head}{DOTS}{tail}");
    }
    match chars.len() {
        0 => String::new(),
        1..=3 => DOTS.to_owned(),
        4..=8 => format!("{}{DOTS}", chars[0]),
        _ => format!("{}{DOTS}{}", chars[0], chars[chars.len() - 1]),
    }
}

/// A subject line with its values masked; formats, separators and issuers (after `@`) kept.
pub fn subject_line(line: &str) -> String {
    let mut after_at = false;
    line.split(' ')
        .map(|word| {
            let keep = word.is_empty() || LINE_WORDS.contains(&word) || after_at;
            after_at = word == "@";
            if keep {
                word.to_owned()
            } else {
                // A list of addresses, `a, b`, is masked one by one.
                let comma = word.ends_with(',');
                let value = word.trim_end_matches(',');
                format!("{}{}", mask(value), if comma { "," } else { "" })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Free text with every email address and every compact JWS (a SET) in it masked.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '<' | '>' | '(' | ')' | '[' | ']') {
            out.push_str(&masked_word(&word));
            word.clear();
            out.push(c);
        } else {
            word.push(c);
        }
    }
    out.push_str(&masked_word(&word));
    out
}

fn masked_word(word: &str) -> String {
    if looks_like_jws(word) {
        "eyJ…(a SET, hidden in presenter mode)".to_owned()
    } else if word.contains('@') && word.rsplit_once('@').is_some_and(|(_, d)| d.contains('.')) {
        mask(word)
    } else {
        word.to_owned()
    }
}

/// A compact JWS: three base64url segments, the first a JSON header.
fn looks_like_jws(word: &str) -> bool {
    word.starts_with("eyJ")
        && word.split('.').count() == 3
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A JSON value with every subject member masked, and every other string as [`text`] masks it.
pub fn json(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if SUBJECT_MEMBERS.contains(&name.as_str()) {
                    mask_all(member);
                } else {
                    json(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json),
        Value::String(s) => *s = text(s),
        _ => {}
    }
}

/// Every string in `value` masked (a subject member that is a list, or an object).
fn mask_all(value: &mut Value) {
    match value {
        Value::String(s) => *s = mask(s),
        Value::Array(items) => items.iter_mut().for_each(mask_all),
        Value::Object(_) => json(value),
        _ => {}
    }
}

/// An HTTP body as shown in presenter mode: JSON masked member by member, anything else as text.
pub fn body(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(mut value) if value.is_object() || value.is_array() => {
            json(&mut value);
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| text(body))
        }
        _ => text(body),
    }
}

/// A filter text as presenter mode shows it: each `subject:` value masked (quoted or not), and
/// every other word as [`text`] masks it.
pub fn filter_text(filter: &str) -> String {
    const FIELD: &str = "subject:";
    filter
        .split(' ')
        .map(|word| {
            let Some(at) = word.to_ascii_lowercase().find(FIELD) else {
                return text(word);
            };
            let (field, rest) = word.split_at(at + FIELD.len());
            // `(subject:"a@b.io")`: the quotes and parentheses around the value are kept.
            let value = rest.trim_start_matches('"');
            let value = value.trim_end_matches([')', '"']);
            let start = rest.len() - rest.trim_start_matches('"').len();
            let (head, tail) = (&rest[..start], &rest[start + value.len()..]);
            format!("{field}{head}{}{tail}", mask(value))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_just_enough_to_tell_them_apart() {
        assert_eq!(mask("alice@example.com"), "a•••@example.com");
        assert_eq!(mask("acct:bob@example.org"), "acct:b•••@example.org");
        assert_eq!(mask("+12065550100"), "+1•••00");
        assert_eq!(mask("user-8812734"), "u•••4");
        assert_eq!(mask("u17"), "•••");
    }

    #[test]
    fn a_subject_line_keeps_formats_and_issuers() {
        assert_eq!(
            subject_line("email alice@example.com"),
            "email a•••@example.com"
        );
        assert_eq!(
            subject_line("sub user-8812734 @ https://idp.example.com"),
            "sub u•••4 @ https://idp.example.com"
        );
        assert_eq!(
            subject_line("user: email a@b.io · device: opaque laptop-42x"),
            "user: email a•••@b.io · device: opaque l•••x"
        );
        assert_eq!(subject_line("-"), "-");
    }

    #[test]
    fn a_filter_text_loses_its_subjects_and_keeps_its_terms() {
        assert_eq!(
            filter_text("subject:alice@example.com type:session-revoked"),
            "subject:a•••@example.com type:session-revoked"
        );
        assert_eq!(
            filter_text(r#"(-Subject:"+12065550100") or bob@example.org"#),
            r#"(-Subject:"+1•••00") or b•••@example.org"#
        );
        assert_eq!(filter_text("subject:user-8812734"), "subject:u•••4");
        assert_eq!(filter_text("verdict:invalid"), "verdict:invalid");
    }

    #[test]
    fn claims_and_bodies_lose_subjects_and_sets() {
        let mut claims = serde_json::json!({
            "iss": "https://tx.example.com",
            "sub_id": {"format": "email", "email": "carol@example.com"},
            "events": {"x": {"reason_admin": {"en": "locked by dave@example.com"}}},
        });
        json(&mut claims);
        assert_eq!(claims["iss"], "https://tx.example.com");
        assert_eq!(claims["sub_id"]["format"], "email");
        assert_eq!(claims["sub_id"]["email"], "c•••@example.com");
        assert_eq!(
            claims["events"]["x"]["reason_admin"]["en"],
            "locked by d•••@example.com"
        );
        let poll = r#"{"sets":{"j1":"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln"}}"#;
        assert!(!body(poll).contains("eyJpc3M"), "{}", body(poll));
        assert_eq!(
            text("Bearer abc eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln"),
            "Bearer abc eyJ…(a SET, hidden in presenter mode)"
        );
    }
}
