//! Transmitter profiles: how to reach a transmitter (issuer or metadata URL), how to authorize
//! management calls, how SETs are delivered, and what to trust. Secrets are references
//! (`env:NAME`, `file:PATH`, or kept in the separate secrets file), never values in the profile.

use serde::{Deserialize, Serialize};

pub use super::profile_stream::{PushTls, SetupOptions, StreamSetup};

/// Where a secret comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "from", content = "at")]
pub enum SecretRef {
    /// An environment variable.
    Env(String),
    /// A file's contents (trimmed).
    File(String),
    /// The secrets file (mode 0600), under this key.
    Stored(String),
}

impl SecretRef {
    /// Read a command-line value: `env:NAME`, `file:PATH`, else a literal to store under `key`.
    /// Returns the reference and, for a literal, the value to store.
    pub fn from_arg(arg: &str, key: &str) -> (Self, Option<String>) {
        if let Some(name) = arg.strip_prefix("env:") {
            (Self::Env(name.to_owned()), None)
        } else if let Some(path) = arg.strip_prefix("file:") {
            (Self::File(path.to_owned()), None)
        } else {
            (Self::Stored(key.to_owned()), Some(arg.to_owned()))
        }
    }

    /// How to show it (never the value).
    pub fn describe(&self) -> String {
        match self {
            Self::Env(name) => format!("env:{name}"),
            Self::File(path) => format!("file:{path}"),
            Self::Stored(_) => "stored (secrets file)".to_owned(),
        }
    }
}

/// How management calls are authorized.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ManagementAuth {
    /// No authorization (a transmitter that needs none).
    #[default]
    None,
    /// A static bearer token.
    Bearer {
        /// The token.
        token: SecretRef,
    },
    /// OAuth 2.0 client credentials; the token is fetched and refreshed before it expires.
    ClientCredentials {
        /// Token endpoint URL.
        token_endpoint: String,
        /// Client id.
        client_id: String,
        /// Client secret.
        client_secret: SecretRef,
        /// Scopes, e.g. `ssf.read ssf.manage`.
        scopes: Vec<String>,
    },
}

/// How SETs reach the receiver.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryMode {
    /// RFC 8935: the transmitter POSTs to our listener.
    #[default]
    Push,
    /// RFC 8936: we POST to the transmitter's poll endpoint.
    Poll,
}

/// One transmitter profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Unique name.
    pub name: String,
    /// Issuer URL (discovery by SSF §7.2).
    pub issuer: String,
    /// Metadata URL, when the transmitter serves it elsewhere than the well-known location.
    pub metadata_url: Option<String>,
    /// Management authorization.
    pub auth: ManagementAuth,
    /// Push or poll.
    pub delivery: DeliveryMode,
    /// Push: where the listener binds (default 127.0.0.1 and any free port).
    pub listen: Option<String>,
    /// Push: the Authorization value the transmitter must send (random when absent).
    pub push_authorization: Option<SecretRef>,
    /// Expected audience, when the transmitter does not assign one.
    pub audience: Option<String>,
    /// Extra trusted CA certificate (PEM file) for self-signed transmitters.
    pub ca_cert: Option<String>,
    /// Accept any TLS certificate (dangerous; shown in red wherever the profile appears).
    pub accept_invalid_certs: bool,
    /// Allow a plain-http issuer that is not on this machine.
    pub allow_insecure_http: bool,
    /// Which broken MUSTs of a SET (no `jti`, wrong `typ`, expired) are refused (the default)
    /// or accepted and flagged.
    #[serde(default)]
    pub rules: super::set_rules::SetRules,
    /// Event types to ask for (empty: everything the transmitter supports).
    pub events_requested: Vec<String>,
    /// How the stream is watched: status reads, verification heartbeats, silence.
    pub watch: ProfileWatch,
    /// How the stream is found, created, attached to, or provisioned out of band.
    pub stream: StreamSetup,
    /// Ways to bend stream set-up for a transmitter that bends the spec.
    pub setup: SetupOptions,
}

/// The longest interval or threshold a profile may set (a week).
pub const WATCH_MAX_SECS: u64 = 7 * 24 * 3600;

/// How a profile's stream is watched when the transmitter does not tell (issue #7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileWatch {
    /// Read the stream status this often (seconds).
    pub status_every_secs: u64,
    /// Request a verification SET this often (seconds; never more often than the
    /// transmitter's `min_verification_interval`).
    pub heartbeat_every_secs: u64,
    /// A requested verification SET must arrive within this time (seconds).
    pub heartbeat_timeout_secs: u64,
    /// Alert when no SET came for this long (seconds; `None`: learned from the traffic seen).
    pub silent_after_secs: Option<u64>,
    /// Poll: wait this long after an empty answer that came at once (a transmitter that does
    /// not hold long polls), so an idle stream is not polled in a busy loop (seconds).
    pub poll_every_secs: u64,
}

impl Default for ProfileWatch {
    fn default() -> Self {
        Self {
            status_every_secs: 60,
            heartbeat_every_secs: 120,
            heartbeat_timeout_secs: 60,
            silent_after_secs: None,
            poll_every_secs: 5,
        }
    }
}

