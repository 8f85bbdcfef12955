//! Transmitter configuration metadata (SSF §7): where to fetch it, and what a valid document is.

use serde_json::Value;

/// The well-known name of SSF 1.0 metadata.
pub const SSF_WELL_KNOWN: &str = "ssf-configuration";
/// Push delivery method URI (RFC 8935).
pub const PUSH_METHOD: &str = "urn:ietf:rfc:8935";
/// Poll delivery method URI (RFC 8936).
pub const POLL_METHOD: &str = "urn:ietf:rfc:8936";
/// Push delivery method URI of the SSE/RISC drafts before June 2023.
pub const LEGACY_PUSH_METHOD: &str =
    "https://schemas.openid.net/secevent/risc/delivery-method/push";
/// Poll delivery method URI of the SSE/RISC drafts before June 2023.
pub const LEGACY_POLL_METHOD: &str =
    "https://schemas.openid.net/secevent/risc/delivery-method/poll";

/// Discovery failed; the text says what is wrong with both values where it helps.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    /// The issuer is not an absolute http(s) URL.
    #[error("the issuer must be an absolute https URL with no query or fragment, got \"{0}\"")]
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
/// (a terminating `/` of the path is removed first).
pub fn well_known_url(issuer: &str, name: &str) -> Result<String, DiscoveryError> {
    let bad = || DiscoveryError::BadIssuer(issuer.to_owned());
    let (scheme, rest) = issuer.split_once("://").ok_or_else(bad)?;
    if !matches!(scheme, "https" | "http") || issuer.contains(['?', '#']) {
        return Err(bad());
    }
    let (host, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    if host.is_empty() {
        return Err(bad());
    }
    let path = path.trim_end_matches('/');
    Ok(format!("{scheme}://{host}/.well-known/{name}{path}"))
}

/// True when the URL's host is a loopback address or `localhost`.
pub fn is_loopback(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host == "localhost" || host == "::1" || host.starts_with("127.")
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
    fn recognises_loopback() {
        assert!(is_loopback("http://127.0.0.1:80/x"));
        assert!(is_loopback("http://localhost:1"));
        assert!(is_loopback("http://[::1]:9/"));
        assert!(!is_loopback("https://example.com"));
    }
}
