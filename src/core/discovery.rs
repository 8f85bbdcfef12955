//! Transmitter configuration metadata (SSF §7): where to fetch it, and what a valid document is.

use serde_json::Value;
use url::{Host, Url};

use super::host::is_localhost_name;

/// The well-known name of SSF 1.0 metadata.
pub const SSF_WELL_KNOWN: &str = "ssf-configuration";
/// Push delivery method URI (RFC 8935).
pub const PUSH_METHOD: &str = "urn:ietf:rfc:8935";
/// Poll delivery method URI (RFC 8936).
pub const POLL_METHOD: &str = "urn:ietf:rfc:8936";
/// The RISC-era push delivery method URI that older transmitters still advertise.
pub const LEGACY_PUSH_METHOD: &str =
    "https://schemas.openid.net/secevent/risc/delivery-method/push";
/// The RISC-era poll delivery method URI that older transmitters still advertise.
pub const LEGACY_POLL_METHOD: &str =
    "https://schemas.openid.net/secevent/risc/delivery-method/poll";

/// True for a push method URI, current or legacy.
pub fn is_push_method(uri: &str) -> bool {
    uri == PUSH_METHOD || uri == LEGACY_PUSH_METHOD
}

/// True for a poll method URI, current or legacy.
pub fn is_poll_method(uri: &str) -> bool {
    uri == POLL_METHOD || uri == LEGACY_POLL_METHOD
}

/// The method URI to ask for: the RFC one unless the transmitter advertises only the legacy
/// one (an empty list advertises nothing, so the RFC URI is used).
pub fn delivery_method_for(push: bool, supported: &[String]) -> &'static str {
    let (current, legacy) = if push {
        (PUSH_METHOD, LEGACY_PUSH_METHOD)
    } else {
        (POLL_METHOD, LEGACY_POLL_METHOD)
    };
    let has = |uri: &str| supported.iter().any(|s| s == uri);
    if !has(current) && has(legacy) {
        legacy
    } else {
        current
    }
}

/// Discovery failed; the text says what is wrong with both values where it helps.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    /// The issuer is not an absolute http(s) URL.
    #[error(
        "the issuer must be an absolute https URL with a host and no user info, query or fragment, got \"{0}\""
    )]
    BadIssuer(String),
    /// The document is not a JSON object or lacks a member.
    #[error("the metadata is unusable: {0}")]
    BadDocument(String),
    /// SSF §7.2.4: `issuer` must equal the URL used.
    #[error(
        "the metadata says issuer \"{found}\" but it was fetched for issuer \"{expected}\" (SSF §7.2.4: they must be identical)"
    )]
    IssuerMismatch {
        /// The issuer the receiver asked for.
        expected: String,
        /// What the document says.
        found: String,
    },
}

/// SSF §7.2: insert `/.well-known/<name>` between the host and the path of the issuer
/// (a terminating `/` of the path is removed first). The issuer is parsed as a URL, as the HTTP
/// client will parse it: it must be http(s) with a host, and have no user info, query or fragment.
pub fn well_known_url(issuer: &str, name: &str) -> Result<String, DiscoveryError> {
    let bad = || DiscoveryError::BadIssuer(issuer.to_owned());
    // `https:///host` and `https:\\host` are read as `https://host` by the URL standard; an
    // issuer written so is a mistake, not a host.
    let authority = issuer.split_once("://").map(|(_, rest)| rest);
    if issuer.contains(['?', '#']) || authority.is_none_or(|a| a.starts_with(['/', '\\'])) {
        return Err(bad());
    }
    let url = Url::parse(issuer).map_err(|_| bad())?;
    if !matches!(url.scheme(), "https" | "http")
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(bad());
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(bad());
    };
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    Ok(format!(
        "{}://{host}{port}/.well-known/{name}{path}",
        url.scheme()
    ))
}

