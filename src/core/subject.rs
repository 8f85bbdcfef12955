//! Subject identifiers (RFC 9493, SSF §3) rendered as one readable line.

use serde_json::{Map, Value};

/// Complex-subject members in the order SSF §3.3 lists them.
const COMPLEX_MEMBERS: [&str; 7] = [
    "user",
    "device",
    "session",
    "application",
    "tenant",
    "org_unit",
    "group",
];

/// The primary subject of a SET: top-level `sub_id`, else the first event's `subject` (older drafts).
pub fn primary_subject(claims: &Map<String, Value>) -> Option<&Value> {
    if let Some(sub_id) = claims.get("sub_id") {
        return Some(sub_id);
    }
    claims
        .get("events")
        .and_then(Value::as_object)
        .and_then(|events| events.values().find_map(|payload| payload.get("subject")))
}

/// The subject of a SET on one line: `sub_id` (or the in-event `subject` of older drafts), else
/// the JWT `sub` (and `sid` of logout tokens) that plain RFC 8417 SETs use; `-` when none.
pub fn subject_line(claims: &Map<String, Value>) -> String {
    if let Some(subject) = primary_subject(claims) {
        return describe(subject);
    }
    let named: Vec<String> = ["sub", "sid"]
        .iter()
        .filter_map(|claim| {
            claims
                .get(*claim)
                .and_then(Value::as_str)
                .map(|v| format!("{claim} {v}"))
        })
        .collect();
    if named.is_empty() {
        "-".to_owned()
    } else {
        named.join(" · ")
    }
}

/// One line for a subject identifier, e.g. `email alice@example.com` or `user: email a@b · device: opaque d1`.
pub fn describe(subject: &Value) -> String {
    let Some(obj) = subject.as_object() else {
        return subject.to_string();
    };
    // Old drafts say `subject_type`; RFC 9493 says `format`.
    let format = obj
        .get("format")
        .or_else(|| obj.get("subject_type"))
        .and_then(Value::as_str);
    let s = |name: &str| obj.get(name).and_then(Value::as_str).unwrap_or("?");
    match format {
        Some("email") => format!("email {}", s("email")),
        Some("phone_number" | "phone" | "phone-number") => format!("phone {}", s("phone_number")),
        Some("iss_sub" | "iss-sub") => format!("sub {} @ {}", s("sub"), s("iss")),
        Some("opaque") => format!("opaque {}", s("id")),
        Some("account") => format!("account {}", s("uri")),
        Some("did") => format!("did {}", s("url")),
        Some("uri") => format!("uri {}", s("uri")),
        Some("jwt_id" | "jwt-id") => format!("jwt {} @ {}", s("jti"), s("iss")),
        Some("saml_assertion_id" | "saml-assertion-id") => {
            format!("saml {} @ {}", s("assertion_id"), s("issuer"))
        }
        Some("ip-addresses" | "ip_addresses") => {
            let list = obj
                .get("ip-addresses")
                .and_then(Value::as_array)
                .map(|ips| join_strings(ips));
            format!("ip {}", list.unwrap_or_else(|| "?".to_owned()))
        }
        Some("aliases") => {
            let ids = obj.get("identifiers").and_then(Value::as_array);
            let parts: Vec<String> = ids.into_iter().flatten().map(describe).collect();
            format!("aliases [{}]", parts.join(" = "))
        }
        Some("complex") | None if has_complex_member(obj) => describe_complex(obj),
        Some(other) => format!("{other} {}", compact_members(obj)),
        None => compact_members(obj),
    }
}

fn has_complex_member(obj: &Map<String, Value>) -> bool {
    obj.values().any(Value::is_object)
}

