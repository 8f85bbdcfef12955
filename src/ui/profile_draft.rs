//! The profile form's draft: the text typed so far, and how it becomes a [`Profile`] plus the
//! literal secrets to store. Secrets typed here never reach a persisted struct or a log: they
//! live in [`SecretDraft`]s, which cannot be serialised and print as `<hidden>`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::setup_draft::SetupDraft;
use crate::core::events;
use crate::core::profile::{
    Concern, DeliveryMode, ManagementAuth, PUSH_AUTHORIZATION_HINT, Profile, ProfileWatch,
    SecretRef, push_authorization_problem,
};

/// A secret typed into the form.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretDraft(pub String);

impl fmt::Debug for SecretDraft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretDraft(<hidden>)")
    }
}

/// The profile form as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileDraft {
    /// The saved profile being edited (`None`: a new profile). Its name cannot change.
    pub original: Option<Profile>,
    /// Profile name.
    pub name: String,
    /// Issuer URL.
    pub issuer: String,
    /// Metadata URL (empty: the well-known location).
    pub metadata_url: String,
    /// Push or poll.
    pub delivery: DeliveryMode,
    /// Management token: `env:NAME`, `file:PATH` or a literal (empty: keep the stored one).
    #[serde(skip)]
    pub token: SecretDraft,
    /// OAuth client credentials instead of the token, when chosen.
    pub oauth: super::oauth_draft::OAuthDraft,
    /// Push listener address (empty: 127.0.0.1 and a free port).
    pub listen: String,
    /// Push authorization the transmitter must send (empty: random, or keep the stored one).
    #[serde(skip)]
    pub push_authorization: SecretDraft,
    /// Expected audience.
    pub audience: String,
    /// Event types to request: short names or URIs, separated by commas or spaces (empty:
    /// every current event type the catalogue knows).
    pub events: String,
    /// Extra CA certificate (PEM path).
    pub ca_cert: String,
    /// Allow plain http to another machine.
    pub allow_insecure_http: bool,
    /// Which broken MUSTs of a SET are refused or only flagged.
    pub rules: crate::core::set_rules::SetRules,
    /// Accept invalid certificates.
    pub accept_invalid_certs: bool,
    /// The watch section, as typed.
    pub watch: WatchDraft,
    /// The stream set-up section, as typed.
    pub setup: SetupDraft,
}

impl Default for ProfileDraft {
    fn default() -> Self {
        Self {
            original: None,
            name: String::new(),
            issuer: String::new(),
            metadata_url: String::new(),
            delivery: DeliveryMode::default(),
            token: SecretDraft::default(),
            oauth: super::oauth_draft::OAuthDraft::default(),
            listen: String::new(),
            push_authorization: SecretDraft::default(),
            audience: String::new(),
            events: String::new(),
            ca_cert: String::new(),
            allow_insecure_http: false,
            rules: crate::core::set_rules::SetRules::default(),
            accept_invalid_certs: false,
            watch: WatchDraft::from(&ProfileWatch::default()),
            setup: SetupDraft::default(),
        }
    }
}

/// The watch section as typed: seconds as text. An empty interval is its default; an empty
/// silence threshold means "learn it from the traffic".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WatchDraft {
    /// Status read interval (seconds).
    pub status_every: String,
    /// Verification heartbeat interval (seconds).
    pub heartbeat_every: String,
    /// Verification heartbeat timeout (seconds).
    pub heartbeat_timeout: String,
    /// Silence threshold (seconds; empty: learned).
    pub silent_after: String,
    /// Poll interval after an empty immediate answer (seconds).
    pub poll_every: String,
}

impl Default for WatchDraft {
    fn default() -> Self {
        Self::from(&ProfileWatch::default())
    }
}

impl From<&ProfileWatch> for WatchDraft {
    fn from(watch: &ProfileWatch) -> Self {
        Self {
            status_every: watch.status_every_secs.to_string(),
            heartbeat_every: watch.heartbeat_every_secs.to_string(),
            heartbeat_timeout: watch.heartbeat_timeout_secs.to_string(),
            silent_after: watch
                .silent_after_secs
                .map(|secs| secs.to_string())
                .unwrap_or_default(),
            poll_every: watch.poll_every_secs.to_string(),
        }
    }
}

/// Seconds typed into a field: `Ok(None)` when empty.
fn seconds(text: &str) -> Result<Option<u64>, std::num::ParseIntError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some)
}

