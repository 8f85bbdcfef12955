//! CAEP 1.0 event types (base `https://schemas.openid.net/secevent/caep/event-type/`, CAEP §3)
//! and the one draft spelling found in SSF/SSE text.
//!
//! Every CAEP event may carry the common members of CAEP §2: `event_timestamp` (seconds),
//! `initiating_entity`, `reason_admin` and `reason_user` (language-tag maps).

use super::{EventType, Family};

macro_rules! uri {
    ($suffix:literal) => {
        concat!(
            "https://schemas.openid.net/secevent/caep/event-type/",
            $suffix
        )
    };
}

/// The common CAEP members (CAEP 1.0 §2) followed by the event-specific optional ones.
macro_rules! optional {
    ($($member:literal),* $(,)?) => {
        &[
            "event_timestamp",
            "initiating_entity",
            "reason_admin",
            "reason_user",
            $($member,)*
        ]
    };
}

/// The `initiating_entity` domain (CAEP 1.0 §2) followed by the event-specific domains.
macro_rules! domains {
    ($($domain:expr),* $(,)?) => {
        &[INITIATING_ENTITY, $($domain,)*]
    };
}

const INITIATING_ENTITY: (&str, &[&str]) =
    ("initiating_entity", &["admin", "user", "policy", "system"]);

/// `credential_type` values (CAEP 1.0 §3.3; open: other mutually agreed values are allowed).
/// RISC credential-compromise reuses them (RISC 1.0 §2.7).
pub(super) const CREDENTIAL_TYPES: &[&str] = &[
    "password",
    "pin",
    "x509",
    "fido2-platform",
    "fido2-roaming",
    "fido-u2f",
    "verifiable-credential",
    "phone-voice",
    "phone-sms",
    "app",
];

const CHANGE_TYPES: &[&str] = &["create", "revoke", "update", "delete"];
/// `namespace` values (CAEP 1.0 §3.4; open: a custom alias may be agreed).
const NAMESPACES: &[&str] = &[
    "RFC8176",
    "RFC6711",
    "ISO-IEC-29115",
    "NIST-IAL",
    "NIST-AAL",
    "NIST-FAL",
];
const COMPLIANCE: &[&str] = &["compliant", "not-compliant"];
const RISK_LEVELS: &[&str] = &["LOW", "MEDIUM", "HIGH"];

/// CAEP entries, current URIs first.
pub(super) static CAEP: &[EventType] = &[
    EventType {
        uri: uri!("session-revoked"),
        name: "Session revoked",
        family: Family::Caep,
        meaning: "A session of the subject was revoked; event_timestamp is when.",
        optional: optional![],
        domains: domains![],
        reference: "CAEP 1.0 §3.1",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("token-claims-change"),
        name: "Token claims changed",
        family: Family::Caep,
        meaning: "Claims in tokens issued to the subject changed; claims holds their new values.",
        required: &["claims"],
        optional: optional![],
        domains: domains![],
        reference: "CAEP 1.0 §3.2",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("credential-change"),
        name: "Credential changed",
        family: Family::Caep,
        meaning: "A credential of the subject was created, revoked, updated or deleted.",
        required: &["credential_type", "change_type"],
        optional: optional![
            "friendly_name",
            "x509_issuer",
            "x509_serial",
            "fido2_aaguid"
        ],
        domains: domains![
            ("credential_type", CREDENTIAL_TYPES),
            ("change_type", CHANGE_TYPES),
        ],
        reference: "CAEP 1.0 §3.3",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("assurance-level-change"),
        name: "Assurance level changed",
        family: Family::Caep,
        meaning: "The authentication assurance level of the subject went up or down.",
        required: &["namespace", "current_level"],
        optional: optional!["previous_level", "change_direction"],
        domains: domains![
            ("namespace", NAMESPACES),
            ("change_direction", &["increase", "decrease"]),
        ],
        reference: "CAEP 1.0 §3.4",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("device-compliance-change"),
        name: "Device compliance changed",
        family: Family::Caep,
        meaning: "A device moved between compliant and not compliant.",
        required: &["previous_status", "current_status"],
        optional: optional![],
        domains: domains![
            ("previous_status", COMPLIANCE),
            ("current_status", COMPLIANCE)
        ],
        reference: "CAEP 1.0 §3.5",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("session-established"),
        name: "Session established",
        family: Family::Caep,
        meaning: "The transmitter established a new session for the subject.",
        optional: optional!["fp_ua", "acr", "amr", "ext_id"],
        domains: domains![],
        reference: "CAEP 1.0 §3.6",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("session-presented"),
        name: "Session presented",
        family: Family::Caep,
        meaning: "The transmitter saw an existing session of the subject presented to it.",
        optional: optional!["fp_ua", "ext_id"],
        domains: domains![],
        reference: "CAEP 1.0 §3.7",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("risk-level-change"),
        name: "Risk level changed",
        family: Family::Caep,
        meaning: "The assessed risk level (LOW, MEDIUM or HIGH) of a principal changed.",
        required: &["principal", "current_level"],
        // risk_reason is RECOMMENDED (CAEP 1.0 §3.8).
        optional: optional!["risk_reason", "previous_level"],
        domains: domains![
            ("current_level", RISK_LEVELS),
            ("previous_level", RISK_LEVELS)
        ],
        reference: "CAEP 1.0 §3.8",
        ..EventType::DEFAULTS
    },
    // SSE Framework ID1 §11.1.3 (Figure 34) and every SSF draft example until March 2025
    // (openid/sharedsignals PR #233) wrote `token-claims-changed`; the CAEP text never did.
    EventType {
        uri: uri!("token-claims-changed"),
        name: "Token claims changed (legacy draft)",
        family: Family::Caep,
        meaning: "Misspelling of token-claims-change from SSE/SSF draft examples: token claims changed.",
        required: &["claims"],
        optional: optional![],
        domains: domains![],
        replaced_by: Some(uri!("token-claims-change")),
        reference: "SSE Framework ID1 §11.1.3 (example)",
        ..EventType::DEFAULTS
    },
];
