//! SCIM events (draft-ietf-scim-events-16 §2.3–§2.5, registry in §7.4; published as RFC 9967).
//!
//! Drafts 02 to 09 spelled every URN with an upper-case `SCIM` (and `misc:asyncResp`); drafts 10
//! onwards use `scim` and `misc:asyncresp`. Implementations built on the early drafts still send
//! the upper-case form, so each event has a legacy entry for it as well.
//!
//! Payload members (§2.2): `:full` events carry `data`, `:notice` events carry `attributes`
//! (exactly one of the two), both may carry `version`; delete has no payload members.

use super::{EventType, Family};

/// One row per event: (suffix, draft 02–09 suffix, name, legacy name, meaning, section,
/// required members, optional members). Expands to the current entries, then the legacy ones.
macro_rules! scim_events {
    ($((
        $suffix:literal,
        $old_suffix:literal,
        $name:literal,
        $old_name:literal,
        $meaning:literal,
        $section:literal,
        $required:expr,
        $optional:expr $(,)?
    )),* $(,)?) => {
        &[
            $(EventType {
                uri: concat!("urn:ietf:params:scim:event:", $suffix),
                name: $name,
                family: Family::Scim,
                meaning: $meaning,
                required: $required,
                optional: $optional,
                reference: concat!("draft-ietf-scim-events-16 ", $section),
                ..EventType::DEFAULTS
            },)*
            $(EventType {
                uri: concat!("urn:ietf:params:SCIM:event:", $old_suffix),
                name: $old_name,
                family: Family::Scim,
                meaning: $meaning,
                required: $required,
                optional: $optional,
                replaced_by: Some(concat!("urn:ietf:params:scim:event:", $suffix)),
                reference: concat!("draft-ietf-scim-events-09 ", $section),
                ..EventType::DEFAULTS
            },)*
        ]
    };
}

const FULL: &[&str] = &["data"];
const NOTICE: &[&str] = &["attributes"];
const VERSION: &[&str] = &["version"];
const NONE: &[&str] = &[];

/// SCIM entries, current URNs first.
pub(super) static SCIM: &[EventType] = scim_events![
    (
        "feed:add",
        "feed:add",
        "Added to feed",
        "Added to feed (legacy)",
        "The resource was added to the event feed (it is not necessarily new).",
        "§2.3.1",
        NONE,
        NONE,
    ),
    (
        "feed:remove",
        "feed:remove",
        "Removed from feed",
        "Removed from feed (legacy)",
        "The resource was removed from the event feed (it is not necessarily deleted).",
        "§2.3.2",
        NONE,
        NONE,
    ),
    (
        "prov:create:notice",
        "prov:create:notice",
        "Resource created (notice)",
        "Resource created (notice, legacy)",
        "A new resource was created; attributes lists what was set, without the values.",
        "§2.4.1",
        NOTICE,
        VERSION,
    ),
    (
        "prov:create:full",
        "prov:create:full",
        "Resource created (full)",
        "Resource created (full, legacy)",
        "A new resource was created; data holds its final representation including its id.",
        "§2.4.1",
        FULL,
        VERSION,
    ),
    (
        "prov:patch:notice",
        "prov:patch:notice",
        "Resource patched (notice)",
        "Resource patched (notice, legacy)",
        "The resource was updated with SCIM PATCH; attributes lists what changed.",
        "§2.4.2",
        NOTICE,
        VERSION,
    ),
    (
        "prov:patch:full",
        "prov:patch:full",
        "Resource patched (full)",
        "Resource patched (full, legacy)",
        "The resource was updated with SCIM PATCH; data holds the patch operations.",
        "§2.4.2",
        FULL,
        VERSION,
    ),
    (
        "prov:put:notice",
        "prov:put:notice",
        "Resource replaced (notice)",
        "Resource replaced (notice, legacy)",
        "The resource was replaced with SCIM PUT; attributes lists what changed.",
        "§2.4.3",
        NOTICE,
        VERSION,
    ),
    (
        "prov:put:full",
        "prov:put:full",
        "Resource replaced (full)",
        "Resource replaced (full, legacy)",
        "The resource was replaced with SCIM PUT; data holds the PUT request body.",
        "§2.4.3",
        FULL,
        VERSION,
    ),
    (
        "prov:delete",
        "prov:delete",
        "Resource deleted",
        "Resource deleted (legacy)",
        "The resource was deleted and removed from the feed.",
        "§2.4.4",
        NONE,
        NONE,
    ),
    (
        "prov:activate",
        "prov:activate",
        "Resource activated",
        "Resource activated (legacy)",
        "The resource (e.g. a user account) was activated and is ready for use.",
        "§2.4.5",
        NONE,
        NONE,
    ),
    (
        "prov:deactivate",
        "prov:deactivate",
        "Resource deactivated",
        "Resource deactivated (legacy)",
        "The resource (e.g. a user account) was deactivated and disabled.",
        "§2.4.6",
        NONE,
        NONE,
    ),
    // The payload is one SCIM bulk response operation (RFC 7644 §3.7): method and status are
    // required there; location is too except for failed POSTs, but the draft's example omits it.
    (
        "misc:asyncresp",
        "misc:asyncResp",
        "Async request completed",
        "Async request completed (legacy)",
        "An asynchronous SCIM request finished; txn matches the request and status gives its outcome.",
        "§2.5.1.3",
        &["method", "status"],
        &["bulkId", "version", "location", "response"],
    ),
];