impl WatchDraft {
    /// The watch section. A field that is empty or not a number takes its default (the form
    /// shows [`Self::errors`] and will not save until they are fixed).
    pub fn build(&self) -> ProfileWatch {
        let default = ProfileWatch::default();
        let or = |text: &str, fallback| seconds(text).ok().flatten().unwrap_or(fallback);
        ProfileWatch {
            status_every_secs: or(&self.status_every, default.status_every_secs),
            heartbeat_every_secs: or(&self.heartbeat_every, default.heartbeat_every_secs),
            heartbeat_timeout_secs: or(&self.heartbeat_timeout, default.heartbeat_timeout_secs),
            silent_after_secs: seconds(&self.silent_after).ok().flatten(),
            poll_every_secs: or(&self.poll_every, default.poll_every_secs),
        }
    }

    /// The fields that are not a whole number of seconds.
    pub fn errors(&self) -> Vec<String> {
        [
            ("Status every", &self.status_every),
            ("Heartbeat every", &self.heartbeat_every),
            ("Heartbeat timeout", &self.heartbeat_timeout),
            ("Silent after", &self.silent_after),
            ("Poll every", &self.poll_every),
        ]
        .into_iter()
        .filter(|(_, text)| seconds(text).is_err())
        .map(|(label, text)| {
            format!(
                "{label}: \"{}\" is not a whole number of seconds",
                text.trim()
            )
        })
        .collect()
    }
}

/// A reference the form can show as text (`env:`/`file:`), or `None` for a stored value.
fn shown(secret: &SecretRef) -> Option<String> {
    match secret {
        SecretRef::Env(_) | SecretRef::File(_) => Some(secret.describe()),
        SecretRef::Stored(_) => None,
    }
}

impl ProfileDraft {
    /// A draft for editing a saved profile. Stored secrets are not filled in (the field hints
    /// "stored"); `env:`/`file:` references are.
    pub fn edit(profile: &Profile) -> Self {
        let token = match &profile.auth {
            ManagementAuth::Bearer { token } => shown(token),
            ManagementAuth::None | ManagementAuth::ClientCredentials { .. } => None,
        };
        let push_authorization = profile.push_authorization.as_ref().and_then(shown);
        Self {
            original: Some(profile.clone()),
            name: profile.name.clone(),
            issuer: profile.issuer.clone(),
            metadata_url: profile.metadata_url.clone().unwrap_or_default(),
            delivery: profile.delivery,
            token: SecretDraft(token.unwrap_or_default()),
            oauth: super::oauth_draft::OAuthDraft::from_auth(&profile.auth),
            listen: profile.listen.clone().unwrap_or_default(),
            push_authorization: SecretDraft(push_authorization.unwrap_or_default()),
            audience: profile.audience.clone().unwrap_or_default(),
            events: profile
                .events_requested
                .iter()
                .map(|uri| events::short_name(uri))
                .collect::<Vec<_>>()
                .join(", "),
            ca_cert: profile.ca_cert.clone().unwrap_or_default(),
            allow_insecure_http: profile.allow_insecure_http,
            rules: profile.rules,
            accept_invalid_certs: profile.accept_invalid_certs,
            watch: WatchDraft::from(&profile.watch),
            setup: SetupDraft::from_profile(&profile.stream, &profile.setup),
        }
    }

    /// The management auth kept when the token field is left empty: only one the field could
    /// not show (a stored token, client credentials).
    fn kept_auth(&self) -> ManagementAuth {
        match self.original.as_ref().map(|p| &p.auth) {
            Some(auth @ ManagementAuth::Bearer { token }) if shown(token).is_none() => auth.clone(),
            Some(auth @ ManagementAuth::ClientCredentials { .. }) => auth.clone(),
            _ => ManagementAuth::None,
        }
    }

    /// The push authorization kept when its field is left empty (a stored one).
    fn kept_push_authorization(&self) -> Option<SecretRef> {
        self.original
            .as_ref()
            .and_then(|p| p.push_authorization.clone())
            .filter(|secret| shown(secret).is_none())
    }

