//! Rules on each event of a SET, driven by the catalogue: known type, current URI, required
//! members, value domains, and the CAEP common members' forms.

use serde_json::Value;

use super::Level::{Error, Info, Warning};
use super::{Finding, Profile};
use crate::core::events;

/// Members every event may carry without the catalogue listing them (the in-event subject of
/// older drafts and CAEP/RISC events).
const ALWAYS_ALLOWED: &[&str] = &["subject"];

pub(super) fn event(uri: &str, payload: &Value, profile: Profile, out: &mut Vec<Finding>) {
    let Some(known) = events::lookup(uri) else {
        if profile != Profile::Rfc8417 {
            out.push(Finding::new(
                "event-unknown-type",
                Info,
                "RFC 8417 §2.2",
                format!("{uri} is not in the catalogue; shown by its URI"),
            ));
        }
        return;
    };
    if let Some(current) = known.replaced_by {
        let level = if profile == Profile::SseLegacy {
            Info
        } else {
            Warning
        };
        out.push(Finding::new(
            "event-legacy-uri",
            level,
            known.reference,
            format!("{uri} is a legacy spelling; current specs use {current}"),
        ));
    }
    if known.deprecated {
        out.push(Finding::new(
            "event-deprecated",
            Warning,
            known.reference,
            format!("{} is deprecated by its specification", known.name),
        ));
    }
    let Some(members) = payload.as_object() else {
        return; // reported by the events rule
    };
    for required in known.required {
        if !members.contains_key(*required) {
            out.push(Finding::new(
                "event-member-missing",
                Error,
                known.reference,
                format!("{} requires \"{required}\" in its payload", known.name),
            ));
        }
    }
    for (member, allowed) in known.domains {
        let Some(value) = members.get(*member) else {
            continue;
        };
        match value.as_str() {
            Some(text) if allowed.contains(&text) => {}
            Some(text) => {
                // Some domains also admit "a mutually agreed value" (CAEP §3.3, §3.4).
                let level = if events::is_open_domain(member) {
                    Info
                } else {
                    Warning
                };
                out.push(Finding::new(
                    "event-member-value",
                    level,
                    known.reference,
                    format!(
                        "{}: {member} \"{text}\" is not one of {allowed:?}",
                        known.name
                    ),
                ));
            }
            None => out.push(Finding::new(
                "event-member-value",
                Warning,
                known.reference,
                format!(
                    "{}: {member} should be one of {allowed:?}, found {value}",
                    known.name
                ),
            )),
        }
    }
    for member in members.keys() {
        let listed =
            known.required.contains(&member.as_str()) || known.optional.contains(&member.as_str());
        if !listed && !ALWAYS_ALLOWED.contains(&member.as_str()) {
            out.push(Finding::new(
                "event-member-unknown",
                Info,
                known.reference,
                format!(
                    "{}: member \"{member}\" is not defined for this event (receivers ignore it)",
                    known.name
                ),
            ));
        }
    }
    common_members(known.name, members, out);
}

fn common_members(name: &str, members: &serde_json::Map<String, Value>, out: &mut Vec<Finding>) {
    if let Some(ts) = members.get("event_timestamp") {
        match ts.as_i64() {
            Some(secs) if super::claims::looks_like_millis(secs) => out.push(Finding::new("event-timestamp-millis", Warning, "CAEP 1.0 §2", format!("{name}: event_timestamp {secs} is in milliseconds (pre-2025 examples); CAEP 1.0 uses seconds"))),
            Some(_) => {}
            None => out.push(Finding::new("event-timestamp-type", Error, "CAEP 1.0 §2", format!("{name}: event_timestamp must be a NumericDate (seconds)"))),
        }
    }
    for member in ["reason_admin", "reason_user"] {
        match members.get(member) {
            Some(Value::String(_)) => out.push(Finding::new("reason-language-map", Warning, "CAEP 1.0 §2", format!("{name}: {member} is a plain string (a draft form); CAEP 1.0 wants an object keyed by language tag, e.g. {{\"en\": \"…\"}}"))),
            Some(Value::Object(map)) if map.is_empty() => out.push(Finding::new("reason-language-map", Warning, "CAEP 1.0 §2; CAEP Interop §3", format!("{name}: {member} is empty"))),
            Some(Value::Object(_)) | None => {}
            Some(other) => out.push(Finding::new("reason-language-map", Error, "CAEP 1.0 §2", format!("{name}: {member} must be an object of language tag → text, found {other}"))),
        }
    }
}
