//! The event catalogue: known event-type URIs with a human name, a family and a one-line meaning.
//! Unknown URIs are kept and shown by URI.

use serde::Serialize;

/// Which specification an event type comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
    /// Members the event payload may have (beyond the common CAEP ones where they apply).
    pub optional: &'static [&'static str],
    /// Allowed values of members with a closed value domain: (member, values).
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

macro_rules! entry {
    ($base:literal, $suffix:literal, $name:literal, $family:ident, $meaning:literal) => {
        EventType {
            uri: concat!($base, $suffix),
            name: $name,
            family: Family::$family,
            meaning: $meaning,
            ..EventType::DEFAULTS
        }
    };
}

/// Every event type the inspector names.
pub static CATALOGUE: &[EventType] = &[
    entry!(
        "https://schemas.openid.net/secevent/ssf/event-type/",
        "stream-updated",
        "Stream updated",
        Ssf,
        "The transmitter changed the stream's status (enabled, paused or disabled)."
    ),
    entry!(
        "https://schemas.openid.net/secevent/ssf/event-type/",
        "verification",
        "Verification",
        Ssf,
        "A heartbeat the receiver asked for (or the transmitter sent on its own) to prove the stream delivers."
    ),
    entry!(
        "https://schemas.openid.net/secevent/sse/event-type/",
        "stream-updated",
        "Stream updated (SSE draft)",
        Ssf,
        "Legacy SSE ID1 form of stream-updated."
    ),
    entry!(
        "https://schemas.openid.net/secevent/sse/event-type/",
        "verification",
        "Verification (SSE draft)",
        Ssf,
        "Legacy SSE ID1 form of verification."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "session-revoked",
        "Session revoked",
        Caep,
        "A session of the subject was ended."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "token-claims-change",
        "Token claims changed",
        Caep,
        "Claims in tokens issued to the subject changed."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "credential-change",
        "Credential changed",
        Caep,
        "A credential of the subject was created, revoked, updated or deleted."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "assurance-level-change",
        "Assurance level changed",
        Caep,
        "The authentication assurance level of the subject changed."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "device-compliance-change",
        "Device compliance changed",
        Caep,
        "A device moved between compliant and not compliant."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "session-established",
        "Session established",
        Caep,
        "A new session of the subject began."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "session-presented",
        "Session presented",
        Caep,
        "An existing session of the subject was presented to a service."
    ),
    entry!(
        "https://schemas.openid.net/secevent/caep/event-type/",
        "risk-level-change",
        "Risk level changed",
        Caep,
        "The assessed risk of a principal changed."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "account-credential-change-required",
        "Credential change required",
        Risc,
        "The account must change its credentials."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "account-purged",
        "Account purged",
        Risc,
        "The account was permanently deleted."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "account-disabled",
        "Account disabled",
        Risc,
        "The account was disabled."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "account-enabled",
        "Account enabled",
        Risc,
        "The account was enabled again."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "identifier-changed",
        "Identifier changed",
        Risc,
        "The account's email or phone identifier changed."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "identifier-recycled",
        "Identifier recycled",
        Risc,
        "An email or phone identifier now belongs to someone else."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "credential-compromise",
        "Credential compromised",
        Risc,
        "A credential of the subject is known to be compromised."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "opt-in",
        "Opted in",
        Risc,
        "The account opted in to RISC event exchange."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "opt-out-initiated",
        "Opt-out initiated",
        Risc,
        "The account began opting out of RISC event exchange."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "opt-out-cancelled",
        "Opt-out cancelled",
        Risc,
        "The account cancelled its opt-out."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "opt-out-effective",
        "Opt-out effective",
        Risc,
        "The account's opt-out took effect."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "recovery-activated",
        "Recovery activated",
        Risc,
        "Account recovery was started."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "recovery-information-changed",
        "Recovery information changed",
        Risc,
        "The account's recovery information changed."
    ),
    entry!(
        "https://schemas.openid.net/secevent/risc/event-type/",
        "sessions-revoked",
        "Sessions revoked (deprecated)",
        Risc,
        "All sessions were revoked; deprecated in favour of CAEP session-revoked."
    ),
];

/// Look up an event-type URI.
pub fn lookup(uri: &str) -> Option<&'static EventType> {
    CATALOGUE.iter().find(|e| e.uri == uri)
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
    uri == STREAM_UPDATED || uri == STREAM_UPDATED_SSE
}

/// True for the verification event in any of its spellings.
pub fn is_verification(uri: &str) -> bool {
    uri == VERIFICATION || uri == VERIFICATION_SSE
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
}
