//! The metadata checks (SSF §7): where the document was found, its `issuer`, its URLs, its
//! members and their types, `spec_version`, delivery methods, `authorization_schemes`,
//! `events_supported`, and the members SSF does not define.

use serde_json::{Map, Value};

use super::known_members::{DRAFT_MEMBERS, KNOWN, Kind};
use super::{Check, Evidence, Group, Outcome, Spec};
use crate::core::discovery::{
    LEGACY_POLL_METHOD, LEGACY_PUSH_METHOD, POLL_METHOD, PUSH_METHOD, SSF_WELL_KNOWN,
};
use crate::core::tls_rule::{UrlRefused, check_url};

/// One GET of a metadata location.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    /// The well-known name tried (`ssf-configuration`, `sse-configuration`,
    /// `risc-configuration`), or `profile` for the profile's metadata URL.
    pub location: String,
    /// The URL asked.
    pub url: String,
    /// The exchange's record id (0: none was kept).
    pub exchange: u64,
    /// The HTTP status (none: no answer came; `error` says why).
    pub status: Option<u16>,
    /// Why no answer came, or why the body is not a document.
    pub error: Option<String>,
    /// The body, when it is JSON.
    pub document: Option<Value>,
}

impl Attempt {
    /// A 2xx answer holding a JSON object.
    pub fn found(&self) -> Option<&Map<String, Value>> {
        let ok = self.status.is_some_and(|s| (200..300).contains(&s));
        self.document.as_ref().filter(|_| ok)?.as_object()
    }

    fn said(&self) -> String {
        match (self.status, &self.error) {
            (Some(status), _) if self.found().is_some() => {
                format!("GET {} answered {status} with a JSON object", self.url)
            }
            (Some(status), Some(why)) => format!("GET {} answered {status}: {why}", self.url),
            (Some(status), None) => format!("GET {} answered {status}", self.url),
            (None, why) => format!(
                "GET {} had no answer: {}",
                self.url,
                why.as_deref().unwrap_or("unknown error")
            ),
        }
    }
}

/// What the metadata checks read: the issuer asked for and each location tried, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    /// The issuer asked for (the profile's).
    pub issuer: String,
    /// The locations tried, SSF's first.
    pub attempts: Vec<Attempt>,
}

impl Fetched {
    /// The attempt that found the document.
    pub fn found(&self) -> Option<(&Attempt, &Map<String, Value>)> {
        self.attempts
            .iter()
            .find_map(|a| a.found().map(|doc| (a, doc)))
    }
}

/// `metadata.location`.
pub const LOCATION: Spec = Spec {
    id: "metadata.location",
    group: Group::Metadata,
    title: "Metadata at the SSF location",
    section: "SSF §7.2, §7.2.2",
    required: true,
};
/// `metadata.issuer-matches`.
pub const ISSUER: Spec = Spec {
    id: "metadata.issuer-matches",
    group: Group::Metadata,
    title: "issuer identical to the one asked for",
    section: "SSF §7.2.4",
    required: true,
};
/// `metadata.https-urls`.
pub const HTTPS: Spec = Spec {
    id: "metadata.https-urls",
    group: Group::Metadata,
    title: "Every endpoint URL https",
    section: "SSF §7.1",
    required: true,
};
/// `metadata.members`.
pub const MEMBERS: Spec = Spec {
    id: "metadata.members",
    group: Group::Metadata,
    title: "Required and recommended members, of the right type",
    section: "SSF §7.1, §7.2.3",
    required: true,
};
/// `metadata.management-endpoints`.
pub const ENDPOINTS: Spec = Spec {
    id: "metadata.management-endpoints",
    group: Group::Metadata,
    title: "Stream management endpoints offered",
    section: "SSF §7.1, §8; SSF interop profile §2.3",
    required: false,
};
/// `metadata.spec-version`.
pub const SPEC_VERSION: Spec = Spec {
    id: "metadata.spec-version",
    group: Group::Metadata,
    title: "spec_version 1_0",
    section: "SSF §7.1; SSF interop profile §2.3.1",
    required: false,
};
/// `metadata.delivery-methods`.
pub const DELIVERY: Spec = Spec {
    id: "metadata.delivery-methods",
    group: Group::Metadata,
    title: "Delivery methods with the RFC 8935 / 8936 URIs",
    section: "SSF §7.1, §6.1",
    required: false,
};
/// `metadata.authorization-schemes`.
pub const AUTHORIZATION: Spec = Spec {
    id: "metadata.authorization-schemes",
    group: Group::Metadata,
    title: "authorization_schemes, each with a spec_urn",
    section: "SSF §7.1.1; SSF interop profile §2.3.7",
    required: false,
};
/// `metadata.events-supported`.
pub const EVENTS: Spec = Spec {
    id: "metadata.events-supported",
    group: Group::Metadata,
    title: "events_supported, if given, a list of event type URIs",
    section: "SSF §7.1 (added and reverted in 2025)",
    required: false,
};
/// `metadata.unknown-members`.
pub const UNKNOWN: Spec = Spec {
    id: "metadata.unknown-members",
    group: Group::Metadata,
    title: "Members SSF does not define (listed, never a fault)",
    section: "SSF §7.2.3",
    required: false,
};

