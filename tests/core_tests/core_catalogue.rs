//! The event catalogue is complete and consistent: unique URIs, every entry described and
//! referenced, legacy spellings pointing at current entries, CAEP common members everywhere,
//! and spot checks per family.

use std::collections::HashSet;

use ssf_inspector::core::events::*;

const CAEP_COMMON: [&str; 4] = [
    "event_timestamp",
    "initiating_entity",
    "reason_admin",
    "reason_user",
];

fn entry(uri: &str) -> &'static EventType {
    lookup(uri).unwrap_or_else(|| panic!("{uri} is not in the catalogue"))
}

fn is_legacy(e: &EventType) -> bool {
    e.replaced_by.is_some()
}

#[test]
fn every_uri_is_unique() {
    let mut seen = HashSet::new();
    for e in CATALOGUE.iter() {
        assert!(seen.insert(e.uri), "{} is listed twice", e.uri);
    }
}

#[test]
fn every_entry_is_named_described_and_referenced() {
    for e in CATALOGUE.iter() {
        assert!(!e.uri.is_empty(), "an entry has no URI");
        assert!(!e.name.is_empty(), "{} has no name", e.uri);
        assert!(!e.meaning.is_empty(), "{} has no meaning", e.uri);
        assert!(!e.reference.is_empty(), "{} has no reference", e.uri);
        // Event types that exist only as RFC examples may belong to no family.
        if !e.name.ends_with(" example)") {
            assert_ne!(e.family, Family::Unknown, "{} has no family", e.uri);
        }
        assert!(e.meaning.ends_with('.'), "{}: meaning is a sentence", e.uri);
        let first = e.name.chars().next().unwrap();
        assert!(first.is_uppercase(), "{}: name in sentence case", e.uri);
    }
}

#[test]
fn legacy_entries_point_at_current_entries() {
    for e in CATALOGUE.iter().filter(|e| is_legacy(e)) {
        let target = e.replaced_by.unwrap();
        let current = lookup(target)
            .unwrap_or_else(|| panic!("{} is replaced by {target}, not catalogued", e.uri));
        assert!(
            !is_legacy(current),
            "{} is replaced by {target}, itself legacy",
            e.uri
        );
        assert_ne!(e.uri, target, "{} replaces itself", e.uri);
        assert_eq!(canonical(e.uri), target, "canonical({})", e.uri);
        if !e.deprecated {
            assert!(
                e.name.contains("legacy"),
                "{}: legacy spelling named {:?}",
                e.uri,
                e.name
            );
        }
    }
    for e in CATALOGUE.iter().filter(|e| !is_legacy(e)) {
        assert_eq!(
            canonical(e.uri),
            e.uri,
            "current URIs are their own canonical form"
        );
    }
}

#[test]
fn members_are_listed_once_and_domains_name_listed_members() {
    for e in CATALOGUE.iter() {
        let mut members = HashSet::new();
        for m in e.required.iter().chain(e.optional) {
            assert!(members.insert(*m), "{}: member {m} listed twice", e.uri);
        }
        for (member, values) in e.domains {
            assert!(
                members.contains(member),
                "{}: domain for unlisted member {member}",
                e.uri
            );
            assert!(!values.is_empty(), "{}: empty domain for {member}", e.uri);
        }
    }
}

#[test]
fn every_caep_entry_allows_the_common_members() {
    let caep: Vec<_> = CATALOGUE
        .iter()
        .filter(|e| e.family == Family::Caep)
        .collect();
    assert!(caep.len() >= 8, "all eight CAEP 1.0 event types");
    for e in caep {
        for member in CAEP_COMMON {
            assert!(
                e.optional.contains(&member),
                "{}: {member} is optional",
                e.uri
            );
        }
        assert_eq!(
            e.domain("initiating_entity"),
            Some(&["admin", "user", "policy", "system"][..]),
            "{}: initiating_entity domain",
            e.uri
        );
    }
}

#[test]
fn stream_updated_stops_the_stream_in_both_spellings() {
    for uri in [STREAM_UPDATED, STREAM_UPDATED_SSE] {
        let e = entry(uri);
        assert!(e.stops_stream, "{uri} stops_stream");
        assert!(e.required.contains(&"status"), "{uri} requires status");
        assert_eq!(
            e.domain("status"),
            Some(&["enabled", "paused", "disabled"][..]),
            "{uri} status domain"
        );
        assert!(is_stream_updated(uri));
    }
    let stoppers: Vec<_> = CATALOGUE
        .iter()
        .filter(|e| e.stops_stream)
        .map(|e| e.uri)
        .collect();
    assert_eq!(stoppers, [STREAM_UPDATED, STREAM_UPDATED_SSE]);
    for uri in [VERIFICATION, VERIFICATION_SSE] {
        assert!(is_verification(uri), "{uri} is verification");
        assert!(entry(uri).optional.contains(&"state"));
    }
}

