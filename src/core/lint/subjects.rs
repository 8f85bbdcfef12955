//! Subject identifiers checked per format (RFC 9493 §3, SSF §3): required members present and
//! non-empty, no undescribed members, values in their format (E.164, `acct:`, DID, IP, …).

use serde_json::{Map, Value};

use super::Finding;
use super::Level::{Error, Info, Warning};

/// (format, required members, reference).
const FORMATS: &[(&str, &[&str], &str)] = &[
    ("account", &["uri"], "RFC 9493 §3.2.1"),
    ("email", &["email"], "RFC 9493 §3.2.2"),
    ("iss_sub", &["iss", "sub"], "RFC 9493 §3.2.3"),
    ("opaque", &["id"], "RFC 9493 §3.2.4"),
    ("phone_number", &["phone_number"], "RFC 9493 §3.2.5"),
    ("did", &["url"], "RFC 9493 §3.2.6"),
    ("uri", &["uri"], "RFC 9493 §3.2.7"),
    ("aliases", &["identifiers"], "RFC 9493 §3.2.8"),
    ("jwt_id", &["iss", "jti"], "SSF 1.0 §3.5.1"),
    (
        "saml_assertion_id",
        &["issuer", "assertion_id"],
        "SSF 1.0 §3.5.2",
    ),
    ("ip-addresses", &["ip-addresses"], "SSF 1.0 §3.5.3"),
];

/// Old spellings and the RFC 9493 / SSF name that replaced them.
const LEGACY_NAMES: &[(&str, &str)] = &[
    ("iss-sub", "iss_sub"),
    ("phone", "phone_number"),
    ("phone-number", "phone_number"),
    ("jwt-id", "jwt_id"),
    ("saml-assertion-id", "saml_assertion_id"),
];

/// Validate the subject at `path` (e.g. `sub_id`), adding findings.
pub fn validate(subject: &Value, path: &str, out: &mut Vec<Finding>) {
    let Some(obj) = subject.as_object() else {
        out.push(Finding::new(
            "subject-object",
            Error,
            "RFC 9493 §3",
            format!("{path} must be a JSON object (a Subject Identifier)"),
        ));
        return;
    };
    let format = match (obj.get("format"), obj.get("subject_type")) {
        (Some(Value::String(f)), _) => Some(f.as_str()),
        (None, Some(Value::String(f))) => {
            out.push(Finding::new(
                "subject-legacy-format",
                Warning,
                "RFC 9493 §3",
                format!("{path} says subject_type (an old draft name); RFC 9493 calls it format"),
            ));
            Some(f.as_str())
        }
        (Some(_), _) | (None, Some(_)) => {
            out.push(Finding::new(
                "subject-format-missing",
                Error,
                "RFC 9493 §3",
                format!("{path}: format must be a string"),
            ));
            return;
        }
        (None, None) => None,
    };
    let format = format.map(|f| match LEGACY_NAMES.iter().find(|(old, _)| *old == f) {
        Some((old, new)) => {
            out.push(Finding::new(
                "subject-legacy-format",
                Warning,
                "RFC 9493 §3.2; SSF 1.0 §3",
                format!("{path}: format \"{old}\" is a draft spelling of \"{new}\""),
            ));
            *new
        }
        None => f,
    });
    match format {
        Some("complex") => complex(obj, path, out),
        None if obj.values().any(Value::is_object) => {
            out.push(Finding::new(
                "subject-complex-format",
                Warning,
                "SSF 1.0 §3.3",
                format!(
                    "{path} is a complex subject without \"format\": \"complex\" (an SSE ID1 form)"
                ),
            ));
            complex(obj, path, out);
        }
        None => out.push(Finding::new(
            "subject-format-missing",
            Error,
            "RFC 9493 §3",
            format!("{path} has no format"),
        )),
        Some(format) => simple(obj, format, path, out),
    }
}

fn complex(obj: &Map<String, Value>, path: &str, out: &mut Vec<Finding>) {
    let members: Vec<(&String, &Value)> = obj
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "format" | "subject_type"))
        .collect();
    if members.is_empty() {
        out.push(Finding::new(
            "subject-member-missing",
            Error,
            "SSF 1.0 §3.3",
            format!("{path} is a complex subject with no members"),
        ));
    }
    for (name, member) in members {
        validate(member, &format!("{path}.{name}"), out);
    }
}

