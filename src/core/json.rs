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
