//! RISC 1.0 event types (base `https://schemas.openid.net/secevent/risc/event-type/`, RISC §2)
//! and the `http://` spelling of the RFC 8417 example.

use super::caep::CREDENTIAL_TYPES;
use super::{EventType, Family};

macro_rules! uri {
    ($suffix:literal) => {
        concat!(
            "https://schemas.openid.net/secevent/risc/event-type/",
            $suffix
        )
    };
}

const DISABLE_REASON: (&str, &[&str]) = ("reason", &["hijacking", "bulk-account"]);

/// RISC entries, current URIs first.
pub(super) static RISC: &[EventType] = &[
    EventType {
        uri: uri!("account-credential-change-required"),
        name: "Credential change required",
        family: Family::Risc,
        meaning: "The account was required to change a credential, e.g. to go through a password change.",
        reference: "RISC 1.0 §2.1",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("account-purged"),
        name: "Account purged",
        family: Family::Risc,
        meaning: "The account was permanently deleted.",
        reference: "RISC 1.0 §2.2",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("account-disabled"),
        name: "Account disabled",
        family: Family::Risc,
        meaning: "The account was disabled and may be enabled again later.",
        optional: &["reason"],
        domains: &[DISABLE_REASON],
        reference: "RISC 1.0 §2.3",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("account-enabled"),
        name: "Account enabled",
        family: Family::Risc,
        meaning: "The account was enabled.",
        reference: "RISC 1.0 §2.4",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("identifier-changed"),
        name: "Identifier changed",
        family: Family::Risc,
        meaning: "The email or phone identifier in the subject (the old value) changed, to new-value if given.",
        optional: &["new-value"],
        reference: "RISC 1.0 §2.5",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("identifier-recycled"),
        name: "Identifier recycled",
        family: Family::Risc,
        meaning: "The email or phone identifier in the subject was recycled and now belongs to a new user.",
        reference: "RISC 1.0 §2.6",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("credential-compromise"),
        name: "Credential compromised",
        family: Family::Risc,
        meaning: "A credential of the subject was found to be compromised.",
        required: &["credential_type"],
        optional: &["event_timestamp", "reason_admin", "reason_user"],
        domains: &[("credential_type", CREDENTIAL_TYPES)],
        reference: "RISC 1.0 §2.7",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("opt-in"),
        name: "Opted in",
        family: Family::Risc,
        meaning: "The account opted in to RISC event exchange.",
        reference: "RISC 1.0 §2.8.1",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("opt-out-initiated"),
        name: "Opt-out initiated",
        family: Family::Risc,
        meaning: "The account asked to opt out of RISC event exchange; events still flow for a while.",
        reference: "RISC 1.0 §2.8.2",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("opt-out-cancelled"),
        name: "Opt-out cancelled",
        family: Family::Risc,
        meaning: "The account cancelled its opt-out and is opted in again.",
        reference: "RISC 1.0 §2.8.3",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("opt-out-effective"),
        name: "Opt-out effective",
        family: Family::Risc,
        meaning: "The account's opt-out took effect: it no longer takes part in RISC event exchange.",
        reference: "RISC 1.0 §2.8.4",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("recovery-activated"),
        name: "Recovery activated",
        family: Family::Risc,
        meaning: "The account activated a recovery flow.",
        reference: "RISC 1.0 §2.9",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("recovery-information-changed"),
        name: "Recovery information changed",
        family: Family::Risc,
        meaning: "The account changed some of its recovery information, e.g. a recovery email.",
        reference: "RISC 1.0 §2.10",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: uri!("sessions-revoked"),
        name: "Sessions revoked (deprecated)",
        family: Family::Risc,
        meaning: "All sessions of the account were revoked; new implementations must use CAEP session-revoked.",
        replaced_by: Some("https://schemas.openid.net/secevent/caep/event-type/session-revoked"),
        deprecated: true,
        reference: "RISC 1.0 §2.11",
        ..EventType::DEFAULTS
    },
    // RFC 8417 §2.1.4 (Figure 4), "taken from a working draft of the RISC events
    // specification", uses the `http://` scheme, an in-event `subject` and a `cause-time`
    // member. The RISC draft moved to `https://` in April 2018 (openid/sharedsignals d8c1621).
    EventType {
        uri: "http://schemas.openid.net/secevent/risc/event-type/account-disabled",
        name: "Account disabled (legacy http)",
        family: Family::Risc,
        meaning: "The http:// spelling of account-disabled from the RFC 8417 example: the account was disabled.",
        optional: &["reason", "subject", "cause-time"],
        domains: &[DISABLE_REASON],
        replaced_by: Some(uri!("account-disabled")),
        reference: "RFC 8417 §2.1.4 (example)",
        ..EventType::DEFAULTS
    },
];
