//! The profile form's OAuth 2.0 client-credentials fields (what `profile add --client-id …`
//! takes): token endpoint, client id, secret and scopes, and how they become the profile's
//! management auth.

use serde::{Deserialize, Serialize};

use super::profile_draft::SecretDraft;
use crate::core::profile::{ManagementAuth, SecretRef};

/// The client-credentials fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthDraft {
    /// Management calls authenticate with client credentials (not a bearer token).
    pub on: bool,
    /// Token endpoint URL.
    pub token_endpoint: String,
    /// Client id.
    pub client_id: String,
    /// Client secret: `env:NAME`, `file:PATH` or a literal (empty: keep the stored one).
    #[serde(skip)]
    pub client_secret: SecretDraft,
    /// Scopes, separated by spaces or commas.
    pub scopes: String,
}

impl OAuthDraft {
    /// The fields of a saved profile's client credentials (a stored secret is not filled in).
    pub fn from_auth(auth: &ManagementAuth) -> Self {
        let ManagementAuth::ClientCredentials {
            token_endpoint,
            client_id,
            client_secret,
            scopes,
        } = auth
        else {
            return Self::default();
        };
        let secret = match client_secret {
            SecretRef::Env(_) | SecretRef::File(_) => client_secret.describe(),
            SecretRef::Stored(_) => String::new(),
        };
        Self {
            on: true,
            token_endpoint: token_endpoint.clone(),
            client_id: client_id.clone(),
            client_secret: SecretDraft(secret),
            scopes: scopes.join(" "),
        }
    }

    /// The management auth: `secret` turns a typed value into a reference (storing a literal);
    /// an empty secret field keeps `kept`'s stored one.
    pub fn auth(
        &self,
        kept: Option<&ManagementAuth>,
        secret: &mut dyn FnMut(&str) -> SecretRef,
    ) -> ManagementAuth {
        let client_secret = match self.client_secret.0.trim() {
            "" => match kept {
                Some(ManagementAuth::ClientCredentials { client_secret, .. }) => {
                    client_secret.clone()
                }
                _ => SecretRef::Stored(String::new()),
            },
            arg => secret(arg),
        };
        ManagementAuth::ClientCredentials {
            token_endpoint: self.token_endpoint.trim().to_owned(),
            client_id: self.client_id.trim().to_owned(),
            client_secret,
            scopes: self
                .scopes
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// What must be filled in before the profile can be saved.
    pub fn errors(&self, kept: Option<&ManagementAuth>) -> Vec<String> {
        if !self.on {
            return Vec::new();
        }
        let mut errors = Vec::new();
        if self.token_endpoint.trim().is_empty() {
            errors.push("client credentials: give the token endpoint URL".to_owned());
        }
        if self.client_id.trim().is_empty() {
            errors.push("client credentials: give the client id".to_owned());
        }
        let kept_secret = matches!(kept, Some(ManagementAuth::ClientCredentials { .. }));
        if self.client_secret.0.trim().is_empty() && !kept_secret {
            errors.push(
                "client credentials: give the client secret (or env:NAME, file:PATH)".to_owned(),
            );
        }
        errors
    }
}