/// Every metadata check, in report order. With no document found, the checks that read it
/// could not run (the location check says why).
pub fn checks(fetched: &Fetched) -> Vec<Check> {
    let mut out = vec![location(fetched)];
    let Some((attempt, doc)) = fetched.found() else {
        let evidence = Evidence::of(fetched.attempts.iter().map(|a| a.exchange));
        for spec in [
            ISSUER,
            HTTPS,
            MEMBERS,
            ENDPOINTS,
            SPEC_VERSION,
            DELIVERY,
            AUTHORIZATION,
            EVENTS,
            UNKNOWN,
        ] {
            out.push(spec.could_not_run("no metadata document was found", evidence.clone()));
        }
        return out;
    };
    let evidence = Evidence::of([attempt.exchange]);
    out.push(issuer(&fetched.issuer, doc, evidence.clone()));
    out.push(https_urls(doc, evidence.clone()));
    out.push(members(doc, evidence.clone()));
    out.push(management_endpoints(doc, evidence.clone()));
    out.push(spec_version(doc, evidence.clone()));
    out.push(delivery_methods(doc, evidence.clone()));
    out.push(authorization_schemes(doc, evidence.clone()));
    out.push(events_supported(doc, evidence.clone()));
    out.push(unknown_members(doc, evidence));
    out
}

/// `metadata.location`: found at the SSF §7.2 location (pass), only at a legacy or the
/// profile's own location (warning), or nowhere (fail).
pub fn location(fetched: &Fetched) -> Check {
    let mut evidence = Evidence::of(fetched.attempts.iter().map(|a| a.exchange));
    for attempt in &fetched.attempts {
        evidence.fact(attempt.said());
    }
    match fetched.found() {
        Some((attempt, _)) if attempt.location == SSF_WELL_KNOWN => LOCATION.outcome(
            Outcome::Pass,
            format!("served at {}", attempt.url),
            evidence,
        ),
        Some((attempt, _)) if attempt.location == "profile" => LOCATION.outcome(
            Outcome::Warn,
            format!(
                "not at /.well-known/{SSF_WELL_KNOWN}; only at the profile's metadata URL {}",
                attempt.url
            ),
            evidence,
        ),
        Some((attempt, _)) => LOCATION.outcome(
            Outcome::Warn,
            format!(
                "only at the legacy location /.well-known/{} ({}), not at /.well-known/{SSF_WELL_KNOWN}",
                attempt.location, attempt.url
            ),
            evidence,
        ),
        None => LOCATION.outcome(
            Outcome::Fail,
            "no metadata document at any location tried".to_owned(),
            evidence,
        ),
    }
}