#[test]
fn spot_checks_per_family() {
    let table: &[(&str, &str, Family)] = &[
        (STREAM_UPDATED, "Stream updated", Family::Ssf),
        (VERIFICATION, "Verification", Family::Ssf),
        (
            "https://schemas.openid.net/secevent/caep/event-type/credential-change",
            "Credential changed",
            Family::Caep,
        ),
        (
            "https://schemas.openid.net/secevent/caep/event-type/risk-level-change",
            "Risk level changed",
            Family::Caep,
        ),
        (
            "https://schemas.openid.net/secevent/risc/event-type/account-disabled",
            "Account disabled",
            Family::Risc,
        ),
        (
            "https://schemas.openid.net/secevent/risc/event-type/credential-compromise",
            "Credential compromised",
            Family::Risc,
        ),
        (
            "urn:ietf:params:scim:event:prov:create:full",
            "Resource created (full)",
            Family::Scim,
        ),
        (
            "urn:ietf:params:scim:event:misc:asyncresp",
            "Async request completed",
            Family::Scim,
        ),
        (
            "http://schemas.openid.net/event/backchannel-logout",
            "Back-channel logout",
            Family::Oidc,
        ),
    ];
    for (uri, name, family) in table {
        let e = entry(uri);
        assert_eq!((e.name, e.family), (*name, *family), "{uri}");
        let shown = EventRef::from_uri(uri);
        assert_eq!(
            (shown.name.as_str(), shown.family, shown.known),
            (*name, *family, true)
        );
    }
}

#[test]
fn spot_checks_of_members_and_legacy_spellings() {
    let change = entry(&caep("credential-change"));
    assert_eq!(change.required, ["credential_type", "change_type"]);
    assert_eq!(
        change.domain("change_type"),
        Some(&["create", "revoke", "update", "delete"][..])
    );
    let compromise = entry(&risc("credential-compromise"));
    assert_eq!(
        compromise.domain("credential_type"),
        change.domain("credential_type")
    );
    assert!(!compromise.optional.contains(&"initiating_entity"));

    let sessions = entry(&risc("sessions-revoked"));
    assert!(sessions.deprecated);
    assert_eq!(sessions.replaced_by, Some(caep("session-revoked").as_str()));

    let cases: &[(&str, &str)] = &[
        (STREAM_UPDATED_SSE, STREAM_UPDATED),
        (VERIFICATION_SSE, VERIFICATION),
        (
            "https://schemas.openid.net/secevent/risc/event-type/verification",
            VERIFICATION,
        ),
        (
            "http://schemas.openid.net/secevent/risc/event-type/account-disabled",
            "https://schemas.openid.net/secevent/risc/event-type/account-disabled",
        ),
        (
            "https://schemas.openid.net/secevent/caep/event-type/token-claims-changed",
            "https://schemas.openid.net/secevent/caep/event-type/token-claims-change",
        ),
        (
            "urn:ietf:params:SCIM:event:prov:create:full",
            "urn:ietf:params:scim:event:prov:create:full",
        ),
        (
            "urn:ietf:params:SCIM:event:misc:asyncResp",
            "urn:ietf:params:scim:event:misc:asyncresp",
        ),
    ];
    for (legacy, current) in cases {
        assert_eq!(canonical(legacy), *current, "{legacy}");
        assert_eq!(entry(legacy).family, entry(current).family, "{legacy}");
    }
}

#[test]
fn unknown_uris_are_kept_and_shown_by_uri() {
    for uri in [
        "urn:example:custom",
        "https://example.com/event-type/made-up",
        "",
    ] {
        assert!(lookup(uri).is_none());
        assert_eq!(canonical(uri), uri);
        let shown = EventRef::from_uri(uri);
        assert_eq!(
            (
                shown.uri.as_str(),
                shown.name.as_str(),
                shown.family,
                shown.known
            ),
            (uri, uri, Family::Unknown, false)
        );
    }
}

#[test]
fn event_types_can_be_named_by_their_last_segment() {
    use ssf_inspector::core::events::{parse_list, resolve, short_name};
    let revoked = ssf_inspector::core::events::caep("session-revoked");
    assert_eq!(
        resolve("session-revoked").as_deref(),
        Some(revoked.as_str())
    );
    assert_eq!(
        resolve("account-disabled"),
        Some(ssf_inspector::core::events::risc("account-disabled"))
    );
    assert_eq!(resolve("no-such-event"), None);
    assert_eq!(
        resolve("https://example.com/event/custom").as_deref(),
        Some("https://example.com/event/custom"),
        "a URI is taken as given"
    );
    assert_eq!(short_name(&revoked), "session-revoked");
    assert_eq!(
        short_name("https://example.com/event/custom"),
        "https://example.com/event/custom"
    );
    let listed = parse_list("session-revoked, credential-change session-revoked");
    assert_eq!(listed.as_ref().map(Vec::len), Ok(2), "{listed:?}");
    assert_eq!(
        parse_list("session-revoked, nope, neither"),
        Err(vec!["nope".to_owned(), "neither".to_owned()])
    );
    assert_eq!(parse_list("  "), Ok(Vec::new()));
}

#[test]
fn every_current_url_event_type_has_a_short_name_of_its_own() {
    // SCIM's URNs have no path segment to name them by; they are given whole.
    let ambiguous: Vec<&str> = CATALOGUE
        .iter()
        .filter(|e| e.replaced_by.is_none() && e.uri.starts_with("http"))
        .filter(|e| short_name(e.uri) == e.uri)
        .map(|e| e.uri)
        .collect();
    assert!(ambiguous.is_empty(), "{ambiguous:?}");
}
