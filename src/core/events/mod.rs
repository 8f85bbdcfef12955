//! The event catalogue: known event-type URIs with a human name, a family, a one-line meaning,
//! the payload members each type defines and where it is specified. Unknown URIs are kept and
//! shown by URI.
//!
//! The data lives in one file per family (`ssf`, `caep`, `risc`, `scim`, `other`). Legacy and
//! draft spellings that transmitters still send have their own entries, with `replaced_by`
//! naming the current URI; every URI comes from a specification or draft text cited next to it.

use std::sync::LazyLock;

use serde::Serialize;

mod caep;
mod other;
mod risc;
mod scim;
mod ssf;

/// Which specification an event type comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, strum::VariantArray)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Shared Signals Framework (stream control).
    Ssf,
    /// Continuous Access Evaluation Profile.
    Caep,
    /// Risk Incident Sharing and Coordination.
    Risc,
    /// SCIM provisioning events.
    Scim,
    /// OpenID Connect (back-channel logout).
    Oidc,
    /// Not in the catalogue.
    Unknown,
}

impl Family {
    /// Upper-case tag for display.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Ssf => "SSF",
            Self::Caep => "CAEP",
            Self::Risc => "RISC",
            Self::Scim => "SCIM",
            Self::Oidc => "OIDC",
            Self::Unknown => "?",
        }
    }
}

/// A catalogue entry.
#[derive(Debug)]
pub struct EventType {
    /// The event-type URI as it appears in `events` (legacy spellings have their own entries).
    pub uri: &'static str,
    /// Human name.
    pub name: &'static str,
    /// Family.
    pub family: Family,
    /// One sentence on what it means.
    pub meaning: &'static str,
    /// Members the event payload must have.
    pub required: &'static [&'static str],
    /// Members the event payload may have (for CAEP entries this includes the common CAEP
    /// members `event_timestamp`, `initiating_entity`, `reason_admin` and `reason_user`).
    pub optional: &'static [&'static str],
    /// Listed values of members with a value domain: (member, values). Most domains are closed;
    /// the few the specification leaves open are named by [`is_open_domain`].
    pub domains: &'static [(&'static str, &'static [&'static str])],
    /// True when the event can signal that the stream stops delivering (stream-updated).
    pub stops_stream: bool,
    /// For a legacy or draft spelling: the current URI that replaced it.
    pub replaced_by: Option<&'static str>,
    /// Deprecated by its own specification (e.g. RISC sessions-revoked).
    pub deprecated: bool,
    /// Where it is defined, e.g. "CAEP 1.0 §3.1".
    pub reference: &'static str,
}

impl EventType {
    /// Defaults for the optional parts of an entry.
    pub const DEFAULTS: Self = Self {
        uri: "",
        name: "",
        family: Family::Unknown,
        meaning: "",
        required: &[],
        optional: &[],
        domains: &[],
        stops_stream: false,
        replaced_by: None,
        deprecated: false,
        reference: "",
    };

    /// The listed values of `member`, if the entry gives it a value domain.
    pub fn domain(&self, member: &str) -> Option<&'static [&'static str]> {
        self.domains
            .iter()
            .find(|(name, _)| *name == member)
            .map(|(_, values)| *values)
    }
}

/// SSF stream-updated (final URI).
pub const STREAM_UPDATED: &str =
    "https://schemas.openid.net/secevent/ssf/event-type/stream-updated";
/// SSF verification (final URI).
pub const VERIFICATION: &str = "https://schemas.openid.net/secevent/ssf/event-type/verification";
/// SSE ID1 spelling of stream-updated.
pub const STREAM_UPDATED_SSE: &str =
    "https://schemas.openid.net/secevent/sse/event-type/stream-updated";
/// SSE ID1 spelling of verification.
pub const VERIFICATION_SSE: &str =
    "https://schemas.openid.net/secevent/sse/event-type/verification";

const CAEP: &str = "https://schemas.openid.net/secevent/caep/event-type/";
const RISC: &str = "https://schemas.openid.net/secevent/risc/event-type/";

/// Members whose listed values are examples rather than a closed set: the specification also
/// admits values agreed between transmitter and receiver.
/// `credential_type`: CAEP 1.0 §3.3 ("or any other credential type supported mutually");
/// `namespace`: CAEP 1.0 §3.4 ("MAY be one of", or a custom alias).
pub const OPEN_DOMAINS: &[&str] = &["credential_type", "namespace"];

/// True when the value domain of `member` is open (see [`OPEN_DOMAINS`]): a value outside the
/// listed ones is unusual but not wrong.
pub fn is_open_domain(member: &str) -> bool {
    OPEN_DOMAINS.contains(&member)
}

/// Every event type the inspector names: SSF, CAEP, RISC, SCIM, then OpenID Connect, each
/// family's current URIs first and its legacy spellings after them.
pub static CATALOGUE: LazyLock<Vec<&'static EventType>> = LazyLock::new(|| {
    [ssf::SSF, caep::CAEP, risc::RISC, scim::SCIM, other::OTHER]
        .into_iter()
        .flatten()
        .collect()
});

/// What a receiver asks for when neither the profile nor the transmitter says: the current
/// CAEP and RISC event types (never the SCIM URNs or the specifications' example URIs, which a
/// transmitter refuses).
pub fn default_requested() -> Vec<String> {
    CATALOGUE
        .iter()
        .filter(|e| matches!(e.family, Family::Caep | Family::Risc) && e.replaced_by.is_none())
        .map(|e| e.uri.to_owned())
        .collect()
}