fn describe_complex(obj: &Map<String, Value>) -> String {
    let mut parts: Vec<String> = COMPLEX_MEMBERS
        .iter()
        .filter_map(|m| obj.get(*m).map(|v| format!("{m}: {}", describe(v))))
        .collect();
    let mut others: Vec<(&String, &Value)> = obj
        .iter()
        .filter(|(k, v)| v.is_object() && !COMPLEX_MEMBERS.contains(&k.as_str()))
        .collect();
    others.sort_by_key(|(k, _)| *k);
    parts.extend(
        others
            .into_iter()
            .map(|(k, v)| format!("{k}: {}", describe(v))),
    );
    parts.join(" · ")
}

fn compact_members(obj: &Map<String, Value>) -> String {
    let mut parts: Vec<String> = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "format" && k.as_str() != "subject_type")
        .map(|(k, v)| match v.as_str() {
            Some(text) => format!("{k}={text}"),
            None => format!("{k}={v}"),
        })
        .collect();
    parts.sort();
    parts.join(" ")
}

fn join_strings(values: &[Value]) -> String {
    let texts: Vec<String> = values
        .iter()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .collect();
    texts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_each_format_on_one_line() {
        let cases = [
            (
                json!({"format":"email","email":"a@example.com"}),
                "email a@example.com",
            ),
            (
                json!({"format":"phone_number","phone_number":"+12065550100"}),
                "phone +12065550100",
            ),
            (
                json!({"format":"iss_sub","iss":"https://i","sub":"42"}),
                "sub 42 @ https://i",
            ),
            (json!({"format":"opaque","id":"s1"}), "opaque s1"),
            (
                json!({"subject_type":"iss-sub","iss":"https://i","sub":"7"}),
                "sub 7 @ https://i",
            ),
            (
                json!({"format":"complex","user":{"format":"email","email":"u@x"},"device":{"format":"opaque","id":"d"}}),
                "user: email u@x · device: opaque d",
            ),
            (
                json!({"format":"catalog_item","catalog_id":"c","item_id":"i"}),
                "catalog_item catalog_id=c item_id=i",
            ),
        ];
        for (subject, expected) in cases {
            assert_eq!(describe(&subject), expected, "{subject}");
        }
    }
}

/// The Subject Identifier back from its one line, for the simple formats [`describe`] writes
/// (`email a@b`, `phone +1…`, `opaque id`, `sub s @ iss`, `account acct:…`, `uri …`, `did …`);
/// `None` for complex subjects, aliases and anything else.
pub fn from_line(line: &str) -> Option<Value> {
    let (format, rest) = line.split_once(' ')?;
    let rest = rest.trim();
    if rest.is_empty() || rest.contains(" · ") {
        return None;
    }
    let one = |format: &str, member: &str| {
        let mut subject = Map::new();
        subject.insert("format".to_owned(), Value::from(format));
        subject.insert(member.to_owned(), Value::from(rest));
        Some(Value::Object(subject))
    };
    match format {
        "email" => one("email", "email"),
        "phone" => one("phone_number", "phone_number"),
        "opaque" => one("opaque", "id"),
        "account" => one("account", "uri"),
        "uri" => one("uri", "uri"),
        "did" => one("did", "url"),
        "sub" => {
            let (sub, iss) = rest.split_once(" @ ")?;
            Some(serde_json::json!({"format": "iss_sub", "iss": iss, "sub": sub}))
        }
        _ => None,
    }
}

#[cfg(test)]
mod from_line_tests {
    use super::*;

    #[test]
    fn simple_subjects_come_back_from_their_line() {
        for subject in [
            serde_json::json!({"format": "email", "email": "alice@example.com"}),
            serde_json::json!({"format": "opaque", "id": "u-17"}),
            serde_json::json!({"format": "iss_sub", "iss": "https://idp.example", "sub": "u7"}),
            serde_json::json!({"format": "phone_number", "phone_number": "+12065550100"}),
        ] {
            assert_eq!(from_line(&describe(&subject)), Some(subject.clone()));
        }
        assert_eq!(from_line("-"), None);
        assert_eq!(from_line("user: email a@b · device: opaque d"), None);
    }
}
