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
];