/// `metadata.issuer-matches`: the `issuer` member is the issuer asked for, byte for byte.
pub fn issuer(asked: &str, doc: &Map<String, Value>, evidence: Evidence) -> Check {
    match doc.get("issuer") {
        Some(Value::String(found)) if found == asked => ISSUER.outcome(
            Outcome::Pass,
            format!("issuer is \"{asked}\""),
            evidence,
        ),
        Some(Value::String(found)) => ISSUER.outcome(
            Outcome::Fail,
            format!("the metadata says issuer \"{found}\", asked for \"{asked}\": they must be identical"),
            evidence.with_fact(format!("\"issuer\": \"{found}\"")),
        ),
        Some(other) => ISSUER.outcome(
            Outcome::Fail,
            "issuer is not a string".to_owned(),
            evidence.with_fact(format!("\"issuer\": {other}")),
        ),
        None => ISSUER.outcome(
            Outcome::Fail,
            "the metadata has no issuer".to_owned(),
            evidence,
        ),
    }
}

/// The metadata's URL members (string values only) in document order of [`KNOWN`].
fn url_members(doc: &Map<String, Value>) -> Vec<(&'static str, &str)> {
    KNOWN
        .iter()
        .filter(|(_, kind)| *kind == Kind::Url)
        .filter_map(|(name, _)| doc.get(*name).and_then(Value::as_str).map(|u| (*name, u)))
        .collect()
}

/// `metadata.https-urls`: every URL member https (pass); plain http to this machine, as the
/// TLS rule allows, a warning; plain http elsewhere or no http(s) URL at all, a fail.
pub fn https_urls(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    let (mut local, mut refused) = (Vec::new(), Vec::new());
    for (name, url) in url_members(doc) {
        match check_url(name, url, false) {
            Ok(None) => {}
            Ok(Some(no_tls)) => local.push(no_tls.line()),
            Err(UrlRefused::PlainHttp { what, url } | UrlRefused::NotHttp { what, url }) => {
                refused.push(format!("{what} {url}"));
            }
        }
    }
    if !refused.is_empty() {
        for line in &refused {
            evidence.fact(line);
        }
        return HTTPS.outcome(
            Outcome::Fail,
            format!("not https: {}", refused.join(", ")),
            evidence,
        );
    }
    if !local.is_empty() {
        let count = local.len();
        for line in local {
            evidence.fact(line);
        }
        return HTTPS.outcome(
            Outcome::Warn,
            format!(
                "{} plain http to this machine (accepted only for loopback)",
                super::count(count, "URL")
            ),
            evidence,
        );
    }
    HTTPS.outcome(Outcome::Pass, "every URL is https", evidence)
}

/// `metadata.members`: `issuer` and `jwks_uri` present (a transmitter signs its SETs),
/// `delivery_methods_supported` present (recommended), every SSF member of its type, no empty
/// array (SSF §7.2.3 says to omit it), `default_subjects` ALL or NONE.
pub fn members(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    let mut faults = Vec::new();
    let mut warnings = Vec::new();
    for required in ["issuer", "jwks_uri"] {
        if !doc.contains_key(required) {
            faults.push(format!("{required} is missing"));
        }
    }
    if !doc.contains_key("delivery_methods_supported") {
        warnings.push("delivery_methods_supported (recommended) is missing".to_owned());
    }
    for (name, kind) in KNOWN.iter().chain(DRAFT_MEMBERS.iter()) {
        let Some(value) = doc.get(*name) else {
            continue;
        };
        if !kind.fits(value) {
            faults.push(format!("{name} is not {}", kind.name()));
            evidence.fact(format!("\"{name}\": {value}"));
        } else if *name == "delivery_methods_supported"
            && value.as_array().is_some_and(Vec::is_empty)
        {
            // Another empty list (`critical_subject_members: []`, seen on a real transmitter)
            // says "none" as well as leaving it out does: the spec forbids neither.
            warnings
                .push("delivery_methods_supported is empty: no delivery method offered".to_owned());
        }
    }
    if let Some(subjects) = doc.get("default_subjects").and_then(Value::as_str)
        && !matches!(subjects, "ALL" | "NONE")
    {
        warnings.push(format!(
            "default_subjects is \"{subjects}\", not ALL or NONE"
        ));
    }
    if !faults.is_empty() {
        faults.extend(warnings);
        return MEMBERS.outcome(Outcome::Fail, faults.join("; "), evidence);
    }
    if !warnings.is_empty() {
        return MEMBERS.outcome(Outcome::Warn, warnings.join("; "), evidence);
    }
    MEMBERS.outcome(
        Outcome::Pass,
        "issuer, jwks_uri and delivery_methods_supported present; every member of its type",
        evidence,
    )
}

