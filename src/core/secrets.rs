//! Secret values the receiver holds (management tokens, client secrets, push authorization,
//! OAuth access tokens), scrubbed by value from every text it writes or shows: exchanges,
//! notices, connection details, alerts, the record, logs. A transmitter that echoes a request
//! in its error body cannot make the receiver repeat a secret, JSON or not.
//!
//! The set is process-wide: a value registered by one session is scrubbed everywhere.

use std::borrow::Cow;
use std::sync::OnceLock;

use parking_lot::RwLock;

use serde_json::Value;

use super::exchange::REDACTED;
use super::stream::Connection;
use super::update::Update;

/// Values shorter than this are not scrubbed (they would blank ordinary words); a secret
/// this short is no secret.
pub const MIN_SECRET_LEN: usize = 4;

fn set() -> &'static RwLock<Vec<String>> {
    static SET: OnceLock<RwLock<Vec<String>>> = OnceLock::new();
    SET.get_or_init(RwLock::default)
}

/// Remember a secret value, and its credential part when it is `Scheme credential`
/// (`Bearer abc` → `abc` too), so either form is scrubbed; with each, the forms it takes
/// percent-encoded (see [`percent_forms`]).
pub fn register(value: &str) {
    let mut forms = vec![value.trim().to_owned()];
    if let Some((scheme, credential)) = value.trim().split_once(' ')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        forms.push(credential.trim().to_owned());
    }
    let derived: Vec<String> = forms.iter().flat_map(|form| percent_forms(form)).collect();
    forms.extend(derived);
    let mut secrets = set().write();
    for form in forms {
        if form.len() >= MIN_SECRET_LEN && !secrets.contains(&form) {
            secrets.push(form);
        }
    }
    // Longest first, so a value containing another is replaced whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

/// The forms `secret` takes percent-encoded (a query string, a form body, a URL echoed back):
/// RFC 3986's unreserved characters kept, or JavaScript's `encodeURIComponent` set; hex in
/// upper or lower case; a space as `%20` or `+`. Those equal to the secret are left out.
pub fn percent_forms(secret: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for extra_kept in ["", "!'()*"] {
        for upper in [true, false] {
            for plus in [false, true] {
                let mut form = String::with_capacity(secret.len() * 3);
                for byte in secret.bytes() {
                    let c = char::from(byte);
                    if c.is_ascii_alphanumeric() || "-._~".contains(c) || extra_kept.contains(c) {
                        form.push(c);
                    } else if plus && byte == b' ' {
                        form.push('+');
                    } else if upper {
                        form.push_str(&format!("%{byte:02X}"));
                    } else {
                        form.push_str(&format!("%{byte:02x}"));
                    }
                }
                if form != secret && !out.contains(&form) {
                    out.push(form);
                }
            }
        }
    }
    out
}

/// The text with every registered secret replaced by [`REDACTED`], in any form a JSON string
/// can hold it (`\"`, `\\`, `\/`, `\u00e9`, `\u003c`: whatever the encoder escaped) and
/// percent-encoded.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let secrets = set().read();
    scrub_with(text, &secrets)
}

fn scrub_with<'t>(text: &'t str, secrets: &[String]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
        }
    }
    if out.contains('\\')
        && let Some(clean) = scrub_escaped_literals(&out, secrets)
    {
        out = Cow::Owned(clean);
    }
    out
}

/// Every JSON string literal of `text` that has an escape is decoded; one that holds a secret
/// once decoded is written back scrubbed (JSON-escaped again). `None` when none changed.
fn scrub_escaped_literals(text: &str, secrets: &[String]) -> Option<String> {
    super::json::rewrite_string_literals(text, |literal, escaped, _name| {
        if !escaped {
            return None;
        }
        let decoded = serde_json::from_str::<String>(literal).ok()?;
        match scrub_with(&decoded, secrets) {
            Cow::Owned(clean) => Some(Value::from(clean).to_string()),
            Cow::Borrowed(_) => None,
        }
    })
}

/// Scrub an owned string in place.
pub fn scrub_string(text: &mut String) {
    if let Cow::Owned(clean) = scrub(text) {
        *text = clean;
    }
}