impl ProfileWatch {
    /// What is wrong with the intervals, or risky about them.
    pub fn check(&self) -> Vec<(Concern, String)> {
        let mut out = Vec::new();
        let mut range = |what: &str, secs: u64| {
            if secs == 0 {
                out.push((Concern::Error, format!("{what} must be at least 1 s")));
            } else if secs > WATCH_MAX_SECS {
                out.push((
                    Concern::Error,
                    format!("{what} must be at most {WATCH_MAX_SECS} s (a week), got {secs} s"),
                ));
            }
        };
        range("the status interval", self.status_every_secs);
        range("the heartbeat interval", self.heartbeat_every_secs);
        range("the heartbeat timeout", self.heartbeat_timeout_secs);
        range("the poll interval", self.poll_every_secs);
        if let Some(silent) = self.silent_after_secs {
            range("the silence threshold", silent);
        }
        if self.heartbeat_timeout_secs >= self.heartbeat_every_secs {
            out.push((
                Concern::Error,
                format!(
                    "the heartbeat timeout ({} s) must be shorter than the heartbeat interval ({} s): \
                     each request replaces the one before, so a lost verification SET would never be noticed",
                    self.heartbeat_timeout_secs, self.heartbeat_every_secs
                ),
            ));
        }
        if let Some(silent) = self.silent_after_secs
            && silent > 0
            && silent < self.heartbeat_every_secs
        {
            out.push((
                Concern::Warning,
                format!(
                    "silent after {silent} s is shorter than the heartbeat interval ({} s): a quiet \
                     stream that only carries verification SETs will be reported silent",
                    self.heartbeat_every_secs
                ),
            ));
        }
        out
    }
}

/// The fewest characters the credential of a push authorization may have. A shorter one, or
/// the scheme word alone (`Bearer`), is no secret: anyone who can reach the push endpoint could
/// deliver SETs as the transmitter.
pub const MIN_PUSH_CREDENTIAL_CHARS: usize = 16;

/// What to give instead of a push authorization that [`push_authorization_problem`] refuses.
pub const PUSH_AUTHORIZATION_HINT: &str = "give the whole value the transmitter must send, \
     \"Bearer \" and 16 or more random characters (or an opaque value of 16 or more), or leave \
     it out for a random one";

/// What is wrong with a push authorization (the `Authorization` value the transmitter must
/// send: `Bearer CREDENTIAL`, or an opaque credential), without quoting it; `None` when it can
/// be used. The credential after the scheme must have [`MIN_PUSH_CREDENTIAL_CHARS`] or more.
pub fn push_authorization_problem(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return Some("is empty".to_owned());
    }
    let credential = match value.split_once(char::is_whitespace) {
        Some((_scheme, credential)) => credential.trim(),
        None if value.eq_ignore_ascii_case("bearer") => "",
        None => value,
    };
    if credential.is_empty() {
        return Some("is only the scheme, with no credential after it".to_owned());
    }
    let chars = credential.chars().count();
    (chars < MIN_PUSH_CREDENTIAL_CHARS)
        .then(|| format!("has a credential of only {chars} characters"))
}

/// How bad a profile warning is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Concern {
    /// The profile cannot be used as it is.
    Error,
    /// Usable, but the user must see it.
    Warning,
}

impl Profile {
    /// What is wrong with the profile, or risky about it.
    pub fn check(&self) -> Vec<(Concern, String)> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push((Concern::Error, "the profile has no name".to_owned()));
        }
        for (what, url) in self.urls() {
            match super::tls_rule::check_url(what, url, self.allow_insecure_http) {
                Ok(None) => {}
                Ok(Some(plain)) => out.push((Concern::Warning, plain.line())),
                Err(refused) => out.push((Concern::Error, refused.to_string())),
            }
        }
        let lenient = self.rules.lenient_names();
        if !lenient.is_empty() {
            out.push((
                Concern::Warning,
                format!(
                    "accepts SETs that break a MUST, only flagging them: {}",
                    lenient.join(", ")
                ),
            ));
        }
        if self.accept_invalid_certs {
            out.push((Concern::Warning, "accepts invalid TLS certificates: anyone on the path can impersonate the transmitter".to_owned()));
        }
        if let Some(listen) = &self.listen
            && listen.parse::<std::net::SocketAddr>().is_err()
        {
            out.push((
                Concern::Error,
                format!("listen must be ADDRESS:PORT, got \"{listen}\""),
            ));
        }
        out.extend(self.watch.check());
        out.extend(self.setup.check(
            &self.stream,
            self.delivery,
            self.listen.as_deref(),
            self.push_authorization.is_some(),
        ));
        out
    }

    /// The URLs of the profile the receiver will call, named: the issuer, the metadata URL,
    /// the token endpoint and the poll URL, where given.
    pub fn urls(&self) -> Vec<(&'static str, &str)> {
        let mut urls = vec![("issuer", self.issuer.as_str())];
        if let Some(url) = &self.metadata_url {
            urls.push(("metadata URL", url));
        }
        if let ManagementAuth::ClientCredentials { token_endpoint, .. } = &self.auth {
            urls.push(("token endpoint", token_endpoint));
        }
        if let Some(url) = &self.setup.poll_url {
            urls.push(("poll URL", url));
        }
        urls
    }

    /// True when the profile can be started.
    pub fn is_usable(&self) -> bool {
        self.check()
            .iter()
            .all(|(concern, _)| *concern != Concern::Error)
    }
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
