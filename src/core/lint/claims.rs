//! Rules on the JOSE header and the SET's own claims (RFC 8417 §2.2, SSF §4).

use serde_json::{Map, Value};

use super::Level::{Error, Info, Warning};
use super::subjects;
use super::{Finding, LintContext, Profile};

/// How far in the future `iat` may be before it is flagged (clock skew allowance).
const FUTURE_SKEW_SECS: i64 = 300;
/// How old `iat` may be before it is flagged.
const OLD_AFTER_SECS: i64 = 30 * 86_400;

/// A NumericDate that is really milliseconds (after the year 5138 in seconds).
pub(super) fn looks_like_millis(value: i64) -> bool {
    value > 100_000_000_000
}

pub(super) fn header(header: &Map<String, Value>, profile: Profile, out: &mut Vec<Finding>) {
    match header.get("typ").and_then(Value::as_str) {
        Some(typ)
            if matches!(
                typ.to_ascii_lowercase().as_str(),
                "secevent+jwt" | "application/secevent+jwt"
            ) => {}
        Some(typ) => out.push(Finding::new(
            "typ-explicit",
            if profile.is_ssf() { Error } else { Warning },
            "SSF 1.0 §4.1.1; RFC 8417 §2.3",
            format!("header typ is \"{typ}\"; SETs use explicit typing with \"secevent+jwt\""),
        )),
        None => out.push(Finding::new(
            "typ-explicit",
            match profile {
                Profile::Ssf10 => Error,
                Profile::SsfDraft => Warning,
                Profile::SseLegacy | Profile::Rfc8417 => Info,
            },
            "SSF 1.0 §4.1.1; RFC 8417 §2.3",
            "header has no typ; SSF events MUST use explicit typing (\"secevent+jwt\")",
        )),
    }
    if header
        .get("alg")
        .and_then(Value::as_str)
        .is_some_and(|a| a.eq_ignore_ascii_case("none"))
    {
        out.push(Finding::new(
            "alg-none",
            Error,
            "RFC 8417 §5.1",
            "alg is \"none\": a SET MUST be signed unless its integrity is ensured by other means",
        ));
    }
    for member in ["jku", "x5u", "jwk"] {
        if header.contains_key(member) {
            out.push(Finding::new(
                "header-key-reference",
                Warning,
                "RFC 8725 §3.8, §3.10",
                format!("header has \"{member}\"; a receiver must take keys from the issuer's jwks_uri only, and ignores it"),
            ));
        }
    }
}

pub(super) fn registered(
    claims: &Map<String, Value>,
    profile: Profile,
    ctx: &LintContext,
    out: &mut Vec<Finding>,
) {
    for (name, rule) in [("iss", "claim-iss"), ("jti", "claim-jti")] {
        match claims.get(name) {
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(Value::String(_)) => out.push(Finding::new(
                rule,
                Error,
                "RFC 8417 §2.2",
                format!("{name} is empty"),
            )),
            Some(other) => out.push(Finding::new(
                rule,
                Error,
                "RFC 8417 §2.2",
                format!(
                    "{name} must be a string, found {}",
                    super::super::jose::json_kind(other)
                ),
            )),
            None => out.push(Finding::new(
                rule,
                Error,
                "RFC 8417 §2.2",
                format!("{name} is REQUIRED and missing"),
            )),
        }
    }
    iat(claims, ctx, out);
    events(claims, profile, out);
    if claims.contains_key("sub") && profile.is_ssf() {
        out.push(Finding::new(
            "sub-forbidden",
            Error,
            "SSF 1.0 §4.1.2",
            "sub MUST NOT be present in a SET with an SSF event; use sub_id",
        ));
    }
    if claims.contains_key("exp") {
        let (level, reference, text) = if profile.is_ssf() {
            (Error, "SSF 1.0 §4.1.7", "exp MUST NOT be used in SSF SETs")
        } else {
            (Warning, "RFC 8417 §2.2", "exp is NOT RECOMMENDED in a SET")
        };
        out.push(Finding::new("exp-forbidden", level, reference, text));
    }
    audience(claims, ctx, out);
    if let Some(expected) = &ctx.expected_issuer
        && let Some(iss) = claims.get("iss").and_then(Value::as_str)
        && iss != expected
    {
        out.push(Finding::new(
            "iss-mismatch",
            Error,
            "SSF 1.0 §4.1.6, §7.2.4",
            format!(
                "iss \"{iss}\" is not the expected issuer \"{expected}\" (exact match required)"
            ),
        ));
    }
    match claims.get("txn") {
        Some(Value::String(_)) => {}
        Some(Value::Number(_)) => out.push(Finding::new(
            "txn-type",
            Warning,
            "SSF 1.0 §4.1.9",
            "txn is a number (as in 2024 drafts); SSF 1.0 uses a string",
        )),
        Some(other) => out.push(Finding::new(
            "txn-type",
            Error,
            "SSF 1.0 §4.1.9",
            format!(
                "txn must be a string, found {}",
                super::super::jose::json_kind(other)
            ),
        )),
        None if profile == Profile::Ssf10 => out.push(Finding::new(
            "txn-missing",
            Info,
            "SSF 1.0 §4.1.9",
            "txn SHOULD be set so SETs with the same cause can be correlated",
        )),
        None => {}
    }
}