/// `metadata.management-endpoints`: the configuration, status and verification endpoints a
/// receiver needs to manage its stream and notice a stop, and the subject endpoints. Each is
/// optional in SSF 1.0 (the interop profile requires them): one missing is a warning.
pub fn management_endpoints(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    let missing: Vec<&str> = [
        "configuration_endpoint",
        "status_endpoint",
        "verification_endpoint",
        "add_subject_endpoint",
        "remove_subject_endpoint",
    ]
    .into_iter()
    .filter(|name| !doc.get(*name).is_some_and(Value::is_string))
    .collect();
    if missing.is_empty() {
        return ENDPOINTS.outcome(
            Outcome::Pass,
            "configuration, status, verification and subject endpoints offered",
            evidence,
        );
    }
    evidence.fact(format!("absent: {}", missing.join(", ")));
    ENDPOINTS.outcome(
        Outcome::Warn,
        format!(
            "no {}: what they do cannot be asked (a stop shows only by what arrives)",
            missing.join(", ")
        ),
        evidence,
    )
}

/// `metadata.spec-version`: `1_0` passes; absent (read as `1_0-ID1`) or a draft's value is a
/// warning; not a string fails.
pub fn spec_version(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    match doc.get("spec_version") {
        Some(Value::String(version)) if version == "1_0" => {
            SPEC_VERSION.outcome(Outcome::Pass, "spec_version is \"1_0\"", evidence)
        }
        Some(Value::String(version)) => {
            evidence.fact(format!("\"spec_version\": \"{version}\""));
            SPEC_VERSION.outcome(
                Outcome::Warn,
                format!("spec_version is \"{version}\", not the final \"1_0\": a draft's behaviour may follow"),
                evidence,
            )
        }
        Some(other) => {
            evidence.fact(format!("\"spec_version\": {other}"));
            SPEC_VERSION.outcome(Outcome::Fail, "spec_version is not a string", evidence)
        }
        None => SPEC_VERSION.outcome(
            Outcome::Warn,
            "no spec_version: the transmitter is taken to follow \"1_0-ID1\" (2021)",
            evidence,
        ),
    }
}