/// True when the URL's host, parsed as the HTTP client parses it, is this machine: an IPv4
/// address in 127.0.0.0/8, the IPv6 address `::1`, or `localhost` / `*.localhost` (RFC 6761).
/// User info is not the host (`http://127.0.0.1@evil.example/` is not loopback), nor is a name
/// that merely starts like one (`127.0.0.1.evil.example`, `localhost.evil.example`). IPv4
/// spellings the URL standard reads as an address (`127.1`, `0x7f.0.0.1`) are that address.
/// An IPv4-mapped IPv6 address (`[::ffff:127.0.0.1]`) is deliberately not loopback: it depends
/// on the socket's dual-stack setting, and `127.0.0.1` says the same plainly.
pub fn is_loopback(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        Some(Host::Domain(name)) => is_localhost_name(name),
        None => false,
    }
}

/// The members of SSF metadata the receiver uses; the whole document is kept too.
#[derive(Clone, Debug, PartialEq)]
pub struct TransmitterMetadata {
    /// `issuer`.
    pub issuer: String,
    /// `spec_version` (absent means "1_0-ID1").
    pub spec_version: Option<String>,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `configuration_endpoint`.
    pub configuration_endpoint: Option<String>,
    /// `status_endpoint`.
    pub status_endpoint: Option<String>,
    /// `verification_endpoint`.
    pub verification_endpoint: Option<String>,
    /// `add_subject_endpoint`.
    pub add_subject_endpoint: Option<String>,
    /// `remove_subject_endpoint`.
    pub remove_subject_endpoint: Option<String>,
    /// `delivery_methods_supported`.
    pub delivery_methods_supported: Vec<String>,
    /// The document as received.
    pub document: Value,
}

