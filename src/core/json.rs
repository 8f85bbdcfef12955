//! Small readers for untrusted JSON documents (metadata, stream configurations, SETs).

use serde_json::Value;

/// The string members of an array member (`[]` when absent or not an array; non-strings skipped).
pub fn string_list(object: &Value, member: &str) -> Vec<String> {
    object
        .get(member)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A string member, owned.
pub fn string(object: &Value, member: &str) -> Option<String> {
    object
        .get(member)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_lists_and_strings_leniently() {
        let doc = json!({"a": ["x", 1, "y"], "s": "v", "n": 3});
        assert_eq!(string_list(&doc, "a"), ["x", "y"]);
        assert!(string_list(&doc, "s").is_empty());
        assert_eq!(string(&doc, "s").as_deref(), Some("v"));
        assert_eq!(string(&doc, "n"), None);
    }
}

/// Most characters of a received value quoted back in an error text (an RFC 8935 error answer,
/// a verification detail): the rest is counted, not echoed.
pub const QUOTED_CHARS: usize = 100;

/// `text` as it may be quoted back: whole when short, else its first [`QUOTED_CHARS`]
/// characters and how many bytes it has in all.
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => {
            std::borrow::Cow::Owned(format!("{}… ({} bytes in all)", &text[..cut], text.len()))
        }
    }
}

#[cfg(test)]
mod clip_tests {
    use super::*;

    #[test]
    fn long_values_are_cut_and_counted_short_ones_kept() {
        assert_eq!(clip("ES256"), "ES256");
        let long = "é".repeat(5000);
        let clipped = clip(&long);
        assert!(clipped.starts_with(&"é".repeat(QUOTED_CHARS)));
        assert!(clipped.ends_with("… (10000 bytes in all)"), "{clipped}");
        assert_eq!(clip(&"x".repeat(QUOTED_CHARS)).len(), QUOTED_CHARS);
    }
}

/// `text` with each JSON string literal (quotes included) that `rewrite` answers for replaced by
/// that answer, in one pass; `None` when none was. `rewrite` gets the literal, whether it holds
/// an escape, and whether it is a member name (a `:` follows). Works on any text: quotes are
/// paired as a JSON reader pairs them, and an unclosed one ends the search.
pub fn rewrite_string_literals(
    text: &str,
    mut rewrite: impl FnMut(&str, bool, bool) -> Option<String>,
) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'"'))
    {
        let start = at + offset;
        let mut end = start + 1;
        let mut escaped = false;
        while let Some(&byte) = bytes.get(end) {
            match byte {
                b'\\' => {
                    escaped = true;
                    end += 1;
                }
                b'"' => break,
                _ => {}
            }
            end += 1;
        }
        let Some(literal) = text.get(start..=end) else {
            break;
        };
        let name = bytes
            .get(end + 1..)
            .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
            == Some(&b':');
        if let Some(replacement) = rewrite(literal, escaped, name) {
            out.push_str(&text[copied..start]);
            out.push_str(&replacement);
            copied = end + 1;
        }
        at = end + 1;
    }
    (copied > 0).then(|| {
        out.push_str(&text[copied..]);
        out
    })
}