/// Scrub every string in a JSON value (member names included).
pub fn scrub_json(value: &mut Value) {
    match value {
        Value::String(text) => scrub_string(text),
        Value::Array(items) => items.iter_mut().for_each(scrub_json),
        Value::Object(members) => {
            let dirty = members.keys().any(|k| matches!(scrub(k), Cow::Owned(_)));
            if dirty {
                let taken = std::mem::take(members);
                for (name, mut member) in taken {
                    scrub_json(&mut member);
                    members.insert(scrub(&name).into_owned(), member);
                }
            } else {
                members.values_mut().for_each(scrub_json);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// An update with every text scrubbed: notices, operations' outcomes, connection details,
/// status reasons and values, key errors, configurations and metadata as read, verification
/// errors, why a stream is gone, replaced streams.
/// SETs and exchanges pass as they are (an exchange is scrubbed when it is kept).
pub fn scrub_update(mut update: Update) -> Update {
    match &mut update {
        Update::Notice { text, .. }
        | Update::Connection {
            connection:
                Connection::Failed(text) | Connection::Declined(text) | Connection::Connecting(text),
            ..
        }
        | Update::KeysUnreachable { error: text, .. }
        | Update::VerificationFailed { error: text, .. }
        | Update::StreamGone { why: text, .. }
        | Update::UnknownStatus { value: text, .. }
        | Update::Status {
            reason: Some(text), ..
        }
        | Update::OpOutcome(super::stream_op::OpOutcome {
            result: Ok(text) | Err(text),
            ..
        }) => scrub_string(text),
        Update::StreamConfig { config, .. } => {
            // The push `authorization_header` is a credential whoever chose it (the receiver,
            // or a transmitter that makes its own): never shown, by name as well as by value.
            super::exchange::redact_members(config);
            scrub_json(config);
        }
        Update::Metadata { document, .. } => scrub_json(document),
        Update::StreamsReplaced { replaced, .. } => replaced.iter_mut().for_each(scrub_string),
        Update::Pasted(pasted) => {
            if let super::pasted::PastedKeys::Failed { why, .. } = &mut pasted.keys {
                scrub_string(why);
            }
        }
        Update::Replayed(outcome) => {
            scrub_string(&mut outcome.body);
            scrub_string(&mut outcome.url);
            if let Some(error) = &mut outcome.error {
                scrub_string(error);
            }
        }
        Update::ConnectionTest(test) => {
            for step in &mut test.steps {
                use super::connection_test::StepOutcome;
                match &mut step.outcome {
                    StepOutcome::Passed(text)
                    | StepOutcome::Failed(text)
                    | StepOutcome::Skipped(text) => scrub_string(text),
                    StepOutcome::Running => {}
                }
            }
        }
        Update::Opened { update, .. } => match update {
            super::update::OpenedUpdate::Contents(inner) => {
                let taken = std::mem::replace(inner.as_mut(), Update::Reloading { total: 0 });
                **inner = scrub_update(taken);
            }
            super::update::OpenedUpdate::Problem(text)
            | super::update::OpenedUpdate::Failed(text) => scrub_string(text),
            _ => {}
        },
        _ => {}
    }
    update
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registered_secret_is_scrubbed_in_any_form() {
        register("Bearer s3cr3t-value-for-scrub-test");
        let text = "error: bad request; Authorization: Bearer s3cr3t-value-for-scrub-test";
        assert_eq!(scrub(text), "error: bad request; Authorization: <redacted>");
        let bare = "token=s3cr3t-value-for-scrub-test&x=1";
        assert_eq!(scrub(bare), "token=<redacted>&x=1");
        let mut json = serde_json::json!({"echo": {"h": "Bearer s3cr3t-value-for-scrub-test"}});
        scrub_json(&mut json);
        assert_eq!(json["echo"]["h"], "<redacted>");
        assert_eq!(scrub("nothing here"), "nothing here");
        register("ab");
        assert_eq!(scrub("abc"), "abc", "too short to be a secret");
    }

    #[test]
    fn what_an_opened_file_tells_is_scrubbed_as_the_live_updates_are() {
        use super::super::update::OpenedUpdate;
        register("opened-file-s3cret-for-scrub-test");
        let opened = |update| Update::Opened { id: 1, update };
        let said = |update: Update| format!("{:?}", scrub_update(update));
        let failed = opened(OpenedUpdate::Failed(
            "cannot open /tmp/opened-file-s3cret-for-scrub-test.jsonl".to_owned(),
        ));
        let notice = opened(OpenedUpdate::Contents(Box::new(Update::Notice {
            level: super::super::update::NoticeLevel::Error,
            text: "echo: opened-file-s3cret-for-scrub-test".to_owned(),
        })));
        for update in [failed, notice] {
            let text = said(update);
            assert!(!text.contains("opened-file-s3cret"), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
        }
    }

    #[test]
    fn a_json_escaped_secret_is_scrubbed() {
        register("quote\"d-secret-for-test");
        let body = serde_json::json!({"a": "quote\"d-secret-for-test"}).to_string();
        assert!(
            !scrub(&body).contains("d-secret-for-test"),
            "{}",
            scrub(&body)
        );
    }

    #[test]
    fn a_secret_escaped_by_any_json_encoder_is_scrubbed() {
        let secret = "p\u{e9}ss<w>rd/\"q\\-long-enough-for-escapes";
        register(secret);
        // serde's escaping, ASCII-only (Python), HTML-safe (Go), escaped slashes (PHP), and
        // upper-case hex: each written back as one scrubbed literal.
        for literal in [
            serde_json::to_string(secret).expect("a string"),
            r#""p\u00e9ss\u003cw\u003erd\/\"q\\-long-enough-for-escapes""#.to_owned(),
            r#""p\u00E9ss\u003Cw\u003Erd/\u0022q\u005c-long-enough-for-escapes""#.to_owned(),
        ] {
            let body = format!(r#"{{"request":{{"authorization_header":{literal}}},"n":1}}"#);
            let clean = scrub(&body);
            assert_eq!(
                clean, r#"{"request":{"authorization_header":"<redacted>"},"n":1}"#,
                "{body}"
            );
        }
        // Inside a JSON document carried as a string (escaped twice).
        let inner = serde_json::json!({"authorization_header": secret}).to_string();
        let twice = serde_json::json!({"echo": inner}).to_string();
        assert!(
            !scrub(&twice).contains("long-enough-for-escapes"),
            "{}",
            scrub(&twice)
        );
        // A literal that is not valid JSON is left as it was.
        assert_eq!(scrub(r#""bad \x escape""#), r#""bad \x escape""#);
    }

    #[test]
    fn a_percent_encoded_secret_is_scrubbed() {
        register("Bearer form+encoded secret/with=signs!");
        for text in [
            "q=form%2Bencoded%20secret%2Fwith%3Dsigns%21&x=1",
            "q=form%2bencoded+secret%2fwith%3dsigns%21&x=1",
            "q=form%2Bencoded%20secret%2Fwith%3Dsigns!&x=1",
        ] {
            assert_eq!(scrub(text), "q=<redacted>&x=1", "{text}");
        }
    }
}
