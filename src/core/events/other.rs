//! Event types from outside the Shared Signals specifications that arrive as SETs.

use super::{EventType, Family};

/// Other entries: OpenID Connect.
pub(super) static OTHER: &[EventType] = &[
    // OpenID Connect Back-Channel Logout 1.0 §2.4: the Logout Token's `events` member holds this
    // URI with an empty object; the subject is in the top-level `sub` and/or `sid` claims.
    // RFC 8417 §2.1.2 (Figure 2) shows the same token as a SET example.
    EventType {
        uri: "http://schemas.openid.net/event/backchannel-logout",
        name: "Back-channel logout",
        family: Family::Oidc,
        meaning: "The OpenID Provider logged the end-user out; the relying party should end the matching sessions.",
        reference: "OIDC Back-Channel Logout 1.0 §2.4",
        ..EventType::DEFAULTS
    },
    // Event types that exist only as examples in the RFC texts. They are not registered, but a
    // user pasting the RFCs' examples should see them named, marked as examples.
    EventType {
        uri: "urn:ietf:params:scim:event:passwordReset",
        name: "Password reset (RFC 8417 example)",
        family: Family::Scim,
        meaning: "A hypothetical SCIM event: the subject's password was reset.",
        optional: &["id"],
        reference: "RFC 8417 §2.1.1",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: "https://example.com/scim/event/passwordResetExt",
        name: "Password reset extension (RFC 8417 example)",
        family: Family::Unknown,
        meaning: "A hypothetical extension event carried with the password reset: how many reset attempts were made.",
        optional: &["resetAttempts"],
        reference: "RFC 8417 §2.1.1",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: "https://openid.net/heart/specs/consent.html",
        name: "Consent (RFC 8417 example)",
        family: Family::Unknown,
        meaning: "A fictional HEART consent event: a user agreed to the disclosure of their data.",
        optional: &["iss", "sub", "consentUri"],
        reference: "RFC 8417 §2.1.3",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: "urn:ietf:params:scim:event:create",
        name: "SCIM create (RFC 8417 example)",
        family: Family::Scim,
        meaning: "A hypothetical SCIM event: a resource was created (SCIM events later named it prov:create).",
        optional: &["ref", "attributes"],
        reference: "RFC 8417 §2.4",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: "https://secevent.example.com/events/message-interception",
        name: "Message interception (RFC 9493 example)",
        family: Family::Unknown,
        meaning: "A hypothetical event naming the sender, recipient and interceptor of a message.",
        optional: &["from", "to", "interceptor"],
        reference: "RFC 9493 §1",
        ..EventType::DEFAULTS
    },
];
