//! The TLS rule for every URL the receiver calls, from the profile (issuer, metadata URL,
//! token endpoint, poll URL) and from the transmitter (the metadata's `jwks_uri` and endpoints,
//! the stream's poll endpoint): https, or plain http to this machine, or plain http elsewhere
//! only when the profile allows it. Each plain-http URL is named, so "no TLS" is shown per URL.

use super::discovery::{TransmitterMetadata, is_loopback};

/// A URL the receiver will call without TLS, and why that is accepted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NoTls {
    /// What the URL is for ("issuer", "jwks_uri", "token endpoint", …).
    pub what: String,
    /// The URL.
    pub url: String,
    /// True when the host is this machine; false when the profile allows plain http elsewhere.
    pub loopback: bool,
}

impl NoTls {
    /// One line: "no TLS: jwks_uri http://… (this machine)".
    pub fn line(&self) -> String {
        let why = if self.loopback {
            "this machine"
        } else {
            "another machine, allowed by the profile"
        };
        format!("no TLS: {} {} ({why})", self.what, self.url)
    }
}

/// A URL the rule refuses; the text says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefused {
    /// Plain http to another machine, not allowed by the profile.
    #[error(
        "the {what} {url} is plain http to another machine (what is sent to it, secrets included, would travel in clear): use https, or allow insecure http in the profile"
    )]
    PlainHttp {
        /// What the URL is for.
        what: String,
        /// The URL.
        url: String,
    },
    /// Not an http(s) URL at all.
    #[error("the {what} must be an http(s) URL, got \"{url}\"")]
    NotHttp {
        /// What the URL is for.
        what: String,
        /// The URL.
        url: String,
    },
}

/// Apply the rule to one URL: `Ok(None)` for https, `Ok(Some(..))` for accepted plain http.
pub fn check_url(
    what: &str,
    url: &str,
    allow_insecure_http: bool,
) -> Result<Option<NoTls>, UrlRefused> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("https") => Ok(None),
        Some("http") if is_loopback(url) => Ok(Some(NoTls {
            what: what.to_owned(),
            url: url.to_owned(),
            loopback: true,
        })),
        Some("http") if allow_insecure_http => Ok(Some(NoTls {
            what: what.to_owned(),
            url: url.to_owned(),
            loopback: false,
        })),
        Some("http") => Err(UrlRefused::PlainHttp {
            what: what.to_owned(),
            url: url.to_owned(),
        }),
        _ => Err(UrlRefused::NotHttp {
            what: what.to_owned(),
            url: url.to_owned(),
        }),
    }
}

/// Apply the rule to every URL in `urls`; the first refused one is the error.
pub fn check_urls<'a>(
    urls: impl IntoIterator<Item = (&'a str, &'a str)>,
    allow_insecure_http: bool,
) -> Result<Vec<NoTls>, UrlRefused> {
    let mut plain = Vec::new();
    for (what, url) in urls {
        if let Some(no_tls) = check_url(what, url, allow_insecure_http)? {
            plain.push(no_tls);
        }
    }
    Ok(plain)
}

/// The URLs the metadata gives the receiver to call, named by their member.
pub fn metadata_urls(metadata: &TransmitterMetadata) -> Vec<(&'static str, &str)> {
    [
        ("jwks_uri", &metadata.jwks_uri),
        ("configuration_endpoint", &metadata.configuration_endpoint),
        ("status_endpoint", &metadata.status_endpoint),
        ("verification_endpoint", &metadata.verification_endpoint),
        ("add_subject_endpoint", &metadata.add_subject_endpoint),
        ("remove_subject_endpoint", &metadata.remove_subject_endpoint),
    ]
    .into_iter()
    .filter_map(|(what, url)| url.as_deref().map(|url| (what, url)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_passes_loopback_http_is_named_elsewhere_refused_unless_allowed() {
        assert_eq!(
            check_url("issuer", "https://tr.example.com/", false),
            Ok(None)
        );
        assert_eq!(
            check_url("issuer", "HTTPS://tr.example.com/", false),
            Ok(None)
        );
        let local = check_url("jwks_uri", "http://127.0.0.1:9/jwks", false)
            .unwrap()
            .unwrap();
        assert!(local.loopback);
        assert_eq!(
            local.line(),
            "no TLS: jwks_uri http://127.0.0.1:9/jwks (this machine)"
        );
        let refused = check_url("token endpoint", "http://idp.example.com/token", false);
        assert!(matches!(refused, Err(UrlRefused::PlainHttp { .. })));
        assert!(refused.unwrap_err().to_string().contains("in clear"));
        let allowed = check_url("token endpoint", "http://idp.example.com/token", true)
            .unwrap()
            .unwrap();
        assert!(!allowed.loopback);
        assert!(matches!(
            check_url("poll URL", "ftp://x/", true),
            Err(UrlRefused::NotHttp { .. })
        ));
        // User info is not the host: this is another machine.
        assert!(check_url("issuer", "http://127.0.0.1@evil.example/", false).is_err());
    }
}
