//! Why an HTTP request got no answer, in words that say what to do: the error's chain of
//! sources is walked (an `io::Error` is opened too, since its `source()` skips what it wraps)
//! for the resolver's refusals, a redirect not followed, a refused connection, a timeout, and
//! the TLS verdicts.

use std::error::Error as StdError;
use std::fmt;

use rustls::CertificateError;

use super::redirect::RefusedRedirect;
use super::resolver::{InvalidHost, Unresolved};

/// The real cause of a failed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The host is under `.invalid` (RFC 6761 §6.4): it was not looked up.
    InvalidHost(String),
    /// The system resolver knows no such host.
    Unresolved(String),
    /// The host answered that nothing listens on the port.
    Refused(String),
    /// No connection, or no answer, in time (`true`: while connecting).
    TimedOut(String, bool),
    /// The certificate chains to no trusted root (self-signed, or an unknown CA).
    Untrusted(String),
    /// The certificate is not issued for the name in the URL.
    NameMismatch(String, String),
    /// The certificate has expired.
    Expired(String, String),
    /// The certificate is not valid yet.
    NotYetValid(String, String),
    /// Any other TLS failure.
    Tls(String, String),
    /// A redirect that was not followed (to another origin, or too many).
    Redirect(RefusedRedirect),
    /// Anything else: the original text.
    Other(String),
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidHost(host) => write!(
                f,
                "the host {host} does not resolve: names under .invalid cannot exist (RFC 6761 §6.4), so it was not looked up; check the URL and where it came from"
            ),
            Self::Unresolved(host) => write!(f, "the host {host} does not resolve: check the URL"),
            Self::Refused(at) => write!(
                f,
                "nothing listens at {at} (connection refused): check the URL, and that the transmitter runs"
            ),
            Self::TimedOut(at, true) => write!(
                f,
                "no connection to {at} in time (timed out): the host may be down, or a firewall may drop the traffic"
            ),
            Self::TimedOut(at, false) => write!(
                f,
                "{at} did not answer in time (timed out): the transmitter may be slow or stuck"
            ),
            Self::Untrusted(host) => write!(
                f,
                "the certificate of {host} is not trusted (self-signed, or signed by an unknown CA): give the transmitter's CA with `--ca-cert FILE`"
            ),
            Self::NameMismatch(host, detail) => write!(
                f,
                "the certificate is not valid for the name {host} ({detail}): use the host name it was issued for"
            ),
            Self::Expired(host, detail) => write!(
                f,
                "the certificate of {host} has expired ({detail}): the transmitter must renew it"
            ),
            Self::NotYetValid(host, detail) => write!(
                f,
                "the certificate of {host} is not valid yet ({detail}): check this machine's clock"
            ),
            Self::Tls(host, detail) => write!(f, "the TLS handshake with {host} failed: {detail}"),
            Self::Redirect(refused) => write!(f, "{refused}"),
            Self::Other(text) => f.write_str(text),
        }
    }
}

/// A request that got no answer: where it went and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Unreachable {
    /// The URL asked.
    pub url: String,
    /// Why no answer came.
    pub cause: Cause,
    /// The URL is a stream's poll URL, named by the transmitter (a host that cannot exist is
    /// then the transmitter's mistake, and the profile's poll URL the way around it).
    pub poll: bool,
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = &self.url;
        match &self.cause {
            Cause::InvalidHost(host) if self.poll => write!(
                f,
                "could not reach {url}: the host {host} does not resolve: the transmitter named a poll URL on a host that cannot exist (.invalid, RFC 6761 §6.4), so it was not looked up; give the URL to poll with `ssf-inspector profile add … --poll-url URL`"
            ),
            // A name that does not resolve, named by the transmitter's configuration (seen: a
            // poll URL hard-coded to the vendor's own host).
            Cause::Unresolved(host) if self.poll => write!(
                f,
                "could not reach {url}: the host {host} does not resolve; the stream's configuration names this poll URL: if the transmitter answers polls elsewhere, give that URL with `--poll-url URL`"
            ),
            cause => write!(f, "could not reach {url}: {cause}"),
        }
    }
}

/// The error for a request to `url` that failed with `err`.
pub fn unreachable(url: &str, err: &reqwest::Error) -> anyhow::Error {
    Unreachable {
        url: url.to_owned(),
        cause: classify(err),
        poll: false,
    }
    .into()
}

/// Mark an [`Unreachable`] error as one from a stream's poll URL (other errors pass as they are).
pub fn at_poll_url(err: anyhow::Error) -> anyhow::Error {
    match err.downcast::<Unreachable>() {
        Ok(unreachable) => Unreachable {
            poll: true,
            ..unreachable
        }
        .into(),
        Err(err) => err,
    }
}

/// Every error of the chain, with what each `io::Error` wraps.
fn chain<'e>(err: &'e (dyn StdError + 'static)) -> Vec<&'e (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(err);
    while let Some(err) = next {
        out.push(err);
        next = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => err.source(),
        };
        if out.len() > 32 {
            break;
        }
    }
    out
}

/// What `err` comes down to.
pub fn classify(err: &reqwest::Error) -> Cause {
    let url = err.url();
    let host = url
        .and_then(|u| u.host_str())
        .unwrap_or("the host")
        .to_owned();
    let at = match url.and_then(reqwest::Url::port_or_known_default) {
        Some(port) => format!("{host}:{port}"),
        None => host.clone(),
    };
    let errors = chain(err);
    for e in &errors {
        if let Some(refused) = e.downcast_ref::<RefusedRedirect>() {
            return Cause::Redirect(refused.clone());
        }
        if let Some(invalid) = e.downcast_ref::<InvalidHost>() {
            return Cause::InvalidHost(invalid.name.clone());
        }
        if let Some(unresolved) = e.downcast_ref::<Unresolved>() {
            return Cause::Unresolved(unresolved.name.clone());
        }
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return tls_cause(tls, host);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return Cause::Refused(at);
        }
    }
    if err.is_timeout() {
        return Cause::TimedOut(at, err.is_connect());
    }
    if err.is_dns() {
        return Cause::Unresolved(host);
    }
    let mut text: Vec<String> = Vec::new();
    for e in errors {
        let part = e.to_string();
        if !text.iter().any(|t| t.contains(&part)) {
            text.push(part);
        }
    }
    Cause::Other(text.join(": "))
}

fn tls_cause(err: &rustls::Error, host: String) -> Cause {
    let detail = err.to_string();
    let rustls::Error::InvalidCertificate(cert) = err else {
        return Cause::Tls(host, detail);
    };
    match cert {
        CertificateError::UnknownIssuer => Cause::Untrusted(host),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            Cause::NameMismatch(host, detail)
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            Cause::Expired(host, detail)
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            Cause::NotYetValid(host, detail)
        }
        _ => Cause::Tls(host, detail),
    }
}
