//! Redirects the receiver follows: only within the origin asked (same scheme, host and port), at
//! most [`MAX_HOPS`]. A redirect to another origin is not followed, so nothing a request carries
//! (a create body with the push authorization, client credentials, a bearer token) is sent to a
//! host that was not configured, a token is never taken from one, and the TLS rule checked for
//! the configured URL holds for every hop. The error names both ends.

use std::fmt;

/// Redirects followed within one origin before giving up.
pub const MAX_HOPS: usize = 5;

/// A redirect that was not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedRedirect {
    /// The URL that answered with the redirect.
    pub from: String,
    /// Where it pointed.
    pub to: String,
    /// The redirect's HTTP status.
    pub status: u16,
    /// Why it was not followed.
    pub why: RefusedBecause,
}

/// Why a redirect was not followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusedBecause {
    /// It points to another scheme, host or port.
    OtherOrigin,
    /// More than [`MAX_HOPS`] in a row.
    TooMany,
}

impl fmt::Display for RefusedRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            from, to, status, ..
        } = self;
        match self.why {
            RefusedBecause::OtherOrigin => write!(
                f,
                "{from} redirected (HTTP {status}) to {to}, on another origin; not followed, so \
                 nothing was sent there: if that is the right address, configure it instead"
            ),
            RefusedBecause::TooMany => write!(
                f,
                "{from} redirected (HTTP {status}) to {to}, more than {MAX_HOPS} redirects in a \
                 row; not followed: configure the final address"
            ),
        }
    }
}

impl std::error::Error for RefusedRedirect {}

/// Whether `a` and `b` are the same origin (scheme, host, port).
pub fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The rule: same-origin redirects only, at most [`MAX_HOPS`].
pub fn policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(from) = attempt.previous().last().cloned() else {
            return attempt.stop();
        };
        let refused = |why| RefusedRedirect {
            from: from.to_string(),
            to: attempt.url().to_string(),
            status: attempt.status().as_u16(),
            why,
        };
        if !same_origin(&from, attempt.url()) {
            let err = refused(RefusedBecause::OtherOrigin);
            attempt.error(err)
        } else if attempt.previous().len() > MAX_HOPS {
            let err = refused(RefusedBecause::TooMany);
            attempt.error(err)
        } else {
            attempt.follow()
        }
    })
}