fn iat(claims: &Map<String, Value>, ctx: &LintContext, out: &mut Vec<Finding>) {
    let Some(iat) = claims.get("iat") else {
        out.push(Finding::new(
            "claim-iat",
            Error,
            "RFC 8417 §2.2",
            "iat is REQUIRED and missing",
        ));
        return;
    };
    let Some(secs) = iat.as_i64().or_else(|| iat.as_f64().map(|f| f as i64)) else {
        out.push(Finding::new(
            "claim-iat",
            Error,
            "RFC 8417 §2.2; RFC 7519 §2",
            format!(
                "iat must be a NumericDate (seconds), found {}",
                super::super::jose::json_kind(iat)
            ),
        ));
        return;
    };
    if looks_like_millis(secs) {
        out.push(Finding::new(
            "iat-millis",
            Error,
            "RFC 7519 §2",
            format!("iat {secs} looks like milliseconds; NumericDate is seconds"),
        ));
        return;
    }
    let now = ctx.now.as_secs();
    // Saturating: iat is the sender's number, i64::MIN included.
    if ctx.now.0 > 0 && secs.saturating_sub(now) > FUTURE_SKEW_SECS {
        out.push(Finding::new(
            "iat-future",
            Warning,
            "RFC 8417 §2.2",
            format!(
                "iat is {} s in the future: the transmitter's clock or the value is wrong",
                secs.saturating_sub(now)
            ),
        ));
    } else if ctx.now.0 > 0 && now.saturating_sub(secs) > OLD_AFTER_SECS {
        out.push(Finding::new(
            "iat-old",
            Info,
            "RFC 8417 §2.2",
            format!(
                "iat is {} days in the past",
                now.saturating_sub(secs) / 86_400
            ),
        ));
    }
}

fn events(claims: &Map<String, Value>, profile: Profile, out: &mut Vec<Finding>) {
    let Some(events) = claims.get("events") else {
        out.push(Finding::new(
            "claim-events",
            Error,
            "RFC 8417 §2.2",
            "events is REQUIRED and missing",
        ));
        return;
    };
    let Some(events) = events.as_object() else {
        out.push(Finding::new(
            "claim-events",
            Error,
            "RFC 8417 §2.2",
            "events must be a JSON object whose members are event-type URIs",
        ));
        return;
    };
    if events.is_empty() {
        out.push(Finding::new(
            "claim-events",
            Error,
            "RFC 8417 §2.2",
            "events must have at least one member",
        ));
    }
    for (uri, payload) in events {
        if !payload.is_object() {
            out.push(Finding::new(
                "event-payload-object",
                Error,
                "RFC 8417 §2.2",
                format!("the payload of {uri} must be a JSON object ({{}} when empty)"),
            ));
        }
    }
    if events.len() > 1 && profile != Profile::Rfc8417 {
        out.push(Finding::new("events-single", Warning, "SSF 1.0 §4.2.1; CAEP Interop 1.0 §2.8.1", format!("events has {} members; a SET SHOULD carry one event (the CAEP interoperability profile: MUST)", events.len())));
    }
}

fn audience(claims: &Map<String, Value>, ctx: &LintContext, out: &mut Vec<Finding>) {
    let audiences: Vec<&str> = match claims.get("aud") {
        None => {
            out.push(Finding::new(
                "aud-missing",
                Info,
                "RFC 8417 §2.2",
                "aud is RECOMMENDED; without it any receiver could accept this SET",
            ));
            return;
        }
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(list)) if list.iter().all(Value::is_string) && !list.is_empty() => {
            list.iter().filter_map(Value::as_str).collect()
        }
        Some(_) => {
            out.push(Finding::new(
                "aud-type",
                Error,
                "RFC 7519 §4.1.3; SSF 1.0 §4.1.8",
                "aud must be a string or a non-empty array of strings",
            ));
            return;
        }
    };
    if let Some(expected) = &ctx.expected_audience
        && !audiences.contains(&expected.as_str())
    {
        out.push(Finding::new(
            "aud-mismatch",
            Error,
            "RFC 8725 §3.9; RFC 8935 §2",
            format!("aud {audiences:?} does not contain this receiver's audience \"{expected}\""),
        ));
    }
}

pub(super) fn subject(claims: &Map<String, Value>, profile: Profile, out: &mut Vec<Finding>) {
    match claims.get("sub_id") {
        Some(sub_id) => subjects::validate(sub_id, "sub_id", out),
        None => {
            let events = super::events_of(claims);
            let in_event = events.iter().any(|(_, p)| p.get("subject").is_some());
            // SSE ID1 verification events had no subject by design.
            let only_legacy_verification = !events.is_empty()
                && events
                    .iter()
                    .all(|(uri, _)| uri.as_str() == crate::core::events::VERIFICATION_SSE);
            if only_legacy_verification {
                return;
            }
            let (level, text) = match profile {
                Profile::Ssf10 => (
                    Error,
                    "sub_id is REQUIRED: the primary subject goes in a top-level sub_id claim",
                ),
                Profile::SsfDraft if in_event => (
                    Warning,
                    "no sub_id: the subject is only inside the event (a pre-2023 draft form); SSF requires sub_id",
                ),
                Profile::SsfDraft => (Error, "sub_id is REQUIRED and there is no subject anywhere"),
                Profile::SseLegacy if in_event => (
                    Info,
                    "no sub_id: the subject is inside the event, as SSE ID1 did",
                ),
                Profile::SseLegacy => (Warning, "no subject at all"),
                Profile::Rfc8417 => return,
            };
            out.push(Finding::new("sub-id-required", level, "SSF 1.0 §3.1", text));
        }
    }
    for (uri, payload) in super::events_of(claims) {
        if let Some(subject) = payload.get("subject") {
            subjects::validate(subject, &format!("events[\"{uri}\"].subject"), out);
        }
    }
}