fn simple(obj: &Map<String, Value>, format: &str, path: &str, out: &mut Vec<Finding>) {
    let Some((_, required, reference)) = FORMATS.iter().find(|(f, _, _)| *f == format) else {
        out.push(Finding::new("subject-format-proprietary", Info, "RFC 9493 §3; SSF 1.0 §3.4", format!("{path}: format \"{format}\" is not registered; it is fine between parties that agreed on it")));
        return;
    };
    // The SSF remove-subject example spells phone_number's format "phone" but keeps the member.
    for member in *required {
        match obj.get(*member) {
            None => out.push(Finding::new(
                "subject-member-missing",
                Error,
                reference,
                format!("{path}: format {format} requires \"{member}\""),
            )),
            Some(Value::String(s)) if s.trim().is_empty() => out.push(Finding::new(
                "subject-member-empty",
                Error,
                reference,
                format!("{path}.{member} is empty"),
            )),
            Some(Value::Array(a)) if a.is_empty() => out.push(Finding::new(
                "subject-member-empty",
                Error,
                reference,
                format!("{path}.{member} is an empty array"),
            )),
            Some(_) => {}
        }
    }
    for name in obj.keys() {
        if !required.contains(&name.as_str()) && !matches!(name.as_str(), "format" | "subject_type")
        {
            out.push(Finding::new("subject-member-extra", Warning, "RFC 9493 §3", format!("{path}.{name} is not a member of format {format}; a Subject Identifier MUST NOT contain undescribed members")));
        }
    }
    let text = |member: &str| obj.get(member).and_then(Value::as_str);
    match format {
        "email" => check(
            text("email").is_none_or(is_email),
            out,
            reference,
            format!("{path}.email is not an addr-spec (local@domain)"),
        ),
        "phone_number" => check(
            text("phone_number").is_none_or(is_e164),
            out,
            reference,
            format!(
                "{path}.phone_number is not E.164 (\"+\" then up to 15 digits, e.g. +12065550100)"
            ),
        ),
        "account" => check(
            text("uri").is_none_or(|u| u.starts_with("acct:") && u.contains('@')),
            out,
            reference,
            format!("{path}.uri must be an acct: URI (acct:user@host)"),
        ),
        "did" => check(
            text("url").is_none_or(|u| u.starts_with("did:")),
            out,
            reference,
            format!("{path}.url must be a DID or DID URL (did:method:…)"),
        ),
        "uri" => check(
            text("uri").is_none_or(has_scheme),
            out,
            reference,
            format!("{path}.uri must be an absolute URI"),
        ),
        "ip-addresses" => {
            let bad = obj
                .get("ip-addresses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|ip| {
                    ip.as_str()
                        .is_none_or(|s| s.parse::<std::net::IpAddr>().is_err())
                });
            check(
                !bad,
                out,
                reference,
                format!("{path}.ip-addresses must hold IPv4 or IPv6 address strings"),
            );
        }
        "aliases" => aliases(obj, path, out),
        _ => {}
    }
}

fn check(ok: bool, out: &mut Vec<Finding>, reference: &'static str, message: String) {
    if !ok {
        out.push(Finding::new("subject-value", Error, reference, message));
    }
}

fn aliases(obj: &Map<String, Value>, path: &str, out: &mut Vec<Finding>) {
    let Some(identifiers) = obj.get("identifiers").and_then(Value::as_array) else {
        return;
    };
    for (i, identifier) in identifiers.iter().enumerate() {
        let inner = format!("{path}.identifiers[{i}]");
        if identifier.get("format").and_then(Value::as_str) == Some("aliases") {
            out.push(Finding::new(
                "subject-aliases-nested",
                Error,
                "RFC 9493 §3.2.8",
                format!("{inner} is an aliases identifier inside aliases, which is not allowed"),
            ));
        } else {
            validate(identifier, &inner, out);
        }
    }
}

fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !email.chars().any(char::is_whitespace)
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (1..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

fn has_scheme(uri: &str) -> bool {
    uri.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}
