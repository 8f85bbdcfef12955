//! Spec conformance of a SET: the profile it follows (SSF 1.0, an SSF draft, SSE legacy, plain
//! RFC 8417) and findings with a stable rule id, a severity, what is wrong and what the spec wants,
//! and the section that says so. Judged by the profile's own rules; legacy forms are noted.

mod claims;
mod event_members;
pub mod subjects;

use serde::Serialize;
use serde_json::{Map, Value};

use super::time::UnixMillis;

/// How serious a finding is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub enum Level {
    /// Worth knowing (a legacy form, an unknown member).
    Info,
    /// A SHOULD is broken, or something is likely wrong.
    Warning,
    /// A MUST is broken.
    Error,
}

super::vocab::serde_by_name!(Level);

impl Level {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `sub-forbidden`.
    pub rule: &'static str,
    /// Severity.
    pub severity: Level,
    /// What is wrong and what the spec wants.
    pub message: String,
    /// The spec section, e.g. "SSF 1.0 §4.1.2".
    pub reference: &'static str,
}

impl Finding {
    /// Make a finding.
    pub fn new(
        rule: &'static str,
        severity: Level,
        reference: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            message: message.into(),
            reference,
        }
    }
}

/// Which set of rules a SET follows.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum Profile {
    /// SSF 1.0 final (2025).
    #[strum(serialize = "ssf-1.0")]
    Ssf10,
    /// An SSF implementer's draft (2023–2024): SSF URIs, with draft-era forms.
    #[strum(serialize = "ssf-draft")]
    SsfDraft,
    /// SSE Framework ID1 (2021) and RISC-era forms.
    #[strum(serialize = "sse-legacy")]
    SseLegacy,
    /// A SET that is not a Shared Signals event: RFC 8417 rules only.
    #[strum(serialize = "rfc8417")]
    Rfc8417,
}

super::vocab::serde_by_name!(Profile);

impl Profile {
    /// Stable name (JSON output).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The profile with this [`Self::as_str`] name.
    pub fn named(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    /// True for the profiles that SSF's rules apply to (final and drafts).
    pub fn is_ssf(self) -> bool {
        matches!(self, Self::Ssf10 | Self::SsfDraft)
    }
}

/// What the linter knows beyond the SET.
#[derive(Clone, Debug, Default)]
pub struct LintContext {
    /// The issuer the receiver expects (`iss` must equal it).
    pub expected_issuer: Option<String>,
    /// This receiver's audience (`aud` must contain it).
    pub expected_audience: Option<String>,
    /// Now, for `iat` checks.
    pub now: UnixMillis,
}

/// The profile and the findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Detected profile.
    pub profile: Profile,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Level::Error)
    }
}

const SSF_EVENTS: &str = "https://schemas.openid.net/secevent/ssf/event-type/";
const SSE_EVENTS: &str = "https://schemas.openid.net/secevent/sse/event-type/";
const CAEP_EVENTS: &str = "https://schemas.openid.net/secevent/caep/event-type/";
const RISC_EVENTS: &str = "https://schemas.openid.net/secevent/risc/event-type/";
const RISC_HTTP_EVENTS: &str = "http://schemas.openid.net/secevent/risc/event-type/";

fn events_of(claims: &Map<String, Value>) -> Vec<(&String, &Value)> {
    claims
        .get("events")
        .and_then(Value::as_object)
        .map(|events| events.iter().collect())
        .unwrap_or_default()
}

/// Decide which profile a SET follows, from its URIs and the forms it uses.
pub fn detect_profile(claims: &Map<String, Value>) -> Profile {
    let events = events_of(claims);
    let is_shared_signals = |uri: &str| {
        [
            SSF_EVENTS,
            SSE_EVENTS,
            CAEP_EVENTS,
            RISC_EVENTS,
            RISC_HTTP_EVENTS,
        ]
        .iter()
        .any(|base| uri.starts_with(base))
    };
    if !events.iter().any(|(uri, _)| is_shared_signals(uri)) {
        return Profile::Rfc8417;
    }
    let legacy_uri = events
        .iter()
        .any(|(uri, _)| uri.starts_with(SSE_EVENTS) || uri.starts_with(RISC_HTTP_EVENTS));
    let legacy_subject = events.iter().any(|(_, payload)| {
        payload
            .get("subject")
            .is_some_and(|s| s.get("subject_type").is_some())
    });
    if legacy_uri
        || legacy_subject
        || claims
            .get("sub_id")
            .is_some_and(|s| s.get("subject_type").is_some())
    {
        return Profile::SseLegacy;
    }
    let draft_forms = !claims.contains_key("sub_id")
        || claims.get("txn").is_some_and(Value::is_number)
        || events.iter().any(|(_, payload)| {
            ["reason_admin", "reason_user"]
                .iter()
                .any(|m| payload.get(*m).is_some_and(Value::is_string))
                || payload
                    .get("event_timestamp")
                    .and_then(Value::as_i64)
                    .is_some_and(claims::looks_like_millis)
        });
    if draft_forms {
        Profile::SsfDraft
    } else {
        Profile::Ssf10
    }
}

/// Lint a SET. `header` is `None` for a bare claims object.
pub fn lint(
    header: Option<&Map<String, Value>>,
    claims: &Map<String, Value>,
    ctx: &LintContext,
) -> Report {
    let profile = detect_profile(claims);
    let mut findings = Vec::new();
    if let Some(header) = header {
        claims::header(header, profile, &mut findings);
    }
    claims::registered(claims, profile, ctx, &mut findings);
    claims::subject(claims, profile, &mut findings);
    for (uri, payload) in events_of(claims) {
        event_members::event(uri, payload, profile, &mut findings);
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Report { profile, findings }
}
