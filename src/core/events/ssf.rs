//! Shared Signals Framework events (SSF 1.0 §8.1.4.1, §8.1.5) and their older spellings.

use super::{
    EventType, Family, STREAM_UPDATED, STREAM_UPDATED_SSE, VERIFICATION, VERIFICATION_SSE,
};

const STATUS: (&str, &[&str]) = ("status", &["enabled", "paused", "disabled"]);

/// SSF entries, current URIs first.
pub(super) static SSF: &[EventType] = &[
    EventType {
        uri: STREAM_UPDATED,
        name: "Stream updated",
        family: Family::Ssf,
        meaning: "The transmitter changed the stream's status (enabled, paused or disabled) on its own initiative.",
        required: &["status"],
        optional: &["reason"],
        domains: &[STATUS],
        stops_stream: true,
        reference: "SSF 1.0 §8.1.5",
        ..EventType::DEFAULTS
    },
    EventType {
        uri: VERIFICATION,
        name: "Verification",
        family: Family::Ssf,
        meaning: "A heartbeat the receiver asked for (or the transmitter sent on its own) to prove the stream delivers.",
        optional: &["state"],
        reference: "SSF 1.0 §8.1.4.1",
        ..EventType::DEFAULTS
    },
    // SSE Framework ID1 (openid-sse-framework-1_0, 2021) §7.1.5: the `sse` path, and an optional
    // in-event `subject` because status could be per subject. Renamed to `ssf` in 2023.
    EventType {
        uri: STREAM_UPDATED_SSE,
        name: "Stream updated (legacy SSE)",
        family: Family::Ssf,
        meaning: "SSE ID1 spelling of stream-updated: the transmitter changed the stream's status.",
        required: &["status"],
        optional: &["reason", "subject"],
        domains: &[STATUS],
        stops_stream: true,
        replaced_by: Some(STREAM_UPDATED),
        reference: "SSE Framework ID1 §7.1.5",
        ..EventType::DEFAULTS
    },
    // SSE Framework ID1 §7.1.4.1.
    EventType {
        uri: VERIFICATION_SSE,
        name: "Verification (legacy SSE)",
        family: Family::Ssf,
        meaning: "SSE ID1 spelling of verification: a heartbeat proving the stream delivers.",
        optional: &["state"],
        replaced_by: Some(VERIFICATION),
        reference: "SSE Framework ID1 §7.1.4.1",
        ..EventType::DEFAULTS
    },
    // OpenID RISC Profile 1.0 drafts (openid-risc-profile-1_0, 2018-2020) §4.1.4.1 defined the
    // verification event under the RISC path; Google's RISC transmitter still uses it.
    EventType {
        uri: "https://schemas.openid.net/secevent/risc/event-type/verification",
        name: "Verification (legacy RISC)",
        family: Family::Ssf,
        meaning: "RISC Profile draft spelling of verification: a heartbeat proving the stream delivers.",
        optional: &["state"],
        replaced_by: Some(VERIFICATION),
        reference: "RISC Profile 1.0 draft §4.1.4.1",
        ..EventType::DEFAULTS
    },
];
