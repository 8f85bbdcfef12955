//! The hygiene checks, over every exchange the audit made: an error answer (4xx/5xx) must not
//! echo a secret of the request, and should be a JSON error body.
//!
//! The runtime keeps exchanges scrubbed (`core::secrets`), so an echoed secret shows in a kept
//! body as [`REDACTED`] where the transmitter wrote it; a body not yet scrubbed is checked
//! against the registry itself. Either way the secret is never quoted.

use serde_json::Value;

use super::{Check, Evidence, Group, Outcome, Spec};
use crate::core::exchange::{Exchange, REDACTED};
use crate::core::secrets;

/// `hygiene.error-secrets`.
pub const SECRETS: Spec = Spec {
    id: "hygiene.error-secrets",
    group: Group::Hygiene,
    title: "Error answers echo no secret of the request",
    section: "RFC 6750 §5.3; RFC 8725 §3; SSF §8",
    required: true,
};
/// `hygiene.error-bodies`.
pub const BODIES: Spec = Spec {
    id: "hygiene.error-bodies",
    group: Group::Hygiene,
    title: "Error answers are JSON error bodies",
    section: "SSF §7.2.1; RFC 8935 §2.3; RFC 8936 §2.4.3",
    required: false,
};

fn is_error(exchange: &Exchange) -> bool {
    exchange.status.is_some_and(|s| s >= 400)
}

fn line(exchange: &Exchange) -> String {
    format!(
        "#{} {} {} → {}",
        exchange.id,
        exchange.method,
        exchange.url,
        exchange.status.unwrap_or_default()
    )
}

/// Both hygiene checks over the exchanges.
pub fn checks(exchanges: &[Exchange]) -> Vec<Check> {
    vec![error_secrets(exchanges), error_bodies(exchanges)]
}

/// True when the body holds a secret: scrubbed already (the marker) or by the registry now.
fn echoes_secret(body: &str) -> bool {
    body.contains(REDACTED) || matches!(secrets::scrub(body), std::borrow::Cow::Owned(_))
}

/// `hygiene.error-secrets`: no error answer holds a secret (fail when one does; not
/// applicable when no answer was an error).
pub fn error_secrets(exchanges: &[Exchange]) -> Check {
    let errors: Vec<&Exchange> = exchanges.iter().filter(|e| is_error(e)).collect();
    if errors.is_empty() {
        return SECRETS.outcome(
            Outcome::NotApplicable,
            "no answer was an error",
            Evidence::default(),
        );
    }
    let echoing: Vec<&Exchange> = errors
        .iter()
        .copied()
        .filter(|e| echoes_secret(&e.response_body))
        .collect();
    if echoing.is_empty() {
        let evidence = Evidence::of(errors.iter().map(|e| e.id));
        return SECRETS.outcome(
            Outcome::Pass,
            format!(
                "{}, none echoes a secret",
                super::count(errors.len(), "error answer")
            ),
            evidence,
        );
    }
    let mut evidence = Evidence::of(echoing.iter().map(|e| e.id));
    for exchange in &echoing {
        evidence.fact(format!(
            "{}: a secret of the request in the body (scrubbed here)",
            line(exchange)
        ));
    }
    SECRETS.outcome(
        Outcome::Fail,
        format!(
            "{} of {} error answers echo a secret of the request",
            echoing.len(),
            errors.len()
        ),
        evidence,
    )
}

/// `hygiene.error-bodies`: each error answer a JSON object (pass); one that is empty or not
/// JSON is a warning (the receiver can only show it as text); none: not applicable.
pub fn error_bodies(exchanges: &[Exchange]) -> Check {
    let errors: Vec<&Exchange> = exchanges.iter().filter(|e| is_error(e)).collect();
    if errors.is_empty() {
        return BODIES.outcome(
            Outcome::NotApplicable,
            "no answer was an error",
            Evidence::default(),
        );
    }
    let not_json: Vec<&Exchange> = errors
        .iter()
        .copied()
        .filter(|e| !serde_json::from_str::<Value>(&e.response_body).is_ok_and(|v| v.is_object()))
        .collect();
    if not_json.is_empty() {
        return BODIES.outcome(
            Outcome::Pass,
            format!(
                "{}, each a JSON object",
                super::count(errors.len(), "error answer")
            ),
            Evidence::of(errors.iter().map(|e| e.id)),
        );
    }
    let mut evidence = Evidence::of(not_json.iter().map(|e| e.id));
    for exchange in &not_json {
        let body = exchange.response_body.trim();
        let said = if body.is_empty() {
            "an empty body".to_owned()
        } else {
            format!("\"{}\"", crate::core::json::clip(body))
        };
        evidence.fact(format!("{}: {said}", line(exchange)));
    }
    BODIES.outcome(
        Outcome::Warn,
        format!(
            "{} of {} error answers are not a JSON object",
            not_json.len(),
            errors.len()
        ),
        evidence,
    )
}
