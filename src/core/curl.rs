//! *Copy as curl*: an exchange's request as one shell command that sends it again, with every
//! credential a placeholder (`$SSF_AUTHORIZATION`, `$SSF_SECRET`) the person sets, never its
//! value. Built from the redacted exchange, redacted and scrubbed once more here, so a secret
//! that reached a body or a header some other way is not in the text either.

use super::exchange::{REDACTED, is_credential_header, redact_body};
use super::secrets::scrub;

/// What a credential in a body, the URL or an ordinary header becomes.
pub const SECRET_PLACEHOLDER: &str = "$SSF_SECRET";

/// Headers curl writes itself from what it sends; copying them would contradict it.
const COMPUTED_HEADERS: [&str; 3] = ["host", "content-length", "transfer-encoding"];

/// The curl command that repeats `exchange`'s request: method, URL, headers (a credential
/// header as `$SSF_<NAME>`, e.g. `Authorization: $SSF_AUTHORIZATION`) and body, one option a
/// line. Every registered secret and every credential member of a JSON body is a placeholder.
pub fn curl_command(exchange: &super::exchange::Exchange) -> String {
    let mut lines = vec![format!(
        "curl -sS -i -X {} {}",
        shell_word(&exchange.method),
        quoted(&exchange.url)
    )];
    for (name, value) in &exchange.request_headers {
        let name = name.trim();
        if COMPUTED_HEADERS
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            continue;
        }
        if is_credential_header(name) {
            lines.push(format!(
                "-H {}\"{}\"",
                quoted(&format!("{name}: ")),
                header_placeholder(name)
            ));
        } else {
            lines.push(format!("-H {}", quoted(&format!("{name}: {value}"))));
        }
    }
    if !exchange.request_body.is_empty() {
        let mut body = exchange.request_body.clone();
        redact_body(&mut body);
        lines.push(format!("--data-raw {}", quoted(&body)));
    }
    lines.join(" \\\n  ")
}

/// `$SSF_AUTHORIZATION` for `Authorization`, `$SSF_PROXY_AUTHORIZATION`, `$SSF_COOKIE`.
fn header_placeholder(name: &str) -> String {
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("$SSF_{upper}")
}

/// `text` scrubbed, single-quoted for a POSIX shell; each redacted value is written as
/// `"$SSF_SECRET"` between the quotes, so the shell puts the variable there.
fn quoted(text: &str) -> String {
    let clean = scrub(text);
    let mut out = String::with_capacity(clean.len() + 2);
    for (index, part) in clean.split(REDACTED).enumerate() {
        if index > 0 {
            out.push_str(&format!("\"{SECRET_PLACEHOLDER}\""));
        }
        if !part.is_empty() {
            out.push_str(&single_quoted(part));
        }
    }
    if out.is_empty() {
        out.push_str("''");
    }
    out
}

/// `'text'`, a `'` inside written as `'\''`.
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A method is a token (RFC 9110 §5.6.2); anything else is quoted.
fn shell_word(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric()) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::exchange::Exchange;
    use crate::core::time::UnixMillis;

    fn exchange(headers: &[(&str, &str)], body: &str) -> Exchange {
        Exchange {
            id: 3,
            at: UnixMillis(0),
            stream: None,
            method: "POST".to_owned(),
            url: "https://tx.example/ssf/streams".to_owned(),
            status: Some(201),
            request_headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            request_body: body.to_owned(),
            response_headers: Vec::new(),
            response_body: String::new(),
            duration_millis: 1,
        }
    }

    #[test]
    fn credentials_become_placeholders() {
        let sent = exchange(
            &[
                ("Authorization", "Bearer tok-curl-1"),
                ("Content-Type", "application/json"),
                ("Content-Length", "40"),
            ],
            r#"{"delivery":{"authorization_header":"Bearer push-curl-2"},"description":"it's"}"#,
        );
        let text = curl_command(&sent);
        assert_eq!(
            text,
            "curl -sS -i -X POST 'https://tx.example/ssf/streams' \\\n  \
             -H 'Authorization: '\"$SSF_AUTHORIZATION\" \\\n  \
             -H 'Content-Type: application/json' \\\n  \
             --data-raw '{\"delivery\":{\"authorization_header\":\"'\"$SSF_SECRET\"'\"},\
             \"description\":\"it'\\''s\"}'"
        );
        assert!(!text.contains("tok-curl-1") && !text.contains("push-curl-2"));
    }

    #[test]
    fn a_registered_secret_never_appears_even_in_a_plain_body() {
        let secret = "curl-registered-s3cret-value";
        crate::core::secrets::register(secret);
        let sent = exchange(
            &[("X-Echo", secret)],
            &format!("token={secret}&note=plain {secret}"),
        );
        let mut sent = sent;
        sent.url = format!("https://tx.example/ssf/poll?key={secret}");
        let text = curl_command(&sent);
        assert!(!text.contains(secret), "{text}");
        assert!(
            text.ends_with("--data-raw 'token='\"$SSF_SECRET\"'&note=plain '\"$SSF_SECRET\""),
            "{text}"
        );
        assert!(text.contains("-H 'X-Echo: '\"$SSF_SECRET\" \\"), "{text}");
    }

    #[test]
    fn a_get_without_body_has_no_data() {
        let mut read = exchange(&[], "");
        read.method = "GET".to_owned();
        assert_eq!(
            curl_command(&read),
            "curl -sS -i -X GET 'https://tx.example/ssf/streams'"
        );
    }
}