/// `metadata.delivery-methods`: a current RFC 8935 or 8936 URI offered passes; only the
/// RISC-era URIs, or none, is a warning (the receiver asks for what is offered).
pub fn delivery_methods(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    let Some(list) = doc
        .get("delivery_methods_supported")
        .and_then(Value::as_array)
    else {
        return DELIVERY.outcome(
            Outcome::Warn,
            "no delivery_methods_supported: the receiver can only try the RFC URIs",
            evidence,
        );
    };
    let methods: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
    for method in &methods {
        evidence.fact(format!("offered: {method}"));
    }
    let current: Vec<&str> = methods
        .iter()
        .copied()
        .filter(|m| [PUSH_METHOD, POLL_METHOD].contains(m))
        .collect();
    let legacy: Vec<&str> = methods
        .iter()
        .copied()
        .filter(|m| [LEGACY_PUSH_METHOD, LEGACY_POLL_METHOD].contains(m))
        .collect();
    let others = methods.len() - current.len() - legacy.len();
    let also = if others > 0 {
        format!("; {} more", super::count(others, "other method"))
    } else {
        String::new()
    };
    if !current.is_empty() {
        let named: Vec<&str> = current
            .iter()
            .map(|m| if *m == PUSH_METHOD { "push" } else { "poll" })
            .collect();
        return DELIVERY.outcome(
            Outcome::Pass,
            format!("{} with the RFC URIs{also}", named.join(" and ")),
            evidence,
        );
    }
    if !legacy.is_empty() {
        return DELIVERY.outcome(
            Outcome::Warn,
            format!("only the RISC-era delivery URIs (pre-2023){also}: streams must ask for them"),
            evidence,
        );
    }
    DELIVERY.outcome(
        Outcome::Warn,
        format!("neither push nor poll is offered{also}"),
        evidence,
    )
}

/// `metadata.authorization-schemes`: present with a `spec_urn` string in each entry passes;
/// absent is a warning (the interop profile requires OAuth's); an entry without `spec_urn`
/// fails.
pub fn authorization_schemes(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    let Some(value) = doc.get("authorization_schemes") else {
        return AUTHORIZATION.outcome(
            Outcome::Warn,
            "no authorization_schemes: how to authorize management calls is not said",
            evidence,
        );
    };
    let Some(list) = value.as_array() else {
        evidence.fact(format!("\"authorization_schemes\": {value}"));
        return AUTHORIZATION.outcome(
            Outcome::Fail,
            "authorization_schemes is not an array",
            evidence,
        );
    };
    let urns: Vec<Option<&str>> = list
        .iter()
        .map(|entry| entry.get("spec_urn").and_then(Value::as_str))
        .collect();
    let named: Vec<&str> = urns.iter().flatten().copied().collect();
    evidence.fact(format!("spec_urn: {}", named.join(", ")));
    if urns.iter().any(Option::is_none) || urns.is_empty() {
        return AUTHORIZATION.outcome(
            Outcome::Fail,
            "an authorization_schemes entry has no spec_urn string",
            evidence,
        );
    }
    AUTHORIZATION.outcome(
        Outcome::Pass,
        format!("authorization by {}", named.join(", ")),
        evidence,
    )
}

/// `metadata.events-supported`: absent is not applicable (SSF 1.0 final has no such member);
/// a list of URIs passes; anything else is a warning.
pub fn events_supported(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    match doc.get("events_supported") {
        None => EVENTS.outcome(
            Outcome::NotApplicable,
            "not given (SSF 1.0 final has no events_supported member)",
            evidence,
        ),
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => EVENTS.outcome(
            Outcome::Pass,
            format!("{} listed", super::count(list.len(), "event type")),
            evidence,
        ),
        Some(other) => {
            evidence.fact(format!("\"events_supported\": {other}"));
            EVENTS.outcome(
                Outcome::Warn,
                "events_supported is not a list of event type URIs",
                evidence,
            )
        }
    }
}

/// `metadata.unknown-members`: informational, always a pass; the finding lists the members
/// neither SSF 1.0 nor its drafts define ("other claims MAY also be returned").
pub fn unknown_members(doc: &Map<String, Value>, mut evidence: Evidence) -> Check {
    let unknown: Vec<&str> = doc
        .keys()
        .map(String::as_str)
        .filter(|name| {
            !KNOWN
                .iter()
                .chain(DRAFT_MEMBERS.iter())
                .any(|(known, _)| known == name)
        })
        .collect();
    if unknown.is_empty() {
        return UNKNOWN.outcome(Outcome::Pass, "none", evidence);
    }
    evidence.fact(format!("unknown: {}", unknown.join(", ")));
    UNKNOWN.outcome(
        Outcome::Pass,
        format!("noted, not a fault: {}", unknown.join(", ")),
        evidence,
    )
}