/// Look up an event-type URI.
pub fn lookup(uri: &str) -> Option<&'static EventType> {
    CATALOGUE.iter().find(|e| e.uri == uri).copied()
}

/// The current URI for `uri`: follows `replaced_by` for legacy and draft spellings, and returns
/// the input itself for current or unknown URIs.
pub fn canonical(uri: &str) -> &str {
    let mut current = uri;
    // Entries point straight at a current URI; the bound only guards against a bad table.
    for _ in 0..4 {
        match lookup(current).and_then(|e| e.replaced_by) {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

/// An event type given by its URI, or by the last path segment of a current catalogue URI
/// (`session-revoked`); `None` for a short name the catalogue does not know (or knows twice).
pub fn resolve(name: &str) -> Option<String> {
    let name = name.trim();
    if name.contains(':') {
        return Some(name.to_owned());
    }
    let mut found = CATALOGUE
        .iter()
        .filter(|e| e.replaced_by.is_none() && e.uri.rsplit('/').next() == Some(name));
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one.uri.to_owned()),
        _ => None,
    }
}

/// The short name [`resolve`] takes back for `uri`, or the URI itself.
pub fn short_name(uri: &str) -> String {
    let last = uri.rsplit('/').next().unwrap_or(uri);
    if resolve(last).as_deref() == Some(uri) {
        last.to_owned()
    } else {
        uri.to_owned()
    }
}

/// A list of event types separated by commas or white space, as URIs; the names that do not
/// resolve are the error.
pub fn parse_list(text: &str) -> Result<Vec<String>, Vec<String>> {
    let mut uris = Vec::new();
    let mut unknown = Vec::new();
    for name in text.split(|c: char| c == ',' || c.is_whitespace()) {
        if name.is_empty() {
            continue;
        }
        match resolve(name) {
            Some(uri) if !uris.contains(&uri) => uris.push(uri),
            Some(_) => {}
            None => unknown.push(name.to_owned()),
        }
    }
    if unknown.is_empty() {
        Ok(uris)
    } else {
        Err(unknown)
    }
}

/// The full URI of a CAEP event type, from its last path segment.
pub fn caep(suffix: &str) -> String {
    format!("{CAEP}{suffix}")
}

/// The full URI of a RISC event type, from its last path segment.
pub fn risc(suffix: &str) -> String {
    format!("{RISC}{suffix}")
}

/// True for the stream-updated event in any of its spellings.
pub fn is_stream_updated(uri: &str) -> bool {
    uri == STREAM_UPDATED || uri == STREAM_UPDATED_SSE || canonical(uri) == STREAM_UPDATED
}

/// True for the verification event in any of its spellings (SSF, SSE ID1, and the RISC
/// profile's `risc/event-type/verification` that Google's RISC transmitter still uses).
pub fn is_verification(uri: &str) -> bool {
    uri == VERIFICATION || uri == VERIFICATION_SSE || canonical(uri) == VERIFICATION
}

/// An event of a received SET, as the timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventRef {
    /// The URI as sent.
    pub uri: String,
    /// Human name, or the URI itself when unknown.
    pub name: String,
    /// Family.
    pub family: Family,
    /// Whether the catalogue knows it.
    pub known: bool,
}

impl EventRef {
    /// Name an event-type URI.
    pub fn from_uri(uri: &str) -> Self {
        match lookup(uri) {
            Some(known) => Self {
                uri: uri.to_owned(),
                name: known.name.to_owned(),
                family: known.family,
                known: true,
            },
            None => Self {
                uri: uri.to_owned(),
                name: uri.to_owned(),
                family: Family::Unknown,
                known: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_and_keeps_unknown_uris() {
        let e = EventRef::from_uri(&caep("session-revoked"));
        assert_eq!(
            (e.name.as_str(), e.family, e.known),
            ("Session revoked", Family::Caep, true)
        );
        let u = EventRef::from_uri("urn:example:custom");
        assert_eq!(
            (u.name.as_str(), u.family, u.known),
            ("urn:example:custom", Family::Unknown, false)
        );
        assert!(is_stream_updated(STREAM_UPDATED_SSE));
        let uris: std::collections::HashSet<_> = CATALOGUE.iter().map(|e| e.uri).collect();
        assert_eq!(uris.len(), CATALOGUE.len(), "no URI twice");
    }

    #[test]
    fn canonical_follows_legacy_spellings_only() {
        assert_eq!(canonical(STREAM_UPDATED_SSE), STREAM_UPDATED);
        assert_eq!(canonical(VERIFICATION_SSE), VERIFICATION);
        assert_eq!(canonical(STREAM_UPDATED), STREAM_UPDATED);
        assert_eq!(canonical("urn:example:custom"), "urn:example:custom");
        assert_eq!(
            canonical(&risc("sessions-revoked")),
            caep("session-revoked")
        );
        assert!(is_verification(&risc("verification")));
        assert!(!is_verification(STREAM_UPDATED));
        assert!(is_stream_updated(STREAM_UPDATED));
    }

    #[test]
    fn domains_are_found_by_member() {
        let change = lookup(&caep("credential-change")).expect("credential-change is catalogued");
        assert!(
            change
                .domain("change_type")
                .is_some_and(|v| v.contains(&"revoke"))
        );
        assert!(change.domain("friendly_name").is_none());
        assert!(is_open_domain("credential_type"));
        assert!(!is_open_domain("change_type"));
    }
}