/// Validate a metadata document fetched for `expected_issuer` (SSF §7.2.4).
pub fn parse_metadata(
    expected_issuer: &str,
    document: Value,
) -> Result<TransmitterMetadata, DiscoveryError> {
    let Some(obj) = document.as_object() else {
        return Err(DiscoveryError::BadDocument(
            "it is not a JSON object".to_owned(),
        ));
    };
    let string = |name: &str| obj.get(name).and_then(Value::as_str).map(str::to_owned);
    let Some(issuer) = string("issuer") else {
        return Err(DiscoveryError::BadDocument(
            "it has no \"issuer\" string".to_owned(),
        ));
    };
    if issuer != expected_issuer {
        return Err(DiscoveryError::IssuerMismatch {
            expected: expected_issuer.to_owned(),
            found: issuer,
        });
    }
    let methods = obj
        .get("delivery_methods_supported")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(TransmitterMetadata {
        spec_version: string("spec_version"),
        jwks_uri: string("jwks_uri"),
        configuration_endpoint: string("configuration_endpoint"),
        status_endpoint: string("status_endpoint"),
        verification_endpoint: string("verification_endpoint"),
        add_subject_endpoint: string("add_subject_endpoint"),
        remove_subject_endpoint: string("remove_subject_endpoint"),
        delivery_methods_supported: methods,
        issuer,
        document,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inserts_the_well_known_between_host_and_path() {
        let w = |i: &str| well_known_url(i, SSF_WELL_KNOWN).unwrap();
        assert_eq!(
            w("https://tr.example.com"),
            "https://tr.example.com/.well-known/ssf-configuration"
        );
        assert_eq!(
            w("https://tr.example.com/"),
            "https://tr.example.com/.well-known/ssf-configuration"
        );
        assert_eq!(
            w("https://tr.example.com/issuer1/"),
            "https://tr.example.com/.well-known/ssf-configuration/issuer1"
        );
        assert_eq!(
            w("http://127.0.0.1:8080/a/b"),
            "http://127.0.0.1:8080/.well-known/ssf-configuration/a/b"
        );
        assert!(well_known_url("ftp://x", SSF_WELL_KNOWN).is_err());
        assert!(well_known_url("https://x/?q=1", SSF_WELL_KNOWN).is_err());
    }

    #[test]
    fn issuer_must_match_exactly() {
        let doc =
            json!({"issuer": "https://tr.example.com/", "jwks_uri": "https://tr.example.com/jwks"});
        let err = parse_metadata("https://tr.example.com", doc.clone()).unwrap_err();
        assert!(
            err.to_string().contains("\"https://tr.example.com/\""),
            "{err}"
        );
        assert!(parse_metadata("https://tr.example.com/", doc).is_ok());
    }

    #[test]
    fn the_advertised_delivery_method_is_used() {
        let legacy = vec![LEGACY_PUSH_METHOD.to_owned(), LEGACY_POLL_METHOD.to_owned()];
        assert_eq!(delivery_method_for(true, &legacy), LEGACY_PUSH_METHOD);
        assert_eq!(delivery_method_for(false, &legacy), LEGACY_POLL_METHOD);
        let both = vec![PUSH_METHOD.to_owned(), LEGACY_PUSH_METHOD.to_owned()];
        assert_eq!(delivery_method_for(true, &both), PUSH_METHOD);
        assert_eq!(delivery_method_for(false, &[]), POLL_METHOD);
        assert!(is_push_method(LEGACY_PUSH_METHOD) && !is_push_method(POLL_METHOD));
    }

    #[test]
    fn recognises_loopback() {
        assert!(is_loopback("http://127.0.0.1:80/x"));
        assert!(is_loopback("http://localhost:1"));
        assert!(is_loopback("http://[::1]:9/"));
        assert!(!is_loopback("https://example.com"));
    }

    #[test]
    fn loopback_forms() {
        for url in [
            "http://127.0.0.1/",
            "http://127.255.255.254:9/",
            "https://LOCALHOST/",
            "http://LocalHost:8080/x",
            "http://localhost./",
            "http://127.0.0.1./",
            "http://ssf.localhost:8080/",
            "http://%6c%6fcalhost/",
            "http://127.1/",
            "http://0x7f.0.0.1/",
            "http://evil.example@127.0.0.1/",
            "http://[0:0:0:0:0:0:0:1]/",
        ] {
            assert!(is_loopback(url), "{url} is loopback");
        }
    }

    #[test]
    fn hostile_forms_are_not_loopback() {
        for url in [
            "http://127.evil.example/",
            "http://127.0.0.1.evil.example/",
            "http://127.0.0.1@evil.example/",
            "http://127.0.0.1:80@evil.example/",
            "http://localhost@evil.example/",
            "http://localhost:pw@evil.example:8080/",
            "http://localhost.evil.example/",
            "http://evillocalhost/",
            "http://127.0.0.1%2eevil.example/",
            "http://127.0.0.1%40evil.example/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::2]/",
            "http://128.0.0.1/",
            "http://0.0.0.0/",
            "127.0.0.1",
            "127.0.0.1:8080/x",
            "localhost:8080",
            "//127.0.0.1/",
            "http:///x",
            "",
        ] {
            assert!(!is_loopback(url), "{url} is not loopback");
        }
    }

    #[test]
    fn well_known_url_reads_the_host_as_the_client_will() {
        let w = |i: &str| well_known_url(i, SSF_WELL_KNOWN);
        assert!(w("https://127.0.0.1@evil.example/").is_err(), "user info");
        assert!(w("https://user:pw@tr.example.com/").is_err(), "user info");
        assert!(w("https:///x").is_err(), "no host");
        assert!(w("https:\\\\tr.example.com/").is_err(), "backslashes");
        assert!(w("https://tr.example.com#f").is_err(), "fragment");
        assert!(w("tr.example.com/issuer").is_err(), "no scheme");
        assert_eq!(
            w("https://TR.Example.COM:443/i").unwrap(),
            "https://tr.example.com/.well-known/ssf-configuration/i"
        );
        assert_eq!(
            w("http://[::1]:9/a/").unwrap(),
            "http://[::1]:9/.well-known/ssf-configuration/a"
        );
    }
}