    /// What the token field says when it is empty.
    pub fn token_hint(&self) -> &'static str {
        match self.kept_auth() {
            ManagementAuth::Bearer { .. } => "stored: leave empty to keep it",
            ManagementAuth::ClientCredentials { .. } => {
                "client credentials: leave empty to keep them"
            }
            ManagementAuth::None => "token, env:NAME or file:PATH",
        }
    }

    /// What the push authorization field says when it is empty.
    pub fn push_authorization_hint(&self) -> &'static str {
        if self.kept_push_authorization().is_some() {
            "stored: leave empty to keep it"
        } else {
            "random when empty; or env:NAME, file:PATH"
        }
    }

    /// The profile and the literal secrets to store with it (key, value).
    pub fn build(&self) -> (Profile, Vec<(String, String)>) {
        let name = self.name.trim().to_owned();
        let mut secrets = Vec::new();
        let mut secret = |arg: &str, suffix: &str| {
            let key = format!("{name}.{suffix}");
            let (reference, value) = SecretRef::from_arg(arg, &key);
            if let Some(value) = value {
                secrets.push((key, value));
            }
            reference
        };
        let kept = self.original.as_ref().map(|p| &p.auth);
        let auth = match self.token.0.trim() {
            _ if self.oauth.on => self
                .oauth
                .auth(kept, &mut |arg| secret(arg, "client_secret")),
            "" => match self.kept_auth() {
                // Switched back from client credentials with no token typed: none.
                ManagementAuth::ClientCredentials { .. } => ManagementAuth::None,
                auth => auth,
            },
            arg => ManagementAuth::Bearer {
                token: secret(arg, "token"),
            },
        };
        let push = self.delivery == DeliveryMode::Push;
        let push_authorization = match self.push_authorization.0.trim() {
            _ if !push => None,
            "" => self.kept_push_authorization(),
            arg => Some(secret(arg, "push_auth")),
        };
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        // Unknown names are reported by `concerns` (and block saving).
        let events_requested = events::parse_list(&self.events).unwrap_or_default();
        let profile = Profile {
            name,
            issuer: self.issuer.trim().to_owned(),
            metadata_url: optional(&self.metadata_url),
            auth,
            delivery: self.delivery,
            listen: optional(&self.listen).filter(|_| push),
            push_authorization,
            audience: optional(&self.audience),
            ca_cert: optional(&self.ca_cert),
            accept_invalid_certs: self.accept_invalid_certs,
            allow_insecure_http: self.allow_insecure_http,
            rules: self.rules,
            events_requested,
            watch: self.watch.build(),
            stream: self.setup.setup(),
            setup: self.setup.options(push),
        };
        (profile, secrets)
    }

    /// The profile's own check, plus a warning when a new profile would replace a saved one.
    pub fn concerns(&self, saved: &[Profile]) -> Vec<(Concern, String)> {
        let (profile, _) = self.build();
        let mut concerns: Vec<(Concern, String)> = self
            .watch
            .errors()
            .into_iter()
            .chain(self.setup.errors())
            .chain(self.oauth.errors(self.original.as_ref().map(|p| &p.auth)))
            .map(|text| (Concern::Error, text))
            .collect();
        if let Err(unknown) = events::parse_list(&self.events) {
            concerns.push((
                Concern::Error,
                format!(
                    "unknown event type(s): {} (use a URI, or a name such as session-revoked)",
                    unknown.join(", ")
                ),
            ));
        }
        // A value typed as such is checked here; one from env: or file: when the profile starts.
        let typed = self.push_authorization.0.trim();
        if self.delivery == DeliveryMode::Push
            && !typed.starts_with("env:")
            && !typed.starts_with("file:")
            && !typed.is_empty()
            && let Some(problem) = push_authorization_problem(typed)
        {
            concerns.push((
                Concern::Error,
                format!("the push authorization {problem}: {PUSH_AUTHORIZATION_HINT}"),
            ));
        }
        concerns.extend(profile.check());
        if self.original.is_none() && saved.iter().any(|p| p.name == profile.name) {
            concerns.push((
                Concern::Warning,
                format!("replaces the saved profile \"{}\"", profile.name),
            ));
        }
        concerns
    }
}

#[cfg(test)]
mod tests {
    use super::{ProfileDraft, SecretDraft};
    use crate::core::profile::Concern;

    fn errors(push_authorization: &str) -> Vec<String> {
        let draft = ProfileDraft {
            name: "p".to_owned(),
            issuer: "https://ssf.example".to_owned(),
            push_authorization: SecretDraft(push_authorization.to_owned()),
            ..ProfileDraft::default()
        };
        draft
            .concerns(&[])
            .into_iter()
            .filter(|(concern, _)| *concern == Concern::Error)
            .map(|(_, text)| text)
            .collect()
    }

    #[test]
    fn a_typed_push_authorization_needs_a_credential() {
        let bare = errors("Bearer");
        assert!(
            bare.iter()
                .any(|t| t.contains("push authorization is only the scheme")),
            "{bare:?}"
        );
        assert!(!errors("Bearer abc").is_empty());
        assert!(errors("Bearer 0123456789abcdef").is_empty());
        assert!(errors("").is_empty(), "empty: a random one");
        assert!(errors("env:PUSH").is_empty(), "checked when it starts");
    }
}
